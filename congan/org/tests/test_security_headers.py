"""Security headers, cookies and CSRF on the platform's pages."""

from __future__ import annotations

import pytest
from django.test import Client

LOGIN_URL = "/to-chuc/dang-nhap/"
PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", [LOGIN_URL, "/"])
def test_pages_carry_a_content_security_policy_allowing_only_own_assets(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_signed_in_pages_carry_the_same_policy(officer_client):
    response = officer_client.get("/tong-quan/")

    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]


def test_pages_forbid_framing_sniffing_and_leaking_the_referrer(client, db):
    response = client.get(LOGIN_URL)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_auth_pages_have_no_inline_scripts_or_styles(client, officer):
    pages = {LOGIN_URL: Client().get(LOGIN_URL)}
    client.post(LOGIN_URL, {"username": officer.username, "password": PASSWORD})
    for url in ("/tong-quan/", "/to-chuc/tai-khoan/", "/to-chuc/xac-thuc-hai-lop/cai-dat/"):
        pages[url] = client.get(url)

    for url, response in pages.items():
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "style=" not in page, url
        script_tags = [chunk.split(">", 1)[0] for chunk in page.split("<script")[1:]]
        assert script_tags, url
        assert all(" src=" in tag for tag in script_tags), url


def test_session_cookie_is_httponly_and_samesite_lax(client, officer):
    response = client.post(LOGIN_URL, {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_csrf_cookie_is_samesite_lax(client, db):
    response = client.get(LOGIN_URL)

    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_login_post_without_csrf_token_is_rejected(officer):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN_URL, {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_post_with_csrf_token_is_accepted(officer):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)
    token = client.cookies["csrftoken"].value

    response = client.post(
        LOGIN_URL, {"username": officer.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_logout_post_without_csrf_token_is_rejected(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post("/to-chuc/dang-xuat/")

    assert response.status_code == 403
    assert "_auth_user_id" in client.session
