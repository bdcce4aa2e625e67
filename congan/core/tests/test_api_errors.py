"""Every API error, whoever produces it (ninja, Django, our handlers), has the body
``{"code", "message", "details"}`` with a Vietnamese message by default."""

from __future__ import annotations

import pytest
from django.test import Client

TEST_URLS = "congan.core.tests.api_testing"


def assert_error_body(response, *, status: int, code: str, message: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["details"], dict)
    if message is not None:
        assert body["message"] == message
    return body


@pytest.mark.urls(TEST_URLS)
def test_malformed_json_body_is_400_with_error_body(officer_client):
    response = officer_client.post("/api/test/things", data="{not json", content_type="application/json")
    assert_error_body(response, status=400, code="malformed_body", message="Nội dung gửi lên không phải JSON hợp lệ.")


@pytest.mark.urls(TEST_URLS)
def test_invalid_body_fields_are_422_with_per_field_details(officer_client):
    response = officer_client.post(
        "/api/test/things", data={"name": "x", "count": "nhiều"}, content_type="application/json"
    )
    body = assert_error_body(response, status=422, code="validation_failed", message="Dữ liệu không hợp lệ.")
    assert list(body["details"]) == ["count"]
    assert body["details"]["count"]


@pytest.mark.urls(TEST_URLS)
def test_missing_body_field_is_reported_by_name(officer_client):
    response = officer_client.post("/api/test/things", data={"name": "x"}, content_type="application/json")
    body = assert_error_body(response, status=422, code="validation_failed")
    assert "count" in body["details"]


def test_invalid_query_parameter_is_422_with_field_name(officer_client):
    response = officer_client.get("/api/v1/org/units", {"page": "abc"})
    body = assert_error_body(response, status=422, code="validation_failed")
    assert "page" in body["details"]


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": str(2**70)}, {"page_size": str(2**70)}])
def test_out_of_range_pagination_is_422_not_a_server_error(officer_client, params):
    response = officer_client.get("/api/v1/org/units", params)
    body = assert_error_body(response, status=422, code="validation_failed")
    assert set(body["details"]) == set(params)


@pytest.mark.parametrize("path", ["/api/v1/org/units", "/api/v1/org/officers", "/api/v1/org/training-courses"])
def test_nul_character_in_a_query_is_422_not_a_server_error(officer_client, path):
    """PostgreSQL cannot hold NUL in text; without the check these searches were 500s there."""
    response = officer_client.get(path, {"q": "Hải\x00Vân"})
    body = assert_error_body(response, status=422, code="validation_failed")
    assert list(body["details"]) == ["q"]


@pytest.mark.urls(TEST_URLS)
def test_nul_character_in_a_json_body_is_422_naming_the_field(officer_client):
    response = officer_client.post(
        "/api/test/things", data='{"name": "a\\u0000b", "count": 1}', content_type="application/json"
    )
    body = assert_error_body(response, status=422, code="validation_failed")
    assert list(body["details"]) == ["name"]


@pytest.mark.django_db
def test_anonymous_call_is_401(client):
    response = client.get("/api/v1/meta/whoami")
    assert_error_body(response, status=401, code="not_authenticated", message="Cần đăng nhập hoặc khóa API hợp lệ.")


def test_officer_without_permission_gets_403(client, commune, make_officer):
    client.force_login(make_officer(unit=commune))
    response = client.get("/api/v1/org/units")
    assert_error_body(
        response, status=403, code="permission_denied", message="Bạn không có quyền thực hiện thao tác này."
    )


@pytest.mark.django_db
def test_unknown_api_path_is_404_json(client):
    response = client.get("/api/v1/khong-ton-tai")
    assert_error_body(response, status=404, code="not_found", message="Không tìm thấy.")


@pytest.mark.django_db
def test_unknown_api_path_is_404_json_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/khong-ton-tai")
    assert_error_body(response, status=404, code="not_found")


def test_missing_object_is_404(officer_client):
    response = officer_client.get("/api/v1/org/units/987654321")
    assert_error_body(response, status=404, code="not_found", message="Không tìm thấy.")


