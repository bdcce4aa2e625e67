"""The organisation API: filters, pagination, fields, errors and constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congan.org import roles
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory, UnitFactory


def test_units_api_lists_the_subtree_with_filters(officer_client, commune):
    UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Tổ Cảnh sát khu vực Đà Sơn")
    data = officer_client.get("/api/v1/org/units").json()
    assert data["count"] == 2
    assert [unit["code"] for unit in data["items"]] == ["CAP20194", "CAP20194-D1"]
    assert data["items"][1]["parent_id"] == commune.pk and data["items"][1]["depth"] == commune.depth + 1
    assert [u["code"] for u in officer_client.get("/api/v1/org/units", {"q": "da son"}).json()["items"]] == [
        "CAP20194-D1"
    ]
    assert [u["code"] for u in officer_client.get("/api/v1/org/units", {"kind": "ward"}).json()["items"]] == [
        "CAP20194"
    ]


def test_unit_detail_api_returns_area_code_and_coordinates(officer_client, commune):
    commune.latitude, commune.longitude = 16.1315, 107.972
    commune.save()
    data = officer_client.get(f"/api/v1/org/units/{commune.pk}").json()
    assert data["area_code"] == "20194" and data["kind"] == "ward"
    assert (data["latitude"], data["longitude"]) == (16.1315, 107.972)


def test_officers_api_searches_folded_names_and_filters_by_unit(officer_client, officer, commune):
    team = UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Tổ 1")
    dang = OfficerFactory(unit=team, full_name="Đặng Thị Ánh", rank="dai_uy", position="Cảnh sát khu vực")
    data = officer_client.get("/api/v1/org/officers", {"q": "dang thi"}).json()
    assert data["count"] == 1
    assert data["items"][0] == {
        "id": dang.pk,
        "username": dang.username,
        "full_name": "Đặng Thị Ánh",
        "officer_number": dang.officer_number,
        "rank": "dai_uy",
        "position": "Cảnh sát khu vực",
        "unit_id": team.pk,
        "unit_name": "Tổ 1",
        "is_active": True,
    }
    by_unit = officer_client.get("/api/v1/org/officers", {"unit_id": commune.pk}).json()
    assert [item["id"] for item in by_unit["items"]] == [officer.pk]


def test_officer_detail_api_returns_the_officer(officer_client, officer):
    data = officer_client.get(f"/api/v1/org/officers/{officer.pk}").json()
    assert data["full_name"] == officer.full_name and data["unit_name"] == "Công an phường Hải Vân"


def test_training_courses_api_lists_courses_with_attendance_counts(officer_client, officer, commune):
    course = TrainingCourseFactory(unit=commune, topic="Đăng ký cư trú")
    course.attendances.create(officer=officer, result="passed")
    data = officer_client.get("/api/v1/org/training-courses", {"q": "dang ky"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (item["topic"], item["attendance_count"], item["unit_name"]) == (
        "Đăng ký cư trú",
        1,
        "Công an phường Hải Vân",
    )
    assert (item["start_date"], item["end_date"]) == ("2026-10-05", "2026-10-07")  # ISO 8601 in the API


def test_officers_api_refuses_an_officer_without_the_permission(client, commune):
    receptionist = OfficerFactory(unit=commune, roles=[roles.RECEPTION])
    client.force_login(receptionist)
    response = client.get("/api/v1/org/officers")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_org_api_refuses_anonymous_callers(client, db):
    response = client.get("/api/v1/org/units")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bad_unit_id_filter_is_a_422_with_field_details(officer_client):
    response = officer_client.get("/api/v1/org/officers", {"unit_id": "abc"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed" and "unit_id" in body["details"]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/org/officers", "/api/v1/org/training-courses", "/api/v1/org/units"])
def test_list_endpoints_use_the_same_number_of_queries_for_more_rows(officer_client, commune, url):
    def add_rows(count: int) -> None:
        for _index in range(count):
            team = UnitFactory(parent=commune, kind="team")
            OfficerFactory(unit=team)
            TrainingCourseFactory(unit=team)

    add_rows(2)
    few = _queries(officer_client, url)
    add_rows(8)
    assert _queries(officer_client, url) == few
