"""Bad input to the incidents pages and API is refused with a field error or a JSON error body,
never a 500: a decompression bomb attached to the public form, a photo Pillow cannot read, a
non-finite coordinate on the duplicates hint, integers beyond 64 bits in a dispatch body or path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congan.core.testing.images import png_claiming
from congan.incidents import services
from congan.incidents.models import PatrolUnit, Report
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

FORM = {
    "client_token": "page-bad",
    "kind": "GT.TAINAN",
    "description": "Va chạm giữa xe máy và xe đạp",
    "commune_code": "20194",
    "anonymous": "on",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kinds(province, commune):
    services.kinds_load(by="system")


def test_a_decompression_bomb_on_the_public_form_is_a_field_error(kinds, client):
    bomb = SimpleUploadedFile("bom.png", png_claiming(30000, 30000), content_type="image/png")
    response = client.post("/tin-bao/", {**FORM, "media": bomb})
    assert response.status_code == 400
    errors = response.context["form"].errors["media"]
    assert errors and "bom.png" in errors[0] and "quá lớn" in errors[0]
    assert not Report.objects.exists()


def test_a_photo_that_cannot_be_read_is_a_field_error(kinds, client):
    broken = SimpleUploadedFile("hong.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 30, content_type="image/jpeg")
    response = client.post("/tin-bao/", {**FORM, "media": broken})
    assert response.status_code == 400
    assert "hong.jpg" in response.context["form"].errors["media"][0]
    assert not Report.objects.exists()


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "abc"])
def test_a_coordinate_that_is_no_finite_number_on_the_duplicates_hint_is_a_400(kinds, client, value):
    for query in ({"latitude": value, "longitude": "108.13"}, {"latitude": "16.12", "longitude": value}):
        response = client.get("/tin-bao/trung-lap/", {**query, "kind": "GT.TAINAN"})
        assert response.status_code == 400


def test_the_duplicates_hint_still_answers_a_good_query(kinds, client):
    response = client.get("/tin-bao/trung-lap/", {"latitude": "16.12", "longitude": "108.13", "kind": "GT.TAINAN"})
    assert response.status_code == 200


def _error(response, status: int) -> None:
    assert response.status_code == status, response.content
    assert set(response.json()) == {"code", "message", "details"}


HUGE = 2**64 + 1


def test_integers_beyond_64_bits_in_the_dispatch_api_are_a_422(kinds, commune, client):
    report = services.report_submit(
        kind_code="GT.TAINAN",
        description="Va chạm giữa hai xe máy",
        commune_code="20194",
        client_token="huge",
        latitude=Decimal("16.12"),
        longitude=Decimal("108.13"),
        anonymous=True,
    ).report
    client.force_login(OfficerFactory(unit=commune, roles=[roles.DISPATCHER]))
    for units in ([HUGE], [-1], [0], [2**63]):
        _error(
            client.post(
                f"/api/v1/incidents/reports/{report.pk}/dispatch", {"units": units}, content_type="application/json"
            ),
            422,
        )
    _error(
        client.post(f"/api/v1/incidents/reports/{HUGE}/dispatch", {"units": [1]}, content_type="application/json"), 422
    )
    _error(client.get(f"/api/v1/incidents/reports/{HUGE}/recommendations"), 422)
    _error(
        client.post(f"/api/v1/incidents/reports/{HUGE}/triage", {"priority": "high"}, content_type="application/json"),
        422,
    )
    _error(
        client.post(
            f"/api/v1/patrol-units/{HUGE}/position",
            {"latitude": 16.1, "longitude": 108.1},
            content_type="application/json",
        ),
        422,
    )
    _error(
        client.post(f"/api/v1/patrol-units/{HUGE}/status", {"step": "available"}, content_type="application/json"), 422
    )
    page = client.post(f"/tin-bao/xu-ly/{report.pk}/dieu-dong/", {"units": [str(HUGE)]})
    assert page.status_code == 302 and not PatrolUnit.objects.exists()


def test_a_huge_report_id_in_a_page_url_is_a_404(kinds, commune, client):
    client.force_login(OfficerFactory(unit=commune, roles=[roles.DISPATCHER]))
    assert client.get(f"/tin-bao/xu-ly/{HUGE}/").status_code == 404


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_coordinate_that_is_no_finite_number_in_the_reports_api_is_a_422(kinds, either_client, value):
    body = (
        '{"kind": "GT.TAINAN", "description": "Va chạm giữa hai xe máy", "commune_code": "20194",'
        f' "anonymous": true, "client_token": "nan-1", "latitude": {value}, "longitude": 108.13}}'
    )
    _error(either_client.post("/api/v1/reports", body, content_type="application/json"), 422)
    assert not Report.objects.exists()


def test_a_phone_that_is_no_vietnamese_number_is_a_field_error_on_the_form_and_the_api(kinds, client):
    form = {**FORM, "anonymous": "", "reporter_name": "Lê Văn Tâm", "reporter_phone": "abc"}
    page = client.post("/tin-bao/", form)
    assert page.status_code == 400 and "Số điện thoại không hợp lệ" in page.content.decode()
    api = client.post(
        "/api/v1/reports",
        {
            "client_token": "api-bad-phone",
            "kind": "GT.TAINAN",
            "description": FORM["description"],
            "commune_code": "20194",
            "reporter_phone": "12345",
        },
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["code"] == "validation_failed"
    assert "reporter_phone" in api.json()["details"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0905 333 444", "0905333444"), ("+84 905.333.444", "0905333444"), ("0236 3822 123", "02363822123")],
)
def test_a_callback_phone_is_stored_in_one_form_mobile_or_landline(kinds, typed, stored):
    report = services.report_submit(
        kind_code="GT.TAINAN",
        description=FORM["description"],
        commune_code="20194",
        client_token=f"phone-{stored}-{len(typed)}",
        reporter_name="Lê Văn Tâm",
        reporter_phone=typed,
    ).report
    assert report.reporter_phone == stored
