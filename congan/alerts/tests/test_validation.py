"""One validator for a composed alert: the compose page, the API and the service refuse the same
values with the same message, and the OpenAPI document states the bounds that are enforced.

A CAP circle's radius is in kilometres: from 0.1 km (a phone's position is not more precise than
about 100 m, so a smaller circle cannot tell who is inside) to 100 km (more than any province is
wide; a larger area is drawn as a polygon or chosen as communes)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from congan.alerts.models import Alert
from congan.alerts.tests.conftest import alert_data

pytestmark = pytest.mark.django_db

RADIUS = "Bán kính vòng tròn từ 0,1 đến 100 km."
CENTRE = "Tâm vòng tròn nằm ngoài lãnh thổ Việt Nam."
POLYGON_SIZE = "Đa giác cần từ 3 đến 200 đỉnh."
POLYGON_OUTSIDE = "Có đỉnh nằm ngoài lãnh thổ Việt Nam."
REQUIRED = "Trường này là bắt buộc."
CHOICE = "Giá trị không hợp lệ."
UNKNOWN_COMMUNE = "Không có xã, phường với mã: {codes}."
CIRCLE = {"circle_latitude": 16.12, "circle_longitude": 108.13}
HOANG_SA = {"circle_latitude": 16.5, "circle_longitude": 112.0}  # storm warnings for fishermen (Đà Nẵng)
SQUARE = [[16.0, 108.0], [16.2, 108.0], [16.2, 108.3], [16.0, 108.3]]


def _form(data: dict) -> dict:
    """The compose page's POST for the service's data."""
    post = {key: value for key, value in data.items() if value is not None}
    post["polygon"] = json.dumps(data["polygon"]) if data.get("polygon") else ""  # as the map's script sends it
    for name in ("effective", "onset", "expires"):
        value = data.get(name)
        post[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""
    return {"cap_status": "Actual", **post}


def _api(data: dict) -> dict:
    """The API's JSON body for the service's data (the circle is one object)."""
    body = {key: value for key, value in data.items() if not key.startswith("circle_") and value is not None}
    for name in ("effective", "onset", "expires"):
        if data.get(name):
            body[name] = data[name].isoformat()
    if any(key.startswith("circle_") for key in data):
        body["circle"] = {
            "latitude": data.get("circle_latitude"),
            "longitude": data.get("circle_longitude"),
            "radius_km": data.get("circle_radius_km"),
        }
    return body


API_FIELD = {"circle_latitude": "circle.latitude", "circle_radius_km": "circle.radius_km"}
REFUSED = [
    # id, the data changed, the field (as the page and the service name it), the message
    ("radius-below-the-form-minimum", {**CIRCLE, "circle_radius_km": 0.01}, "circle_radius_km", RADIUS),
    ("radius-zero", {**CIRCLE, "circle_radius_km": 0}, "circle_radius_km", RADIUS),
    ("radius-negative", {**CIRCLE, "circle_radius_km": -3}, "circle_radius_km", RADIUS),
    ("radius-just-below", {**CIRCLE, "circle_radius_km": 0.09}, "circle_radius_km", RADIUS),
    ("radius-above", {**CIRCLE, "circle_radius_km": 100.5}, "circle_radius_km", RADIUS),
    (
        "centre-abroad",
        {"circle_latitude": 1.0, "circle_longitude": 1.0, "circle_radius_km": 3},
        "circle_latitude",
        CENTRE,
    ),
    ("polygon-of-two-points", {"polygon": SQUARE[:2]}, "polygon", POLYGON_SIZE),
    (
        "polygon-of-201-points",
        {"polygon": [[16.0 + i / 1000, 108.0 + (i % 2) / 10] for i in range(201)]},
        "polygon",
        POLYGON_SIZE,
    ),
    ("polygon-abroad", {"polygon": [[1, 1], [1, 2], [2, 2]]}, "polygon", POLYGON_OUTSIDE),
    ("headline-too-long", {"headline": "Cảnh báo " * 20}, "headline", "Tối đa 160 ký tự."),
    ("headline-empty", {"headline": ""}, "headline", REQUIRED),
    ("headline-blank", {"headline": "   "}, "headline", REQUIRED),
    ("category-unknown", {"category": "Weather"}, "category", CHOICE),
    ("commune-not-a-code", {"commune_codes": ["abc"]}, "commune_codes", UNKNOWN_COMMUNE.format(codes="abc")),
    ("commune-unknown", {"commune_codes": ["99999"]}, "commune_codes", UNKNOWN_COMMUNE.format(codes="99999")),
    (
        "too-many-communes",
        {"commune_codes": [f"{n:05d}" for n in range(201)]},
        "commune_codes",
        "Tối đa 200 xã, phường.",
    ),
]


@pytest.mark.parametrize(("changed", "field", "message"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED])
def test_the_page_and_the_api_refuse_the_same_values_with_the_same_message(
    client, composer, seats, changed, field, message
):
    data = alert_data(**{"commune_codes": [] if "polygon" in changed or "circle_latitude" in changed else ["20194"]})
    data.update(changed)
    client.force_login(composer)
    page = client.post("/canh-bao/quan-ly/moi/", _form(data))
    assert page.status_code == 400
    page_errors = page.context["form"].errors
    api = client.post("/api/v1/alert-drafts", _api(data), content_type="application/json")
    assert api.status_code == 422, api.content
    api_errors = api.json()["details"]
    assert page_errors[field] == [message], page_errors
    assert api_errors[API_FIELD.get(field, field)] == [message], api_errors
    assert not Alert.objects.exists()


ACCEPTED = [
    ("smallest-circle", {**CIRCLE, "circle_radius_km": 0.1}),
    ("largest-circle", {**CIRCLE, "circle_radius_km": 100}),
    ("circle-near-hoang-sa", {**HOANG_SA, "circle_radius_km": 60}),
    ("polygon", {"polygon": SQUARE}),
]


@pytest.mark.parametrize("changed", [case[1] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED])
def test_the_page_and_the_api_accept_the_same_values(client, composer, seats, changed):
    data = {**alert_data(commune_codes=[]), **changed}
    client.force_login(composer)
    page = client.post("/canh-bao/quan-ly/moi/", _form(data))
    assert page.status_code == 302, page.context["form"].errors
    api = client.post("/api/v1/alert-drafts", _api(data), content_type="application/json")
    assert api.status_code == 201, api.content
    assert Alert.objects.count() == 2


def test_the_times_are_checked_once_for_both(client, composer):
    now = timezone.now()
    data = alert_data(onset=now + dt.timedelta(hours=2), expires=now + dt.timedelta(hours=1))
    client.force_login(composer)
    page = client.post("/canh-bao/quan-ly/moi/", _form(data)).context["form"].errors
    api = client.post("/api/v1/alert-drafts", _api(data), content_type="application/json").json()["details"]
    assert page["expires"] == api["expires"] == ["Thời điểm hết hiệu lực phải sau thời điểm bắt đầu."]


def test_the_openapi_document_states_the_enforced_bounds(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    radius = schemas["CircleIn"]["properties"]["radius_km"]
    assert (radius["minimum"], radius["maximum"]) == (0.1, 100)
    latitude, longitude = (schemas["CircleIn"]["properties"][name] for name in ("latitude", "longitude"))
    assert (latitude["minimum"], latitude["maximum"], longitude["minimum"], longitude["maximum"]) == (
        6,
        23.5,
        102,
        117.5,
    )
    alert_in = schemas["AlertIn"]["properties"]
    assert alert_in["headline"]["maxLength"] == 160 and alert_in["polygon"]["maxItems"] == 200
    assert alert_in["commune_codes"]["maxItems"] == 200


SUBSCRIBER_REFUSED = [
    ("commune-unknown", {"commune_codes": ["99999"]}, "commune_codes", UNKNOWN_COMMUNE.format(codes="99999")),
    (
        "location-abroad",
        {"commune_codes": [], "latitude": 1.0, "longitude": 1.0},
        "location",
        "Vị trí không hợp lệ hoặc nằm ngoài lãnh thổ Việt Nam.",
    ),
    (
        "too-many-communes",
        {"commune_codes": [f"{n:05d}" for n in range(21)]},
        "commune_codes",
        "Đăng ký tối đa 20 xã, phường.",
    ),
]


@pytest.mark.parametrize(
    ("changed", "field", "message"), [case[1:] for case in SUBSCRIBER_REFUSED], ids=[c[0] for c in SUBSCRIBER_REFUSED]
)
def test_the_subscription_page_and_api_refuse_the_same_areas_with_the_same_message(
    client, seats, changed, field, message
):
    data = {"channel": "sms", "recipient": "0905123123", **changed}
    page = client.post("/canh-bao/dang-ky/", {key: value for key, value in data.items() if value is not None})
    assert page.status_code == 400
    form = page.context["form"]
    page_errors = form.errors.get(field) if field in form.fields else form.non_field_errors()
    api = client.post("/api/v1/alert-subscriptions", data, content_type="application/json")
    assert api.status_code == 422, api.content
    assert list(page_errors) == api.json()["details"][field] == [message]
