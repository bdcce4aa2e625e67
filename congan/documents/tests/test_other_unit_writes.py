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


@pytest.mark.usefixtures("signing")
def test_another_communes_officer_copies_sends_signs_or_attaches_nothing_of_ours(
    client, commune, other_commune, province, verified_login, pki
):
    """Electronic copies (make, send), a closed register's signing and the attachments of a draft,
    through pages and API: refused as not found for a same-role officer of another commune, accepted
    for the commune's own (decision 0031)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from congan.documents import closing, outgoing_services
    from congan.documents.models import DocumentCopy, RegisterClosure
    from congan.documents.tests.factories import drafter_of, leader_of, outgoing_draft, outgoing_signed
    from congan.documents.tests.signed import key_for, pages_pdf, seal_for

    commune.symbol = "CAP"
    commune.save()
    seal_for(pki, commune)
    vanthu, drafter, head = clerk(commune), drafter_of(commune), leader_of(commune)
    key_for(pki, head)
    stranger = leader_of(other_commune)
    stranger.groups.add(*vanthu.groups.all(), *drafter.groups.all())
    key_for(pki, stranger)
    issued = outgoing_services.outgoing_issue(
        by=vanthu, document_id=outgoing_signed(drafter, head, recipient_units=[other_commune]).pk
    )
    entry = register(vanthu, file=SimpleUploadedFile("den.pdf", pages_pdf(2)), number_symbol="16/QĐ-CATP-PV01")

    def attempt(actor, url: str, data=None, *, api: bool = False, expected: int = 302) -> None:
        """``data``: the body, or a function making it (an upload is read once)."""

        def count() -> tuple:
            return (
                DocumentCopy.objects.count(),
                IncomingDocument.objects.count(),
                RegisterClosure.objects.filter(signed_at__isnull=False).count(),
                sum(document.attachments.count() for document in OutgoingDocument.objects.all()),
            )

        def post():
            body = (data() if callable(data) else data) or {}
            return client.post(url, body, content_type="application/json") if api else client.post(url, body)

        before = count()
        verified_login(client, stranger)
        sent = post()
        assert sent.status_code == 404, url
        assert count() == before
        verified_login(client, actor)
        sent = post()
        assert sent.status_code == expected, (url, sent.content[:300])
        assert count() != before

    from congan.documents.models import OutgoingDocument

    attempt(vanthu, reverse("documents:outgoing_copy", args=[issued.pk]), {"form": "sao_y"})
    attempt(vanthu, reverse("documents:incoming_copy", args=[entry.document.pk]), {"form": "sao_luc"})
    copy = DocumentCopy.objects.order_by("pk").first()
    attempt(vanthu, reverse("documents:copy_send", args=[copy.pk]), {"units": [province.pk]})
    attempt(vanthu, "/api/v1/documents/copies", {"form": "sao_y", "outgoing_id": issued.pk}, api=True, expected=201)
    attempt(vanthu, f"/api/v1/documents/copies/{copy.pk}/send", {"units": [other_commune.code]}, api=True, expected=200)

    today = timezone.localdate()
    first = closing.register_close(by=vanthu, book="ordinary", start=today.replace(day=1), end=today)
    attempt(head, reverse("documents:closure_sign", args=[first.pk]))
    RegisterClosure.objects.filter(pk=first.pk).delete()
    second = closing.register_close(by=vanthu, book="ordinary", start=today.replace(day=1), end=today)
    attempt(head, f"/api/v1/documents/closures/{second.pk}/sign", api=True, expected=200)

    draft = outgoing_draft(drafter, signer=head, recipient_units=[other_commune])
    attempt(
        drafter,
        reverse("documents:outgoing_step", args=[draft.pk, "attach"]),
        lambda: {"attachment_title": "Phụ lục I", "attachment_file": SimpleUploadedFile("p.pdf", pages_pdf(1))},
    )
    attachment = draft.attachments.get()
    attempt(drafter, reverse("documents:outgoing_step", args=[draft.pk, "detach"]), {"attachment": attachment.pk})


@pytest.mark.usefixtures("signing")
def test_a_paper_copy_is_the_clerks_own_units(client, commune, other_commune, pki):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congan.documents.models import DocumentCopy
    from congan.documents.tests.factories import document_type
    from congan.documents.tests.signed import scan_pdf, seal_for

    seal_for(pki, other_commune)
    stranger = clerk(other_commune)
    client.force_login(stranger)
    response = client.post(
        reverse("documents:copy_paper"),
        {
            "file": SimpleUploadedFile("scan.pdf", scan_pdf()),
            "issuer_name": commune.name,
            "document_type": document_type("QĐ").pk,
            "subject": "Quyết định thành lập tổ công tác",
            "classification": 0,
            "unit": commune.pk,  # not a field: ignored
        },
    )
    assert response.status_code == 302
    assert DocumentCopy.objects.get().unit == other_commune
