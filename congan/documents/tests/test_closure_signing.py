"""Signing a closed period of the incoming register (decision 0031): the head of the unit (a leader
of the unit or above) signs the stored PDF with their own key in the space under "THỦ TRƯỞNG ĐƠN
VỊ", then the unit's seal follows; the signed file replaces the stored one, its SHA-256 becomes the
closure's and the unsigned one's is kept. Refused to a clerk, another unit's leader, a second time,
without a key, and when the stored file no longer matches its hash."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import closing
from congan.documents.models import RegisterClosure
from congan.documents.tests.factories import IncomingDocumentFactory, clerk, leader_of
from congan.documents.tests.signed import key_for, seal_for
from congan.signatures.selectors import verify_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing")]


@pytest.fixture
def closed(commune):
    vanthu = clerk(commune)
    today = timezone.localdate()
    for index in range(3):
        IncomingDocumentFactory(unit=commune, received_on=today, arrival_number=index + 1)
    return closing.register_close(by=vanthu, book="ordinary", start=today.replace(day=1), end=today)


@pytest.fixture
def head(commune, pki):
    officer = leader_of(commune, position="Trưởng Công an xã")
    key_for(pki, officer)
    return officer


def test_the_head_of_the_unit_signs_the_stored_register_in_its_space_and_the_seal_follows(
    closed, head, pki, commune, django_capture_on_commit_callbacks
):
    seal_for(pki, commune)
    unsigned = closed.file.read()
    old_name = closed.file.name
    assert closed.signature_box is not None and hashlib.sha256(unsigned).hexdigest() == closed.file_sha256
    with django_capture_on_commit_callbacks(execute=True):
        signed = closing.register_sign(by=head, closure_id=closed.pk)

    content = signed.file.read()
    assert signed.is_signed and (signed.signed_by, signed.unsigned_sha256) == (
        head,
        hashlib.sha256(unsigned).hexdigest(),
    )
    assert signed.file_sha256 == hashlib.sha256(content).hexdigest() != signed.unsigned_sha256
    assert not signed.file.storage.exists(old_name)  # replaced, not kept beside
    report = verify_pdf(content)
    assert [s.signer_name for s in report.signatures] == ["Trần Văn Lãnh Đạo", "Công an tỉnh thử nghiệm"]
    assert report.all_valid
    reader = PdfReader(io.BytesIO(content))
    box = closed.signature_box
    page = reader.pages[box["page"]]
    [first] = [a.get_object() for a in page["/Annots"] if a.get_object().get("/T") == "ChuKy1"]
    x1, y1, x2, y2 = (float(v) for v in first["/Rect"])
    assert box["x1"] - 1 <= x1 and x2 <= box["x2"] + 1 and box["y1"] - 1 <= y1 and y2 <= box["y2"] + 1
    event = AuditEvent.objects.get(action="documents.register.sign")
    assert event.details["unsigned_sha256"] == signed.unsigned_sha256 and event.details["sha256"] == signed.file_sha256


def test_without_a_seal_key_the_register_carries_the_heads_signature_alone(closed, head):
    signed = closing.register_sign(by=head, closure_id=closed.pk)
    [signature] = verify_pdf(signed.file.read()).signatures
    assert signature.valid


def test_signing_a_closed_register_is_refused_to_whom_it_does_not_belong(closed, head, commune, other_commune, pki):
    vanthu = clerk(commune)
    with pytest.raises(PermissionDenied):
        closing.register_sign(by=vanthu, closure_id=closed.pk)
    stranger = leader_of(other_commune)
    key_for(pki, stranger)
    with pytest.raises(NotFound):
        closing.register_sign(by=stranger, closure_id=closed.pk)
    without_key = leader_of(commune)
    with pytest.raises(NotFound) as refused:
        closing.register_sign(by=without_key, closure_id=closed.pk)
    assert refused.value.code == "no_signing_key"
    closed.refresh_from_db()
    assert not closed.is_signed and closed.unsigned_sha256 == ""

    closing.register_sign(by=head, closure_id=closed.pk)
    with pytest.raises(InvalidTransition):
        closing.register_sign(by=head, closure_id=closed.pk)


def test_a_stored_register_that_no_longer_matches_its_hash_is_not_signed(closed, head):
    RegisterClosure.objects.filter(pk=closed.pk).update(file_sha256="0" * 64)
    with pytest.raises(ValidationFailed) as refused:
        closing.register_sign(by=head, closure_id=closed.pk)
    assert refused.value.code == "closure_tampered"


def test_a_period_closed_before_the_space_was_noted_is_signed_on_its_last_page(closed, head):
    RegisterClosure.objects.filter(pk=closed.pk).update(signature_box=None)
    signed = closing.register_sign(by=head, closure_id=closed.pk)
    content = signed.file.read()
    reader = PdfReader(io.BytesIO(content))
    assert any(a.get_object().get("/FT") == "/Sig" for a in reader.pages[-1].get("/Annots", []))
    assert verify_pdf(content).all_valid


def test_the_closure_page_shows_unsigned_then_signed_with_the_panel(closed, head, commune, client, verified_login):
    url = reverse("documents:closure", args=[closed.pk])
    client.force_login(clerk(commune))
    page = client.get(url).content.decode()
    assert "Chưa ký" in page and 'data-testid="closure-sign-form"' not in page
    assert client.get(reverse("documents:register")).content.decode().count(url) == 1
    verified_login(client, head)
    assert 'data-testid="closure-sign-form"' in client.get(url).content.decode()
    assert client.post(reverse("documents:closure_sign", args=[closed.pk])).status_code == 302
    closed.refresh_from_db()
    page = client.get(url).content.decode()
    assert 'data-testid="signatures-valid"' in page and closed.unsigned_sha256 in page and closed.file_sha256 in page
    assert 'data-testid="closure-sign-form"' not in page
    response = client.post(reverse("documents:closure_sign", args=[closed.pk]), follow=True)
    assert "đã được ký" in response.content.decode()


def test_the_api_reads_and_signs_a_closed_register(closed, head, commune, client, verified_login):
    verified_login(client, head)
    listed = client.get("/api/v1/documents/closures").json()
    assert [item["id"] for item in listed["items"]] == [closed.pk] and listed["items"][0]["signed"] is False
    body = client.post(f"/api/v1/documents/closures/{closed.pk}/sign", content_type="application/json").json()
    assert body["signed"] is True and body["signatures_valid"] is True and len(body["signatures"]) == 1
    again = client.post(f"/api/v1/documents/closures/{closed.pk}/sign", content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    client.force_login(clerk(commune))
    refused = client.post(f"/api/v1/documents/closures/{closed.pk}/sign", content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert client.get(f"/api/v1/documents/closures/{closed.pk}").json()["unsigned_sha256"] == body["unsigned_sha256"]
