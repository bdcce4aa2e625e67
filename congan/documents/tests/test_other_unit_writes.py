"""An officer of another commune changes no incoming document through any page that names one.

Each write is tried twice on a document of the commune: by a clerk of another commune with the same
roles (refused as not found, nothing changed), then by the commune's own officer with the same
request (accepted), so the refusal can only come from the unit scope. These tests stand for the
routes exempted as writes in congan/core/tests/scope_exemptions.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import clerk, register
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _state(document: IncomingDocument) -> tuple:
    document.refresh_from_db()
    return (document.recipient_unit_id, document.recipient_officer_id, document.handed_at, document.acknowledged_at)


def test_another_communes_officer_changes_no_incoming_document(client, commune, other_commune):
    vanthu = clerk(commune)
    handler = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    stranger = clerk(other_commune)
    stranger.groups.add(*handler.groups.all())
    document = register(vanthu).document

    hand_over = reverse("documents:hand_over", args=[document.pk])
    client.force_login(stranger)
    before = _state(document)
    assert client.post(hand_over, {"recipient_unit": other_commune.pk}).status_code == 404
    assert _state(document) == before
    client.force_login(vanthu)
    assert client.post(hand_over, {"recipient_officer": handler.pk}).status_code == 302
    assert _state(document)[1] == handler.pk

    acknowledge = reverse("documents:acknowledge", args=[document.pk])
    client.force_login(stranger)
    before = _state(document)
    assert client.post(acknowledge).status_code == 404
    assert _state(document) == before
    client.force_login(handler)
    assert client.post(acknowledge).status_code == 302
    assert _state(document)[3] is not None


def test_another_communes_clerk_cannot_register_a_received_entry(client, commune, other_commune):
    from congan.documents.tests.factories import IncomingDocumentFactory

    received = IncomingDocumentFactory(unit=commune, status=IncomingDocument.Status.RECEIVED)
    client.force_login(clerk(other_commune))
    assert client.post(reverse("documents:register_received", args=[received.pk]), {}).status_code == 404
    received.refresh_from_db()
    assert received.status == IncomingDocument.Status.RECEIVED


def test_another_communes_officer_changes_no_outgoing_document(client, commune, other_commune, verified_login):
    """Every step of an outgoing document (pages and API) and the access list of an incoming entry:
    refused as not found for a same-role officer of another commune, accepted for the commune's own."""
    from congan.documents.models import OutgoingDocument
    from congan.documents.tests.factories import drafter_of, leader_of, outgoing_draft

    commune.symbol = "CAP"
    commune.save()
    drafter, signer, vanthu = drafter_of(commune), leader_of(commune), clerk(commune)
    stranger = leader_of(other_commune)
    stranger.groups.add(*vanthu.groups.all(), *drafter.groups.all())
    document = outgoing_draft(drafter, signer=signer, recipient_units=[other_commune])

    def state() -> tuple:
        document.refresh_from_db()
        return (document.status, document.versions.count(), document.events.count(), document.restricted)

    def attempt(actor, step: str, data: dict | None = None, expected: int = 302):
        before = state()
        verified_login(client, stranger)
        url = reverse("documents:outgoing_step", args=[document.pk, step])
        assert client.post(url, data or {}).status_code == 404
        assert state() == before
        verified_login(client, actor)
        assert client.post(url, data or {}).status_code == expected
        assert state() != before

    attempt(drafter, "version", {"body": "Nội dung sửa lần hai"})
    attempt(signer, "comment", {"text": "Sửa điều 2"})
    attempt(drafter, "access", {"restricted": "on", "allowed_officers": [signer.pk]})
    attempt(drafter, "access", {})
    attempt(drafter, "submit")
    attempt(signer, "return", {"reason": "Bổ sung căn cứ"})
    verified_login(client, drafter)
    client.post(reverse("documents:outgoing_step", args=[document.pk, "submit"]))
    attempt(signer, "approve")
    attempt(signer, "sign")

    for path, actor, body in (
        (f"/api/v1/documents/outgoing/{document.pk}/issue", vanthu, None),
        (f"/api/v1/documents/outgoing/{document.pk}/recall", signer, {"reason": "Ban hành nhầm nơi nhận"}),
    ):
        before = state()
        verified_login(client, stranger)
        assert client.post(path, body or {}, content_type="application/json").status_code == 404
        assert state() == before
        verified_login(client, actor)
        assert client.post(path, body or {}, content_type="application/json").status_code == 200
        assert state() != before
    assert state()[0] == OutgoingDocument.Status.RECALLED

    entry = register(vanthu).document
    url = reverse("documents:incoming_access", args=[entry.pk])
    verified_login(client, clerk(other_commune))
    assert client.post(url, {"restricted": "on", "allowed_units": [other_commune.pk]}).status_code == 404
    entry.refresh_from_db()
    assert not entry.restricted
    verified_login(client, vanthu)
    assert client.post(url, {"restricted": "on", "allowed_officers": [drafter.pk]}).status_code == 302
    entry.refresh_from_db()
    assert entry.restricted
