"""The verification page and API: an officer uploads a signed PDF and reads the report in Vietnamese;
a non-PDF, a too large file and a PDF without signatures are field errors (JSON errors in the API);
the incoming document page shows the panel of its PDF."""

from __future__ import annotations

import base64

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org.tests.otp import verified_login
from congan.signatures.images import signature_png
from congan.signatures.services import SignerBoxPlacement, sign_pdf
from congan.signatures.tests.tampering import change_a_signed_byte

pytestmark = pytest.mark.django_db
URL = "/van-ban/kiem-tra-chu-ky/"
API = "/api/v1/documents/verify"


@pytest.fixture
def signed(pdf, officer_key) -> bytes:
    placement = SignerBoxPlacement(page=0, box=(300, 320, 480, 400), signer_image=signature_png("Lãnh Đạo"))
    return sign_pdf(pdf=pdf, key=officer_key, placement=placement, reason="Ban hành")


def _upload(client, data: bytes, name: str = "van-ban.pdf"):
    return client.post(URL, {"pdf": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_an_officer_reads_the_report_of_a_signed_pdf(client, officer, signed, trusted):
    verified_login(client, officer)

    response = _upload(client, signed)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Trần Văn Lãnh Đạo" in page
    assert 'data-testid="signatures-valid"' in page
    assert "Toàn vẹn: nội dung đã ký không bị thay đổi" in page
    assert "Ban hành" in page


def test_a_tampered_file_is_shown_as_not_intact(client, officer, signed, trusted):
    verified_login(client, officer)

    page = _upload(client, change_a_signed_byte(signed)).content.decode()

    assert 'data-testid="signatures-invalid"' in page
    assert "Không toàn vẹn" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a....", "Tệp không phải PDF."),
        (None, "Tệp không có chữ ký số nào."),
    ],
)
def test_bad_files_are_field_errors(client, officer, pdf, data, message):
    verified_login(client, officer)

    response = _upload(client, data if data is not None else pdf)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_over_the_limit_is_a_field_error(settings, client, officer, signed):
    settings.SIGNING_MAX_PDF_BYTES = 1000
    verified_login(client, officer)

    response = _upload(client, signed)

    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()


def test_the_page_fits_a_phone_without_a_wide_table(client, officer):
    verified_login(client, officer)
    page = client.get(URL).content.decode()
    assert "<table" not in page
    assert 'name="pdf"' in page


def test_an_officer_without_the_documents_permission_is_refused(client, commune):
    from congan.org.tests.factories import OfficerFactory

    verified_login(client, OfficerFactory(unit=commune, roles=[]))
    assert client.get(URL).status_code == 403


def test_the_api_reports_each_signature(client, officer, signed, trusted):
    verified_login(client, officer)

    response = client.post(API, {"content_base64": base64.b64encode(signed).decode()}, content_type="application/json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["all_valid"] is True
    [signature] = body["signatures"]
    assert signature["trust"] == "trusted"
    assert signature["integrity"] == "intact"
    assert signature["signer_name"] == "Trần Văn Lãnh Đạo"
    assert signature["level"] == "B-B"


@pytest.mark.parametrize(
    ("content", "field"),
    [("không-phải-base64!", "content_base64"), (base64.b64encode(b"GIF89a").decode(), "content_base64")],
)
def test_the_api_answers_bad_input_with_a_json_error(client, officer, content, field):
    verified_login(client, officer)

    response = client.post(API, {"content_base64": content}, content_type="application/json")

    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert field in body["details"]


def test_the_incoming_document_page_shows_the_signatures_of_its_pdf(client, officer, signed, trusted):
    clerk = officer
    document = IncomingDocumentFactory(unit=clerk.unit, subject="Quyết định có chữ ký số")
    document.file.save("quyet-dinh.pdf", ContentFile(signed))
    verified_login(client, clerk)

    page = client.get(reverse("documents:incoming", args=[document.pk])).content.decode()

    assert 'data-testid="signature-panel"' in page
    assert "Trần Văn Lãnh Đạo" in page


def test_the_api_needs_an_officers_session(client):
    response = client.post(API, {"content_base64": ""}, content_type="application/json")

    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details"}
