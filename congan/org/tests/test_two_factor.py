"""TOTP two-factor authentication: setup, verify after the password, recovery codes, enforcement
for leaders and administrators, the API, and the administrator's "turn off" action."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from congan.core.errors import Conflict
from congan.core.models import AuditEvent
from congan.org import roles, selectors, services
from congan.org.tests.otp import confirmed_totp_device, current_token, verified_login

PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory
LOGIN_URL = "/to-chuc/dang-nhap/"
VERIFY_URL = "/to-chuc/xac-thuc-hai-lop/"
SETUP_URL = "/to-chuc/xac-thuc-hai-lop/cai-dat/"
ACCOUNT_URL = "/to-chuc/tai-khoan/"


def login(client, officer):
    return client.post(LOGIN_URL, {"username": officer.username, "password": PASSWORD})


def wrong_token(device: TOTPDevice) -> str:
    return "000000" if current_token(device) != "000000" else "111111"


def officer_with_recovery_codes(officer) -> list[str]:
    confirmed_totp_device(officer)
    return services.otp_recovery_codes_regenerate(officer=officer)


def test_setup_confirm_shows_ten_recovery_codes_and_verifies_the_session(officer_client, officer):
    page = officer_client.get(SETUP_URL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert page.context["secret"] in page.content.decode()

    response = officer_client.post(SETUP_URL, {"token": current_token(device)})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    page = response.content.decode()
    assert all(code in page for code in codes)
    assert set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert officer_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert officer_client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="org.two_factor.enable", target_id=str(officer.pk)).exists()


def test_setup_with_a_wrong_token_does_not_enable_two_factor(officer_client, officer):
    officer_client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=officer)

    response = officer_client.post(SETUP_URL, {"token": wrong_token(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["token"] == ["Mã xác thực không đúng hoặc đã hết hạn."]
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=officer).exists()


def test_officer_with_a_device_is_sent_to_verify_before_the_dashboard(client, officer):
    device = confirmed_totp_device(officer)

    response = login(client, officer)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY_URL}?next={quote('/tong-quan/', safe='')}"
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(VERIFY_URL)

    verified = client.post(VERIFY_URL, {"token": current_token(device), "next": "/tong-quan/"})

    assert verified.status_code == 302
    assert verified["Location"] == "/tong-quan/"
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="org.two_factor.verify", details__device="totp").exists()


def test_wrong_token_shows_a_field_error(client, officer):
    device = confirmed_totp_device(officer)
    login(client, officer)

    response = client.post(VERIFY_URL, {"token": wrong_token(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["token"] == ["Mã xác thực không đúng hoặc đã hết hạn."]
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="org.two_factor.verify_failed", target_id=str(officer.pk)).exists()


def test_verify_does_not_redirect_to_another_site(client, officer):
    device = confirmed_totp_device(officer)
    login(client, officer)

    response = client.post(VERIFY_URL, {"token": current_token(device), "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_recovery_code_works_once_and_not_twice(client, officer):
    codes = officer_with_recovery_codes(officer)

    login(client, officer)
    first = client.post(VERIFY_URL, {"token": codes[0].upper()})
    assert first.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    client.post(reverse("org:logout"))

    login(client, officer)
    second = client.post(VERIFY_URL, {"token": codes[0]})

    assert second.status_code == 200
    assert second.context["form"].errors["token"]
    assert client.get(reverse("dashboard")).status_code == 302


def test_leader_without_a_device_is_forced_to_setup(client, leader):
    client.force_login(leader)

    for url in (reverse("dashboard"), ACCOUNT_URL, reverse("org:officer_list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SETUP_URL

    setup = client.get(SETUP_URL)
    assert setup.status_code == 200
    assert "Vai trò của bạn bắt buộc dùng xác thực hai lớp" in setup.content.decode()


def test_leader_logging_in_goes_straight_to_setup(client, leader):
    response = login(client, leader)

    assert response.status_code == 302
    assert response["Location"] == SETUP_URL


def test_administrator_without_a_device_cannot_open_the_admin(client, admin_officer):
    client.force_login(admin_officer)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == SETUP_URL


def test_officer_without_a_device_is_not_forced(officer_client):
    assert officer_client.get(reverse("dashboard")).status_code == 200


def test_api_refuses_a_session_that_has_not_passed_two_factor(client, officer):
    confirmed_totp_device(officer)
    login(client, officer)

    response = client.get("/api/v1/meta/whoami")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_api_accepts_the_session_once_two_factor_is_passed(client, officer):
    verified_login(client, officer)

    response = client.get("/api/v1/meta/whoami")

    assert response.status_code == 200
    assert response.json()["kind"] == "officer"


def test_api_refuses_a_leader_who_has_not_set_up_two_factor(client, leader):
    client.force_login(leader)

    response = client.get("/api/v1/meta/whoami")

    assert response.status_code == 401
    assert response.json()["code"] == "two_factor_required"


def test_account_page_offers_to_enable_two_factor(officer_client):
    response = officer_client.get(ACCOUNT_URL)

    assert response.status_code == 200
    assert response.context["status"].enabled is False
    page = response.content.decode()
    assert "Chưa bật" in page
    assert f'href="{SETUP_URL}"' in page


def test_account_page_shows_status_and_regenerates_recovery_codes(client, officer):
    old_codes = officer_with_recovery_codes(officer)
    verified_login(client, officer)

    page = client.get(ACCOUNT_URL)
    assert page.status_code == 200
    assert page.context["status"].enabled is True
    assert page.context["status"].recovery_codes_left == 10

    response = client.post(reverse("org:otp_recovery_codes"))

    assert response.status_code == 200
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    stored = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(old_codes)


def test_recovery_codes_cannot_be_made_without_two_factor(officer_client, officer):
    response = officer_client.post(reverse("org:otp_recovery_codes"))

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT_URL
    assert not StaticToken.objects.filter(device__user=officer).exists()
    with pytest.raises(Conflict):
        services.otp_recovery_codes_regenerate(officer=officer)


def test_admin_action_turns_two_factor_off_and_is_audited(client, admin_officer, leader):
    officer_with_recovery_codes(leader)
    verified_login(client, admin_officer)

    response = client.post(
        "/admin/org/officer/",
        {"action": "disable_two_factor", "_selected_action": [leader.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticToken.objects.filter(device__user=leader).exists()
    event = AuditEvent.objects.get(action="org.two_factor.disable")
    assert event.actor_id == str(admin_officer.pk)
    assert event.target_id == str(leader.pk)
    assert event.details == {"devices_removed": 2}


def test_leader_whose_two_factor_was_turned_off_must_set_it_up_again(client, leader):
    verified_login(client, leader)
    assert client.get(reverse("dashboard")).status_code == 200

    services.otp_disable(by="system", officer=leader)

    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == SETUP_URL


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_sets_up_two_factor_in_a_real_browser(live_server, leader, tmp_path):
    from django.contrib.auth.models import Group

    from tests.browser import chromium_page

    # A transactional test flushes the role groups made by migrations; put the one needed back.
    leader.groups.add(Group.objects.get_or_create(name=roles.LEADER)[0])
    assert selectors.officer_requires_two_factor(officer=leader)
    with chromium_page(live_server.url) as page:
        page.goto(LOGIN_URL)
        page.get_by_label("Tên đăng nhập").fill(leader.username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_test_id("login-submit").click()

        page.wait_for_url(f"**{SETUP_URL}")
        assert page.get_by_test_id("otp-required").is_visible()
        assert page.get_by_test_id("otp-secret").inner_text()
        page.screenshot(path=str(tmp_path / "otp_setup.png"), full_page=True)
        device = TOTPDevice.objects.get(user=leader, confirmed=False)
        page.get_by_label("Mã xác thực").fill(current_token(device))
        page.get_by_test_id("otp-submit").click()

        # The answer is the same URL, so wait for the codes rather than a navigation.
        page.get_by_test_id("recovery-codes").locator("li").first.wait_for()
        codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
        assert len(codes) == 10
        page.get_by_role("link", name="Tiếp tục").click()
        page.wait_for_url("**/tong-quan/")
        page.get_by_test_id("account-link").click()
        page.wait_for_url(f"**{ACCOUNT_URL}")
        assert "Đang bật" in page.get_by_test_id("two-factor-status").inner_text()
        page.screenshot(path=str(tmp_path / "account.png"), full_page=True)
        assert page.console_errors == []
