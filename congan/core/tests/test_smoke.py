import pytest


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_landing_page_is_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Cán bộ đăng nhập" in response.content.decode()


def test_dashboard_shows_officer_name(officer_client, officer):
    response = officer_client.get("/tong-quan/")
    assert response.status_code == 200
    assert officer.full_name in response.content.decode()
