"""Administrators manage partner systems and their keys at /he-thong/khoa-api/."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from congan.core import apikeys
from congan.core.models import ApiClient, ApiKey, AuditEvent

LIST = "/he-thong/khoa-api/"
NEW_CLIENT = "/he-thong/khoa-api/doi-tac/moi/"
NEW_KEY = "/he-thong/khoa-api/moi/"


@pytest.fixture
def admin_client(client, admin_officer):
    """The administrator role requires two-factor: sign in with a confirmed, verified device."""
    device = TOTPDevice.objects.create(user=admin_officer, name="Điện thoại", confirmed=True)
    client.force_login(admin_officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def partner(db) -> ApiClient:
    return ApiClient.objects.create(name="Nhà mạng Thử Nghiệm")


def raw_key_in(response) -> str:
    match = re.search(r"cgk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", response.content.decode())
    assert match, "the issued page shows the raw key"
    return match.group(0)


def whoami(raw: str):
    """A call from the partner's system: its own client, no session."""
    return Client().get("/api/v1/meta/whoami", headers={"X-API-Key": raw})


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", LIST), ("get", NEW_CLIENT), ("get", NEW_KEY), ("post", "/he-thong/khoa-api/1/thu-hoi/")],
)
def test_officer_without_the_permission_gets_403(officer_client, method, url):
    response = getattr(officer_client, method)(url)
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/dang-nhap" in response["Location"] or "login" in response["Location"]


def test_admin_sees_keys_and_partners(admin_client, partner, admin_officer):
    apikeys.api_key_issue(by=admin_officer, client=partner, name="Cổng tra cứu", scopes=["meta.read"])
    response = admin_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhà mạng Thử Nghiệm" in html
    assert "Cổng tra cứu" in html


def test_admin_creates_a_partner_and_it_is_audited(admin_client, admin_officer):
    response = admin_client.post(
        NEW_CLIENT,
        {"name": "Ngân hàng Sông Hàn", "contact_name": "Trần Thị B", "contact_email": "b@example.vn"},
    )
    assert response.status_code == 302
    partner = ApiClient.objects.get(name="Ngân hàng Sông Hàn")
    assert partner.active
    event = AuditEvent.objects.get(action="core.api_client.create")
    assert event.target_id == str(partner.pk)
    assert event.actor_id == str(admin_officer.pk)


def test_duplicate_partner_name_is_a_form_error(admin_client, partner):
    response = admin_client.post(NEW_CLIENT, {"name": "nhà mạng thử nghiệm"})
    assert response.status_code == 200
    assert "Đối tác này đã có trong hệ thống." in response.content.decode()
    assert ApiClient.objects.count() == 1


def test_issue_shows_the_raw_key_once_and_stores_only_its_digest(admin_client, partner):
    response = admin_client.post(
        NEW_KEY,
        {"client": partner.pk, "name": "Máy chủ đối soát", "scopes": ["meta.read"], "rate_limit_per_minute": 100},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = raw_key_in(response)
    key = ApiKey.objects.get()
    assert key.digest == apikeys.digest(raw)
    assert key.scopes == ["meta.read"]
    assert key.rate_limit_per_minute == 100
    assert raw.split("_")[1] == key.prefix
    # Never shown again: the list shows the prefix only.
    listing = admin_client.get(LIST).content.decode()
    assert key.prefix in listing
    assert raw not in listing
    assert AuditEvent.objects.filter(action="core.api_key.issue", target_id=str(key.pk)).exists()
    # And the key works.
    assert whoami(raw).status_code == 200


def test_issue_requires_a_scope(admin_client, partner):
    response = admin_client.post(NEW_KEY, {"client": partner.pk, "name": "x", "rate_limit_per_minute": 10})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()
    assert response.context["form"].errors["scopes"]


def test_rotate_revokes_the_old_key_and_issues_one_with_the_same_scopes(admin_client, partner, admin_officer):
    old = apikeys.api_key_issue(
        by=admin_officer, client=partner, name="Cổng", scopes=["meta.read"], rate_limit_per_minute=42
    )
    response = admin_client.post(f"/he-thong/khoa-api/{old.key.pk}/xoay-vong/")
    assert response.status_code == 200
    new_raw = raw_key_in(response)
    assert new_raw != old.raw
    old_key = ApiKey.objects.get(pk=old.key.pk)
    new_key = ApiKey.objects.get(digest=apikeys.digest(new_raw))
    assert old_key.revoked_at is not None
    assert new_key.revoked_at is None
    assert new_key.scopes == old_key.scopes
    assert new_key.rate_limit_per_minute == 42
    assert new_key.client == partner
    assert whoami(old.raw).status_code == 401
    assert whoami(new_raw).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"core.api_key.revoke", "core.api_key.issue", "core.api_key.rotate"} <= actions
    rotate = AuditEvent.objects.get(action="core.api_key.rotate")
    assert rotate.details == {"replaces": old_key.pk, "client": partner.pk}