def test_object_outside_unit_scope_is_404_like_a_missing_one(officer_client, other_commune):
    response = officer_client.get(f"/api/v1/org/units/{other_commune.pk}")
    assert_error_body(response, status=404, code="not_found")


def test_wrong_method_is_405_with_allowed_methods(officer_client):
    response = officer_client.delete("/api/v1/meta/whoami")
    body = assert_error_body(response, status=405, code="method_not_allowed", message="Phương thức không được hỗ trợ.")
    assert body["details"]["allowed"] == ["GET"]
    assert response["Allow"] == "GET"


@pytest.mark.urls(TEST_URLS)
def test_session_write_without_csrf_token_is_403_csrf_failed(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/api/test/things", data={"name": "x", "count": 1}, content_type="application/json")
    assert_error_body(response, status=403, code="csrf_failed")


@pytest.mark.urls(TEST_URLS)
def test_partner_key_write_needs_no_csrf_token(officer, admin_officer):
    from congan.core import apikeys
    from congan.core.models import ApiClient

    partner = ApiClient.objects.create(name="Đối tác")
    issued = apikeys.api_key_issue(by=admin_officer, client=partner, name="k", scopes=["meta.read"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/test/things",
        data={"name": "x", "count": 1},
        content_type="application/json",
        headers={"X-API-Key": issued.raw},
    )
    assert response.status_code == 200
    assert response.json() == {"name": "x", "count": 1}


@pytest.mark.urls(TEST_URLS)
def test_application_error_keeps_its_code_and_details(officer_client):
    response = officer_client.get("/api/test/conflict")
    body = assert_error_body(response, status=409, code="conflict", message="Xung đột với dữ liệu hiện có.")
    assert body["details"] == {"field": "x"}


@pytest.mark.urls(TEST_URLS)
def test_unhandled_error_is_500_with_request_id_and_no_internals(officer, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get("/api/test/boom", headers={"X-Request-ID": "req-abc-123"})
    body = assert_error_body(response, status=500, code="server_error", message="Lỗi hệ thống. Vui lòng thử lại sau.")
    assert body["details"] == {"request_id": "req-abc-123"}
    assert response["X-Request-ID"] == "req-abc-123"
    text = response.content.decode()
    assert "hunter2" not in text
    assert "Traceback" not in text


@pytest.mark.django_db
def test_unhandled_error_in_a_real_endpoint_is_500_json(monkeypatch):
    from congan.core import api_notifications

    def broken(**kwargs):
        raise ZeroDivisionError("division by zero in service")

    monkeypatch.setattr(api_notifications, "notification_push_receipt", broken)
    client = Client(raise_request_exception=False)
    response = client.post("/api/v1/notifications/push-receipts/some-token")
    body = assert_error_body(response, status=500, code="server_error")
    assert body["details"]["request_id"] == response["X-Request-ID"]
    assert "division" not in response.content.decode()


@pytest.mark.urls(TEST_URLS)
@pytest.mark.django_db
def test_unhandled_error_outside_ninja_under_api_prefix_is_500_json(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/api/test-plain/boom")
    body = assert_error_body(response, status=500, code="server_error")
    assert body["details"]["request_id"] == response["X-Request-ID"]
    assert "hunter2" not in response.content.decode()


def test_error_message_is_vietnamese_by_default(officer_client):
    response = officer_client.get("/api/v1/org/units/987654321")
    assert response.json()["message"] == "Không tìm thấy."
    assert response["Content-Language"] == "vi"


def test_english_is_activated_with_accept_language_en(officer_client):
    response = officer_client.get("/api/v1/org/units/987654321", headers={"Accept-Language": "en"})
    body = assert_error_body(response, status=404, code="not_found")
    assert body["message"]
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_english_is_activated_for_errors_built_by_middleware(client):
    response = client.delete("/api/v1/meta/whoami", headers={"Accept-Language": "en"})
    assert_error_body(response, status=405, code="method_not_allowed")
    assert response["Content-Language"] == "en"
