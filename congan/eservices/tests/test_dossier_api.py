"""The dossier API: citizen submission with a bearer token (idempotent), public tracking and
verification, officer transitions, statistics; every error path answers with the shared body."""

from __future__ import annotations

import base64

import pytest

from congan.eservices import workflow
from congan.eservices.models import Dossier
from congan.population import accounts
from congan.population.models import CitizenAccount

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bearer(applicant):
    account = CitizenAccount.objects.create(resident=applicant, phone="0905111222", password="!", level=2)
    return {"Authorization": f"Bearer {accounts.citizen_token_issue(account)}"}


def _body(**overrides):
    return {
        "procedure": "CA.CT.02",
        "data": {"new_commune": "20194", "new_street": "Số 8 Lê Lợi"},
        "client_token": "api-1",
        **overrides,
    }


def _error_shape(response, status, code=None):
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == {"code", "message", "details"}
    if code:
        assert body["code"] == code
    return body


def test_a_citizen_submits_through_the_api_once_per_token(client, bearer, applicant):
    attachment = {
        "label": "Giấy xác nhận chỗ ở",
        "filename": "xn.pdf",
        "content_base64": base64.b64encode(PDF).decode(),
    }
    first = client.post(
        "/api/v1/dossiers", _body(attachments=[attachment]), content_type="application/json", headers=bearer
    )
    assert first.status_code == 201, first.content
    created = first.json()
    assert created["data"]["full_name"] == "Phan Thị Thu" and "full_name" in created["prefilled"]
    again = client.post(
        "/api/v1/dossiers", _body(attachments=[attachment]), content_type="application/json", headers=bearer
    )
    assert (again.status_code, again.json()["code"]) == (200, created["code"])
    assert Dossier.objects.get().attachments.count() == 1
    listed = client.get("/api/v1/dossiers", headers=bearer).json()
    assert [item["code"] for item in listed["items"]] == [created["code"]]
    detail = client.get(f"/api/v1/dossiers/{created['code']}", headers=bearer).json()
    assert [event["action"] for event in detail["events"]] == ["submit"]


def test_the_submission_api_error_paths(client, bearer, applicant):
    _error_shape(client.post("/api/v1/dossiers", _body(), content_type="application/json"), 401)
    _error_shape(
        client.post("/api/v1/dossiers", _body(procedure="CA.KHONG"), content_type="application/json", headers=bearer),
        404,
    )
    bad_field = client.post(
        "/api/v1/dossiers", _body(data={"new_commune": "20194"}), content_type="application/json", headers=bearer
    )
    assert "new_street" in _error_shape(bad_field, 422, "validation_failed")["details"]
    _error_shape(
        client.post("/api/v1/dossiers", _body(client_token=""), content_type="application/json", headers=bearer), 422
    )
    fake = {"label": "x", "filename": "x.pdf", "content_base64": base64.b64encode(b"MZ...").decode()}
    _error_shape(
        client.post(
            "/api/v1/dossiers",
            _body(attachments=[fake], client_token="f"),
            content_type="application/json",
            headers=bearer,
        ),
        422,
    )
    _error_shape(
        client.post(
            "/api/v1/dossiers",
            _body(attachments=[{**fake, "content_base64": "%%%"}], client_token="g"),
            content_type="application/json",
            headers=bearer,
        ),
        422,
    )
    _error_shape(
        client.post("/api/v1/dossiers", {"unexpected": 1}, content_type="application/json", headers=bearer), 422
    )
    _error_shape(client.post("/api/v1/dossiers", "{not json", content_type="application/json", headers=bearer), 400)
    assert not Dossier.objects.exists()


