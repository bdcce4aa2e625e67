"""The copies API (/api/v1/documents/copies): a clerk makes a copy of a document of the unit or a sao
y of a paper scan (base64), reads it with its signatures' verdict, downloads it (audited), sends it
to units by their codes; every refusal is JSON {"code", "message", "details"}."""

from __future__ import annotations

import base64

import pytest

from congan.core.models import AuditEvent
from congan.documents import outgoing_services
from congan.documents.models import Classification, DocumentCopy, IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory, clerk, drafter_of, leader_of, outgoing_signed
from congan.documents.tests.signed import scan_pdf, seal_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing")]
API = "/api/v1/documents/copies"


@pytest.fixture
def unit(commune, pki):
    commune.symbol = "CAP"
    commune.save()
    seal_for(pki, commune)
    return commune


@pytest.fixture
def vanthu(unit):
    return clerk(unit)


@pytest.fixture
def issued(unit, other_commune):
    document = outgoing_signed(drafter_of(unit), leader_of(unit), recipient_units=[other_commune])
    return outgoing_services.outgoing_issue(by=clerk(unit), document_id=document.pk)


def _post(client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def test_a_clerk_makes_reads_downloads_and_sends_a_copy_through_the_api(client, vanthu, issued, other_commune):
    client.force_login(vanthu)
    made = _post(client, API, {"form": "trich_sao", "outgoing_id": issued.pk, "page_from": 1, "page_to": 1})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["number_symbol"], body["form_label"], body["pages"]) == ("01/TrS-CAP", "Trích sao", 1)
    assert body["signed"] is True and body["signatures_valid"] is True
    assert body["signatures"][0]["signer_name"] == "Công an tỉnh thử nghiệm"

    assert client.get(API).json()["items"][0]["id"] == body["id"]
    file = client.get(f"{API}/{body['id']}/file").json()
    content = base64.b64decode(file["content_base64"])
    assert content[:5] == b"%PDF-" and file["sha256"] == body["file_sha256"]
    assert AuditEvent.objects.get(action="documents.copy.download").details["how"] == "api"

    sent = _post(client, f"{API}/{body['id']}/send", {"units": [other_commune.code]})
    assert sent.status_code == 200 and sent.json()["sent_to"][0]["unit_code"] == other_commune.code
    assert IncomingDocument.objects.filter(source_copy_id=body["id"], unit=other_commune).exists()
    unknown = _post(client, f"{API}/{body['id']}/send", {"units": ["KHONG-CO"]})
    assert unknown.status_code == 422 and "KHONG-CO" in unknown.json()["details"]["units"][0]


def test_a_paper_scan_is_copied_through_the_api(client, vanthu):
    client.force_login(vanthu)
    paper = {
        "file": {"filename": "scan.pdf", "content_base64": base64.b64encode(scan_pdf(300)).decode()},
        "issuer_name": "Ủy ban nhân dân phường Hải Châu",
        "subject": "Quyết định thành lập tổ dân phố số 5",
        "document_type": "QĐ",
        "number_symbol": "12/QĐ-UBND",
    }
    made = _post(client, API, {"form": "sao_y", "paper": paper})
    assert made.status_code == 201 and made.json()["origin"] == "paper"
    grey = {**paper, "file": {"filename": "s.pdf", "content_base64": base64.b64encode(scan_pdf(300, "L")).decode()}}
    refused = _post(client, API, {"form": "sao_y", "paper": grey})
    assert refused.status_code == 422 and "ảnh màu" in refused.json()["details"]["file"][0]
    broken = {**paper, "file": {"filename": "s.pdf", "content_base64": "***"}}
    assert _post(client, API, {"form": "sao_y", "paper": broken}).status_code == 422


def test_api_refusals_are_json_with_their_codes(client, vanthu, unit, issued, other_commune):
    vanthu.clearance = Classification.SECRET
    vanthu.save()
    secret = IncomingDocumentFactory(unit=unit, classification=Classification.SECRET)
    client.force_login(vanthu)
    refused = _post(client, API, {"form": "sao_y", "incoming_id": secret.pk})
    assert refused.status_code == 422
    assert refused.json()["code"] == "classified_not_copied" and "Văn bản mật" in refused.json()["message"]
    both = _post(client, API, {"form": "sao_y", "incoming_id": secret.pk, "outgoing_id": issued.pk})
    assert both.status_code == 422 and "source" in both.json()["details"]
    assert _post(client, API, {"form": "sao_y", "outgoing_id": 999999}).status_code == 404
    assert _post(client, API, {"form": "photocopy", "outgoing_id": issued.pk}).status_code == 422
    client.force_login(drafter_of(unit))
    denied = _post(client, API, {"form": "sao_y", "outgoing_id": issued.pk})
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    client.force_login(clerk(other_commune))
    assert _post(client, API, {"form": "sao_y", "outgoing_id": issued.pk}).status_code == 404
    assert not DocumentCopy.objects.exists()
