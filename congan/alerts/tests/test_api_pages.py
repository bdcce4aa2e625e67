"""Warnings API and pages: public JSON, CAP and Atom; officers' drafts and approval through the API
and the pages; subscriptions; the gateway's delivery reports; every error path."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from lxml import etree

from congan.alerts.models import Alert, Subscription
from congan.alerts.tests.conftest import alert_data
from congan.core import apikeys
from congan.core.models import ApiClient, Notification
from congan.org.tests.otp import verified_login

pytestmark = pytest.mark.django_db
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def _json(data: dict) -> dict:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()}


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


def test_public_alerts_as_json_cap_and_atom(publish, client, seats):
    emergency = publish()
    advisory = publish(urgency="Future", category="Safety", headline="Cảnh giác lừa đảo qua mạng xã hội")
    listed = client.get("/api/v1/alerts").json()
    assert [item["identifier"] for item in listed] == [advisory.identifier, emergency.identifier]
    assert listed[1]["area"]["commune_codes"] == ["20194"] and listed[1]["sender_name"] == "Công an phường Hải Vân"
    assert client.get("/api/v1/alerts?commune=20197").json() == []
    assert client.get(f"/api/v1/alerts/{emergency.identifier}").json()["headline"] == emergency.headline
    _error(client.get("/api/v1/alerts/KHONG-CO"), 404)
    _error(client.get("/api/v1/alerts?commune=abc"), 422)
    cap = client.get(f"/canh-bao/{emergency.identifier}.xml")
    assert cap["Content-Type"].startswith("application/cap+xml")
    assert etree.fromstring(cap.content).tag == "{urn:oasis:names:tc:emergency:cap:1.2}alert"
    feed = etree.fromstring(client.get("/canh-bao/feed.atom").content)
    links = [entry.find("atom:link", ATOM).get("href") for entry in feed.findall("atom:entry", ATOM)]
    assert links == [
        f"http://testserver/canh-bao/{advisory.identifier}.xml",
        f"http://testserver/canh-bao/{emergency.identifier}.xml",
    ]


def test_the_public_page_separates_emergencies_from_advisories(publish, client, seats):
    publish()
    publish(urgency="Future", category="Fire", headline="Khuyến cáo an toàn phòng cháy mùa khô")
    page = client.get("/canh-bao/").content.decode()
    emergency_block, advisory_block = page.split('data-testid="alerts-advisory"')
    assert "Cảnh báo tụ tập đua xe trái phép đêm nay" in emergency_block
    assert "Khuyến cáo an toàn phòng cháy mùa khô" in advisory_block.split("</div>")[0]
    assert client.get("/canh-bao/KHONG-CO/").status_code == 404


def test_drafts_are_unknown_to_the_public(composer, client):
    from congan.alerts import services

    draft = services.alert_save(by=composer, data=alert_data())
    assert client.get(f"/canh-bao/{draft.identifier}/").status_code == 404
    assert client.get(f"/canh-bao/{draft.identifier}.xml").status_code == 404
    assert client.get("/api/v1/alerts").json() == []


def test_the_approval_workflow_through_the_api(composer, approver, client, seats):
    client.force_login(composer)
    created = client.post("/api/v1/alert-drafts", _json(alert_data()), content_type="application/json")
    assert created.status_code == 201, created.content
    draft = created.json()
    assert (draft["state"], draft["created_by"]) == ("draft", composer.full_name)
    submitted = client.post(f"/api/v1/alert-drafts/{draft['id']}/submit")
    assert submitted.json()["state"] == "pending"
    verified_login(client, approver)
    approved = client.post(f"/api/v1/alert-drafts/{draft['id']}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "published"
    update = client.post(
        f"/api/v1/alert-drafts/{draft['id']}/follow-ups", {"msg_type": "Cancel"}, content_type="application/json"
    )
    assert update.status_code == 403  # a leader approves; composing is staff work
    assert client.get(f"/api/v1/alert-drafts/{draft['id']}/deliveries").json()["total"] == 0


def test_api_errors_of_the_workflow(composer, approver, client, other_commune_officer):
    client.force_login(composer)
    no_area = _error(
        client.post("/api/v1/alert-drafts", _json(alert_data(commune_codes=[])), content_type="application/json"), 422
    )
    assert set(no_area["details"]) == {"area"}
    unknown = _error(
        client.post(
            "/api/v1/alert-drafts", _json(alert_data(commune_codes=["99999"])), content_type="application/json"
        ),
        422,
    )
    assert set(unknown["details"]) == {"commune_codes"}
    _error(
        client.post("/api/v1/alert-drafts", _json(alert_data(severity="Huge")), content_type="application/json"), 422
    )
    circle = client.post(
        "/api/v1/alert-drafts",
        {**_json(alert_data(commune_codes=[])), "circle": {"latitude": 16.12, "longitude": 108.13, "radius_km": 2}},
        content_type="application/json",
    )
    assert circle.status_code == 201 and circle.json()["area"]["circle_radius_km"] == 2
    far_offset = client.post(
        "/api/v1/alert-drafts",
        {**_json(alert_data()), "onset": "2026-11-20T10:00:00-20:04"},
        content_type="application/json",
    )
    assert far_offset.status_code == 201  # stored in UTC: PostgreSQL refuses offsets beyond ±15:59
    _error(
        client.post(
            "/api/v1/alert-drafts",
            {**_json(alert_data()), "onset": "0038-02-20T18:42:03+07:00"},
            content_type="application/json",
        ),
        422,
    )
    _error(
        client.post("/api/v1/alert-drafts", {**_json(alert_data()), "colour": "red"}, content_type="application/json"),
        422,
    )
    draft = client.post("/api/v1/alert-drafts", _json(alert_data()), content_type="application/json").json()
    _error(client.post(f"/api/v1/alert-drafts/{draft['id']}/approve"), 403)
    client.post(f"/api/v1/alert-drafts/{draft['id']}/submit")
    _error(client.post(f"/api/v1/alert-drafts/{draft['id']}/submit"), 409)
    _error(client.put(f"/api/v1/alert-drafts/{draft['id']}", _json(alert_data()), content_type="application/json"), 409)
    composer.user_permissions.add(Permission.objects.get(codename="approve_alert"))
    own = _error(client.post(f"/api/v1/alert-drafts/{draft['id']}/approve"), 403)
    assert own["code"] == "two_person_rule"
    verified_login(client, approver)
    _error(
        client.post(f"/api/v1/alert-drafts/{draft['id']}/return", {"reason": ""}, content_type="application/json"), 422
    )
    _error(
        client.post(
            f"/api/v1/alert-drafts/{draft['id']}/follow-ups", {"msg_type": "Update"}, content_type="application/json"
        ),
        403,
    )
    client.force_login(other_commune_officer)
    _error(client.get(f"/api/v1/alert-drafts/{draft['id']}"), 404)
    client.logout()
    _error(client.post("/api/v1/alert-drafts", _json(alert_data()), content_type="application/json"), 401)


def test_subscribing_through_the_api(client, seats, settings):
    body = {"channel": "sms", "recipient": "0905123123", "commune_codes": ["20194"]}
    accepted = client.post("/api/v1/alert-subscriptions", body, content_type="application/json")
    assert accepted.status_code == 202 and accepted.json() == [{"commune_code": "20194", "status": "pending"}]
    code = re.search(r"\b(\d{6})\b", Notification.objects.get(recipient="0905123123").body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    _error(
        client.post("/api/v1/alert-subscriptions/confirm", {**body, "code": wrong}, content_type="application/json"),
        422,
    )
    confirmed = client.post(
        "/api/v1/alert-subscriptions/confirm",
        {"channel": "sms", "recipient": "0905123123", "code": code},
        content_type="application/json",
    )
    assert confirmed.json() == {"activated": 1}
    _error(
        client.post("/api/v1/alert-subscriptions", {**body, "recipient": "abc"}, content_type="application/json"), 422
    )
    token = Subscription.objects.get().token
    assert client.delete(f"/api/v1/alert-subscriptions/{token}").status_code == 204
    assert Subscription.objects.get().status == "ended"
    _error(client.delete("/api/v1/alert-subscriptions/khong-co"), 404)


def test_subscribing_is_rate_limited_per_address(client, seats):
    for index in range(10):
        body = {"channel": "sms", "recipient": f"09051231{index:02d}", "commune_codes": ["20194"]}
        assert client.post("/api/v1/alert-subscriptions", body, content_type="application/json").status_code == 202
    refused = client.post(
        "/api/v1/alert-subscriptions", {**body, "recipient": "0905999999"}, content_type="application/json"
    )
    assert _error(refused, 429) and refused.has_header("Retry-After")


def test_the_gateway_reports_deliveries_with_a_scoped_key(publish, client, seats, admin_officer):
    Subscription.objects.create(
        channel="sms", recipient="0905000001", commune_code="20194", token="a", status=Subscription.Status.ACTIVE
    )
    alert = publish()
    message = Notification.objects.get(target_id=str(alert.pk))
    Notification.objects.filter(pk=message.pk).update(status="sent")
    gateway = ApiClient.objects.create(name="Cổng SMS")
    key = apikeys.api_key_issue(by=admin_officer, client=gateway, name="sms", scopes=["notifications.receipt"])
    other = apikeys.api_key_issue(by=admin_officer, client=gateway, name="other", scopes=["open311.post"])
    body = {"receipts": [{"id": message.pk, "delivered": True}, {"id": 999999, "delivered": True}]}
    _error(
        client.post(
            "/api/v1/notifications/receipts", body, content_type="application/json", headers={"X-API-Key": other.raw}
        ),
        403,
    )
    answer = client.post(
        "/api/v1/notifications/receipts", body, content_type="application/json", headers={"X-API-Key": key.raw}
    )
    assert answer.json() == {"accepted": 1, "unknown": [999999]}
    assert Notification.objects.get(pk=message.pk).status == "delivered"
    _error(
        client.post(
            "/api/v1/notifications/receipts",
            {"receipts": []},
            content_type="application/json",
            headers={"X-API-Key": key.raw},
        ),
        422,
    )


def test_a_new_warning_starts_at_the_mildest_values(composer, client):
    client.force_login(composer)
    page = client.get("/canh-bao/quan-ly/moi/").content.decode()
    mildest = {"urgency": "Future", "severity": "Minor", "certainty": "Possible", "response_type": "Monitor"}
    for name, value in mildest.items():
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert re.search(rf'<option value="{value}" selected>', select), name


def test_compose_submit_and_approve_through_the_pages(composer, approver, client, seats):
    client.force_login(composer)
    assert client.get("/canh-bao/quan-ly/moi/").status_code == 200
    form = {
        **alert_data(commune_codes=[]),
        "effective": "",
        "expires": "",
        "cap_status": "Actual",
        "polygon": "[[16.10, 108.10], [16.15, 108.12], [16.11, 108.16]]",
    }
    saved = client.post("/canh-bao/quan-ly/moi/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    alert = Alert.objects.get()
    assert alert.polygon == [[16.1, 108.1], [16.15, 108.12], [16.11, 108.16]] and alert.commune_codes == ["20194"]
    bad = client.post("/canh-bao/quan-ly/moi/", {**form, "polygon": "[[1, 1], [1, 2], [2, 2]]"})
    assert bad.status_code == 400 and "ngoài lãnh thổ" in bad.content.decode()
    client.post(f"/canh-bao/quan-ly/{alert.pk}/trinh/")
    own = client.post(f"/canh-bao/quan-ly/{alert.pk}/phe-duyet/", follow=True)
    assert "Bạn không có quyền" in own.content.decode()  # composers hold no approval permission
    assert Alert.objects.get().state == "pending"
    verified_login(client, approver)
    page = client.get(f"/canh-bao/quan-ly/{alert.pk}/").content.decode()
    assert 'data-testid="alert-approve"' in page
    area = page.split("Khu vực</dt>")[1].split("</dd>")[0]
    assert "Phường Hải Vân" in area and "20194" not in area  # its commune by name
    client.post(f"/canh-bao/quan-ly/{alert.pk}/phe-duyet/")
    alert.refresh_from_db()
    assert alert.state == "published"
    assert 'data-testid="delivery-counts"' in client.get(f"/canh-bao/quan-ly/{alert.pk}/").content.decode()


def test_the_subscription_pages(client, seats):
    page = client.post(
        "/canh-bao/dang-ky/", {"channel": "email", "recipient": "hoa@example.vn", "commune_codes": ["20194"]}
    )
    assert page.status_code == 302 and "/canh-bao/dang-ky/xac-nhan/" in page["Location"]
    code = re.search(r"\b(\d{6})\b", Notification.objects.get(recipient="hoa@example.vn").body).group(1)
    refused = client.post(
        "/canh-bao/dang-ky/xac-nhan/", {"channel": "email", "recipient": "hoa@example.vn", "code": "12345"}
    )
    assert refused.status_code == 400
    done = client.post("/canh-bao/dang-ky/xac-nhan/", {"channel": "email", "recipient": "hoa@example.vn", "code": code})
    assert done.status_code == 302 and Subscription.objects.get().status == "active"
    empty = client.post("/canh-bao/dang-ky/", {"channel": "sms", "recipient": "0905111222"})
    assert empty.status_code == 400 and "Chọn ít nhất một xã" in empty.content.decode()
    token = Subscription.objects.get().token
    assert client.get(f"/canh-bao/huy-dang-ky/{token}/").status_code == 200
    client.post(f"/canh-bao/huy-dang-ky/{token}/")
    assert Subscription.objects.get().status == "ended"


def test_the_officers_list_sorts_and_exports_the_warnings(composer, client, seats):
    from congan.alerts import services

    for headline in ("Triều cường dâng cao ven biển", "Cảnh báo lừa đảo qua điện thoại"):
        services.alert_save(by=composer, data=alert_data(headline=headline))
    client.force_login(composer)
    page = client.get("/canh-bao/quan-ly/", {"sort": "headline"})
    assert [alert.headline for alert in page.context["alerts"]] == [
        "Cảnh báo lừa đảo qua điện thoại",
        "Triều cường dâng cao ven biển",
    ]
    lines = (
        client.get("/canh-bao/quan-ly/", {"sort": "-headline", "export": "csv"})
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert lines[0] == "Tiêu đề,Loại,Trạng thái,Người soạn,Phát hành"
    assert lines[1].startswith("Triều cường dâng cao ven biển,") and "Võ Tấn Phát" in lines[1]
