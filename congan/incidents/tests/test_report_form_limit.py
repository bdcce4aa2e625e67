"""The public report form is limited like the API, per address and together with it: the page
answers 429 with the reason above the form and Retry-After, and keeps nothing."""

from __future__ import annotations

import pytest

from congan.incidents import services
from congan.incidents.models import Report

pytestmark = pytest.mark.django_db
ADDRESS, OTHER_ADDRESS = "198.51.100.9", "198.51.100.10"


@pytest.fixture
def kinds(province, commune):
    services.kinds_load(by="system")
    services.routing_rules_for_province(by="system", province=province)


def _page(client, token: str, address: str = ADDRESS):
    body = {
        "client_token": token,
        "kind": "GT.TAINAN",
        "description": "Va chạm giữa xe máy và xe đạp",
        "commune_code": "20194",
        "anonymous": "on",
        "latitude": "16.120000",
        "longitude": "108.130000",
    }
    return client.post("/tin-bao/", body, REMOTE_ADDR=address)


def _api(client, token: str, address: str = ADDRESS):
    body = {"kind": "GT.TAINAN", "description": "Va chạm giữa hai xe máy", "commune_code": "20194", "anonymous": True}
    return client.post(
        "/api/v1/reports", {**body, "client_token": token}, content_type="application/json", REMOTE_ADDR=address
    )


def test_the_public_report_form_counts_with_the_api_against_one_limit_per_address(kinds, client, settings):
    settings.INCIDENTS_SUBMISSIONS_PER_10_MINUTES = 3
    assert _api(client, "api-1").status_code == 201
    assert [_page(client, f"page-{n}").status_code for n in range(2)] == [302, 302]

    refused = _page(client, "page-3")

    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert 0 < retry_after <= 600
    page = refused.content.decode()
    assert "Đã gửi quá nhiều tin báo từ địa chỉ này." in page and "113 (công an)" in page
    assert Report.objects.count() == 3
    api_refused = _api(client, "api-2")
    assert api_refused.status_code == 429 and api_refused.json()["code"] == "rate_limited"
    assert _page(client, "page-4", address=OTHER_ADDRESS).status_code == 302
