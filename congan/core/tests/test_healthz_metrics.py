"""/healthz for load balancers and /metrics (Prometheus text) for monitoring."""

from __future__ import annotations

import pytest
from django.db.backends.utils import CursorWrapper
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def broken_execute(self, sql, params=None):
        raise ConnectionError("database is gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken_execute)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "database is gone" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_metrics_are_prometheus_text_for_allowed_addresses(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {family.name: family for family in text_string_to_metric_families(response.content.decode())}
    assert "congan_http_requests" in families
    assert families["congan_database_up"].samples[0].value == 1
    assert "congan_audit_buffer_pending" in families
    healthz_requests = [
        sample
        for sample in families["congan_http_requests"].samples
        if sample.name == "congan_http_requests_total" and sample.labels["area"] == "pages"
    ]
    assert healthz_requests


@pytest.mark.django_db
def test_metrics_count_api_responses_by_status(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]

    def api_401_count() -> float:
        text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "congan_http_requests_total" and sample.labels == {
                    "method": "GET",
                    "area": "api",
                    "status": "401",
                }:
                    return sample.value
        return 0.0

    before = api_401_count()
    client.get("/api/v1/meta/whoami")
    assert api_401_count() == before + 1


@pytest.mark.django_db
def test_metrics_are_403_for_other_addresses(settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.5"]
    response = Client().get("/metrics", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 403
    assert b"congan_" not in response.content


def test_metrics_are_403_for_officers_who_are_not_staff(officer_client, settings):
    settings.METRICS_ALLOWED_IPS = []
    response = officer_client.get("/metrics")
    assert response.status_code == 403


def test_metrics_are_open_to_staff_from_any_address(client, admin_officer, settings):
    settings.METRICS_ALLOWED_IPS = []
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(admin_officer)
    response = client.get("/metrics", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200
    assert b"congan_http_requests_total" in response.content


@pytest.mark.django_db
def test_metrics_ignore_a_forged_forwarded_for_header(settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    response = Client().get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403


@pytest.mark.django_db
def test_metrics_ignore_x_real_ip_unless_it_comes_from_a_trusted_proxy(settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.5"]
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1"]
    forged = Client().get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_X_REAL_IP="10.0.0.5")
    via_proxy = Client().get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.0.5")
    outsider_via_proxy = Client().get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="192.0.2.10")
    assert forged.status_code == 403
    assert via_proxy.status_code == 200
    assert outsider_via_proxy.status_code == 403