def test_revoke_makes_the_key_fail_with_401_and_is_audited(admin_client, partner, admin_officer):
    issued = apikeys.api_key_issue(by=admin_officer, client=partner, name="Cổng", scopes=["meta.read"])
    assert whoami(issued.raw).status_code == 200
    response = admin_client.post(f"/he-thong/khoa-api/{issued.key.pk}/thu-hoi/")
    assert response.status_code == 302
    assert whoami(issued.raw).status_code == 401
    event = AuditEvent.objects.get(action="core.api_key.revoke")
    assert event.target_id == str(issued.key.pk)
    assert event.actor_id == str(admin_officer.pk)


def test_revoking_twice_is_refused_without_a_second_event(admin_client, partner, admin_officer):
    issued = apikeys.api_key_issue(by=admin_officer, client=partner, name="Cổng", scopes=["meta.read"])
    admin_client.post(f"/he-thong/khoa-api/{issued.key.pk}/thu-hoi/")
    response = admin_client.post(f"/he-thong/khoa-api/{issued.key.pk}/thu-hoi/", follow=True)
    assert "Khóa đã bị thu hồi." in response.content.decode()
    assert AuditEvent.objects.filter(action="core.api_key.revoke").count() == 1


def test_revoke_and_rotate_need_post(admin_client, partner, admin_officer):
    issued = apikeys.api_key_issue(by=admin_officer, client=partner, name="Cổng", scopes=["meta.read"])
    assert admin_client.get(f"/he-thong/khoa-api/{issued.key.pk}/thu-hoi/").status_code == 405
    assert admin_client.get(f"/he-thong/khoa-api/{issued.key.pk}/xoay-vong/").status_code == 405
    assert ApiKey.objects.get(pk=issued.key.pk).revoked_at is None


def test_unknown_key_is_404_page(admin_client):
    response = admin_client.post("/he-thong/khoa-api/987654/thu-hoi/")
    assert response.status_code == 404


def test_suspending_a_partner_refuses_its_keys_until_resumed(admin_client, partner, admin_officer):
    issued = apikeys.api_key_issue(by=admin_officer, client=partner, name="Cổng", scopes=["meta.read"])
    url = f"/he-thong/khoa-api/doi-tac/{partner.pk}/trang-thai/"
    assert admin_client.post(url, {"active": "0"}).status_code == 302
    assert whoami(issued.raw).status_code == 401
    assert admin_client.post(url, {"active": "1"}).status_code == 302
    assert whoami(issued.raw).status_code == 200
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["core.api_client.suspend", "core.api_client.activate"]


def test_no_key_can_be_issued_to_a_suspended_partner(admin_officer, partner):
    apikeys.api_client_set_active(by=admin_officer, client=partner, active=False)
    with pytest.raises(apikeys.ValidationFailed) as excinfo:
        apikeys.api_key_issue(by=admin_officer, client=partner, name="x", scopes=["meta.read"])
    assert "client" in excinfo.value.details


def test_the_keys_sort_and_export_without_any_secret(admin_client, partner):
    import csv
    import io

    other = ApiClient.objects.create(name="Bảo hiểm xã hội tỉnh")
    first = apikeys.api_key_issue(by="system", client=partner, name="=máy chủ A", scopes=["identity.verify"])
    apikeys.api_key_issue(
        by="system", client=other, name="Máy chủ B", scopes=["identity.verify"], rate_limit_per_minute=60
    )
    apikeys.api_key_revoke(by="system", key=first.key)

    page = admin_client.get(LIST, {"sort": "-client"})
    assert [key.client.name for key in page.context["keys"]] == ["Nhà mạng Thử Nghiệm", "Bảo hiểm xã hội tỉnh"]
    response = admin_client.get(LIST, {"sort": "rate", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Đối tác", "Tên khóa", "Tiền tố", "Phạm vi", "Giới hạn/phút", "Dùng lần cuối", "Trạng thái"]
    assert [row[0] for row in rows[1:]] == ["Bảo hiểm xã hội tỉnh", "Nhà mạng Thử Nghiệm"]
    assert rows[2][1] == "'=máy chủ A" and rows[2][6] == "Đã thu hồi" and rows[1][6] == "Hiệu lực"
    assert first.raw not in response.content.decode("utf-8-sig")  # only the prefix, never the key
