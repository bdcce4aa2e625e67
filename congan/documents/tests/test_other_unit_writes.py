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
