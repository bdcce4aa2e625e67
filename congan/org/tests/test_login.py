"""Sign-in and sign-out pages: Vietnamese, audited, argon2 hashes, strong passwords, safe ``next``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congan.core.errors import ValidationFailed
from congan.core.models import AuditEvent
from congan.org import services

PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory
LOGIN_URL = "/to-chuc/dang-nhap/"


def login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def test_login_page_is_in_vietnamese(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Cán bộ đăng nhập" in page
    assert "Tên đăng nhập" in page
    assert "Mật khẩu" in page
    assert "Sau 5 lần nhập sai" in page


def test_officer_signs_in_reaches_dashboard_and_sign_in_is_audited(client, officer):
    response = login(client, officer.username)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert officer.full_name in dashboard.content.decode()
    event = AuditEvent.objects.get(action="org.login")
    assert event.actor_id == str(officer.pk)
    assert event.target_id == str(officer.pk)


def test_wrong_password_shows_vietnamese_error_and_is_audited(client, officer):
    response = login(client, officer.username, "sai-mat-khau-roi")

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="org.login.failed")
    assert event.actor_type == AuditEvent.ActorType.ANONYMOUS
    assert event.details == {"username": officer.username, "locked_out": False}


def test_login_follows_next_inside_the_site(client, officer):
    response = login(client, officer.username, next="/to-chuc/tai-khoan/")

    assert response.status_code == 302
    assert response["Location"] == "/to-chuc/tai-khoan/"


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "https:///evil.example"])
def test_login_ignores_next_pointing_to_another_site(client, officer, evil):
    response = login(client, officer.username, next=evil)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_login_page_does_not_render_an_external_next(client, db):
    response = client.get(LOGIN_URL, {"next": "https://evil.example/"})

    assert response.status_code == 200
    assert response.context["next"] == ""
    assert '<input type="hidden" name="next" value="">' in response.content.decode()


def test_logout_refuses_get(officer_client):
    response = officer_client.get(reverse("org:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in officer_client.session


def test_logout_by_post_signs_out_and_is_audited(officer_client, officer):
    response = officer_client.post(reverse("org:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("org:login")
    assert "_auth_user_id" not in officer_client.session
    assert officer_client.get(reverse("dashboard")).status_code == 302
    event = AuditEvent.objects.get(action="org.logout")
    assert event.actor_id == str(officer.pk)


def test_dashboard_has_a_logout_post_form(officer_client):
    page = officer_client.get(reverse("dashboard")).content.decode()

    assert f'action="{reverse("org:logout")}" method="post"' in page


def test_admin_login_goes_through_the_platform_login(client, db):
    response = client.get("/admin/login/", {"next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=%2Fadmin%2F"


def test_stored_password_hash_is_argon2(settings, officer):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    services.officer_set_password(by="system", officer=officer, password="Ngay-moi-2025-an-toan")

    officer.refresh_from_db()
    assert officer.password.startswith("argon2")
    assert officer.check_password("Ngay-moi-2025-an-toan")


@pytest.mark.parametrize("weak", ["ngan-qua", "1234567890123", "password123"])
def test_weak_password_is_rejected(officer, weak):
    with pytest.raises(ValidationFailed) as exc_info:
        services.officer_set_password(by="system", officer=officer, password=weak)

    assert exc_info.value.details["password"]
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
