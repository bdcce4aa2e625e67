"""django-axes lockout: five failures per username + IP lock that pair out, with a clear page."""

from __future__ import annotations

from django.urls import reverse

from congan.core.models import AuditEvent

PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory
LOGIN_URL = "/to-chuc/dang-nhap/"


def attempt(client, username: str, password: str, ip: str = "10.0.0.5"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client, username: str, ip: str = "10.0.0.5"):
    return [attempt(client, username, f"sai-mat-khau-{n}", ip) for n in range(5)]


def test_sixth_attempt_is_refused_even_with_the_right_password(client, officer):
    responses = fail_five_times(client, officer.username)
    assert [r.status_code for r in responses[:4]] == [200, 200, 200, 200]

    response = attempt(client, officer.username, PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "bị tạm khóa trong 15 phút" in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302
    refused = AuditEvent.objects.filter(action="org.login.failed").order_by("seq").last()
    assert refused.details == {"username": officer.username, "locked_out": True}
    assert not AuditEvent.objects.filter(action="org.login").exists()


def test_fifth_failure_already_shows_the_lockout_page(client, officer):
    responses = fail_five_times(client, officer.username)

    assert responses[-1].status_code == 429
    assert "Tạm khóa đăng nhập" in responses[-1].content.decode()


def test_other_username_from_the_same_ip_is_not_locked(client, officer, other_commune_officer):
    fail_five_times(client, officer.username)

    response = attempt(client, other_commune_officer.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_same_username_from_another_ip_is_not_locked(client, officer):
    fail_five_times(client, officer.username, ip="10.0.0.5")

    response = attempt(client, officer.username, PASSWORD, ip="10.0.0.9")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_successful_login_resets_the_failure_count(client, officer):
    for n in range(4):
        attempt(client, officer.username, f"sai-{n}")
    assert attempt(client, officer.username, PASSWORD).status_code == 302
    client.post(reverse("org:logout"))

    responses = [attempt(client, officer.username, f"lai-sai-{n}") for n in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert attempt(client, officer.username, PASSWORD).status_code == 302