def test_the_idempotency_key_header_works_like_the_body_token(client, bearer):
    headers = {**bearer, "Idempotency-Key": "hdr-1"}
    first = client.post("/api/v1/dossiers", _body(client_token=""), content_type="application/json", headers=headers)
    second = client.post("/api/v1/dossiers", _body(client_token=""), content_type="application/json", headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert Dossier.objects.count() == 1


def test_public_tracking_and_verification_through_the_api(client, submit, clerk, applicant):
    dossier = submit()
    ok = client.get("/api/v1/dossier-status", {"code": dossier.code, "id_last4": applicant.personal_id[-4:]})
    assert ok.status_code == 200 and ok.json()["status"] == "submitted" and ok.json()["data"] == {}
    _error_shape(client.get("/api/v1/dossier-status", {"code": dossier.code, "id_last4": "0000"}), 404)
    _error_shape(client.get("/api/v1/dossier-status", {"code": dossier.code, "id_last4": "12"}), 422)
    for action in ("receive", "start", "approve"):
        dossier = workflow.transition(by=clerk, dossier_id=dossier.pk, action=action)
    verified = client.get(f"/api/v1/results/{dossier.verify_token}")
    assert verified.status_code == 200 and verified.json()["result_number"] == dossier.result_number
    _error_shape(client.get("/api/v1/results/nope"), 404)


def test_officers_move_dossiers_through_the_api_and_see_the_guards(client, submit, clerk):
    dossier = submit()
    client.force_login(clerk)
    inbox = client.get("/api/v1/eservices/inbox").json()
    assert [item["code"] for item in inbox["items"]] == [dossier.code]
    url = f"/api/v1/eservices/dossiers/{dossier.pk}/transitions"
    _error_shape(client.post(url, {"action": "approve"}, content_type="application/json"), 409, "invalid_transition")
    _error_shape(client.post(url, {"action": "reject_intake"}, content_type="application/json"), 422)
    _error_shape(client.post(url, {"action": "fly"}, content_type="application/json"), 404)
    received = client.post(url, {"action": "receive"}, content_type="application/json")
    assert received.status_code == 200 and received.json()["due_on"]
    _error_shape(
        client.post(
            f"/api/v1/eservices/dossiers/{dossier.pk}/extension",
            {"days": 3, "reason": "x"},
            content_type="application/json",
        ),
        409,
    )
    _error_shape(client.get("/api/v1/eservices/dossiers/999999"), 404)


def test_officer_endpoints_need_a_session_and_the_unit(client, submit, other_commune_officer):
    dossier = submit()
    _error_shape(client.get("/api/v1/eservices/inbox"), 401)
    client.force_login(other_commune_officer)
    _error_shape(client.get(f"/api/v1/eservices/dossiers/{dossier.pk}"), 403)  # no eservices role at all


def test_statistics_are_public_for_the_province_and_scoped_for_officers(client, submit, clerk, other_commune_officer):
    submit()
    public = client.get("/api/v1/eservices/statistics", {"months": 3})
    assert public.status_code == 200 and public.json()["total"]["received"] == 1
    assert [group["group"] for group in public.json()["indicators_766"]][:2] == [
        "Công khai, minh bạch",
        "Tiến độ giải quyết",
    ]
    _error_shape(client.get("/api/v1/eservices/statistics", {"months": 99}), 422)
    client.force_login(clerk)
    assert client.get("/api/v1/eservices/statistics/mine").json()["total"]["received"] == 1


def test_a_rating_through_the_api(client, bearer, submit, clerk):
    dossier = submit()
    url = f"/api/v1/dossiers/{dossier.code}/rating"
    _error_shape(client.post(url, {"score": 5}, content_type="application/json", headers=bearer), 409)
    for action in ("receive", "start", "approve", "return_result"):
        workflow.transition(by=clerk, dossier_id=dossier.pk, action=action)
    assert (
        client.post(url, {"score": 5, "comment": "Tốt"}, content_type="application/json", headers=bearer).status_code
        == 201
    )
    _error_shape(client.post(url, {"score": 6}, content_type="application/json", headers=bearer), 422)


def test_a_session_call_with_a_broken_multipart_body_is_a_400_not_a_500(submit, clerk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        f"/api/v1/eservices/dossiers/{submit().pk}/transitions",
        data=b'{"action": "receive"}',
        content_type="multipart/form-data",
        headers={"X-CSRFToken": "a" * 32},
    )
    _error_shape(response, 400, "malformed_body")
