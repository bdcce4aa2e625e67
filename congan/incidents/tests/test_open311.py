"""Open311 GeoReport v2: each endpoint field by field, in JSON and XML, with the specification's
error shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from congan.core import apikeys
from congan.core.models import ApiClient
from congan.incidents import services

pytestmark = pytest.mark.django_db
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def key(province, commune, officer):
    services.kinds_load(by="system")
    issued = apikeys.api_key_issue(
        by=officer,
        client=ApiClient.objects.create(name="Ứng dụng phản ánh"),
        name="app",
        scopes=["open311.post"],
        rate_limit_per_minute=600,
    )
    return issued.raw


def _xml(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output, in a test


def _post(client, key, **fields):
    data = {
        "api_key": key,
        "service_code": "GT.TAINAN",
        "lat": "16.06",
        "long": "108.22",
        "address_id": "20194",
        "address_string": "Ngã tư Lê Duẩn",
        "description": "Va chạm xe máy, một người bị thương",
        "first_name": "Lan",
        "phone": "0905123123",
        **fields,
    }
    return client.post("/open311/v2/requests.json", data)


def test_discovery_and_services_in_json_and_xml(client, key):
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert _xml(client.get("/open311/v2/discovery.xml")).find("endpoints/endpoint/url") is not None
    services_json = client.get("/open311/v2/services.json").json()
    fire = next(s for s in services_json if s["service_code"] == "CHAY.NHA")
    assert fire == {
        "service_code": "CHAY.NHA",
        "service_name": "Cháy nhà, công trình",
        "description": "Cháy nhà, công trình",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "Cháy, nổ, cứu nạn",
    }
    xml = _xml(client.get("/open311/v2/services.xml"))
    assert xml.tag == "services" and xml.find("service/metadata").text == "false"
    assert client.get("/open311/v2/services/CHAY.NHA.json").json() == {"service_code": "CHAY.NHA", "attributes": []}


def test_posting_a_request_needs_a_key_and_returns_its_id(client, key):
    created = _post(client, key)
    assert created.status_code == 201
    [row] = created.json()
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    fetched = client.get(f"/open311/v2/requests/{row['service_request_id']}.json").json()
    assert set(fetched[0]) == REQUEST_FIELDS
    assert (fetched[0]["status"], fetched[0]["service_code"], fetched[0]["address_id"]) == (
        "open",
        "GT.TAINAN",
        "20194",
    )
    assert "0905123123" not in str(fetched)  # contact details are never published
    token = client.get(f"/open311/v2/tokens/{row['service_request_id']}.json").json()
    assert token == [{"service_request_id": row["service_request_id"], "token": row["service_request_id"]}]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"api_key": ""}, 403),
        ({"api_key": "cgk_wrong"}, 403),
        ({"service_code": ""}, 400),
        ({"service_code": "KHONG"}, 400),
        ({"address_id": ""}, 400),
        ({"lat": "48.8", "long": "2.3"}, 400),
    ],
)
def test_bad_posts_get_the_specifications_error_list(client, key, fields, status):
    response = _post(client, key, **fields)
    assert response.status_code == status
    [error] = response.json()
    assert set(error) == {"code", "description"} and error["code"] == status


def test_requests_are_listed_with_filters_in_json_and_xml(client, key):
    first = _post(client, key).json()[0]["service_request_id"]
    _post(client, key, service_code="CHAY.XE", description="Xe tải bốc cháy trên cầu")
    listed = client.get("/open311/v2/requests.json", {"service_code": "GT.TAINAN", "status": "open"}).json()
    assert [r["service_request_id"] for r in listed] == [first]
    by_id = client.get("/open311/v2/requests.json", {"service_request_id": first}).json()
    assert len(by_id) == 1
    xml = _xml(client.get("/open311/v2/requests.xml"))
    assert xml.tag == "service_requests" and len(xml.findall("request")) == 2
    assert client.get("/open311/v2/requests.json", {"status": "maybe"}).status_code == 400
    assert client.get("/open311/v2/requests.json", {"start_date": "not a date"}).status_code == 400
    missing = client.get("/open311/v2/requests/TBKHONGCO.xml")
    assert missing.status_code == 404 and _xml(missing).find("error/code").text == "404"
    assert client.get("/open311/v2/requests.csv").status_code == 404


def test_service_request_updates_list_public_steps(client, key):
    request_id = _post(client, key).json()[0]["service_request_id"]
    updates = client.get("/open311/v2/servicerequestupdates.json").json()
    assert [(u["service_request_id"], u["status"]) for u in updates] == [(request_id, "open")]
    assert set(updates[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }


def test_crime_tips_are_never_listed_and_anonymous_places_are_blurred(client, key):
    tip = _post(client, key, service_code="TP.TOGIAC", description="Tố giác điểm đánh bạc trong quán cà phê")
    tip_id = tip.json()[0]["service_request_id"]
    anonymous = _post(client, key, phone="", first_name="", lat="16.061234", long="108.221987")
    anonymous_id = anonymous.json()[0]["service_request_id"]
    listed = {row["service_request_id"]: row for row in client.get("/open311/v2/requests.json").json()}
    assert tip_id not in listed
    assert (listed[anonymous_id]["lat"], listed[anonymous_id]["long"], listed[anonymous_id]["address"]) == (
        16.061,
        108.222,
        "",
    )
    updates = client.get("/open311/v2/servicerequestupdates.json").json()
    assert tip_id not in {update["service_request_id"] for update in updates}
    by_id = client.get(f"/open311/v2/requests/{tip_id}.json").json()[0]
    assert (by_id["description"], by_id["address"], by_id["lat"], by_id["long"]) == ("", "", None, None)
