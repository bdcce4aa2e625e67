"""Unit scope of the organisation's reads: own subtree only, unless ``org.view_all_units`` widens it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from congan.core.errors import NotFound
from congan.org import roles, selectors
from congan.org.models import Officer
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory, UnitFactory


@pytest.fixture
def people(officer, commune, other_commune, province):
    team = UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Tổ Cảnh sát khu vực số 1")
    return {
        "team_member": OfficerFactory(unit=team, full_name="Trần Văn Tổ"),
        "neighbour": OfficerFactory(unit=other_commune, full_name="Lê Thị Bên"),
        "headquarters": OfficerFactory(unit=province, full_name="Phạm Văn Tỉnh"),
        "team": team,
    }


def _with_view_all(officer: Officer) -> Officer:
    officer.user_permissions.add(Permission.objects.get(codename="view_all_units", content_type__app_label="org"))
    return Officer.objects.get(pk=officer.pk)  # drop the permission cache


def test_commune_officer_sees_own_subtree_only(officer, people):
    names = set(selectors.officer_list(viewer=officer).values_list("full_name", flat=True))
    assert names == {officer.full_name, "Trần Văn Tổ"}
    units = set(selectors.unit_list(viewer=officer).values_list("code", flat=True))
    assert units == {"CAP20194", "CAP20194-D1"}


def test_province_officer_sees_every_commune_below(province, people, officer):
    province_officer = OfficerFactory(unit=province, roles=[roles.CLERK])
    names = set(selectors.officer_list(viewer=province_officer).values_list("full_name", flat=True))
    assert {officer.full_name, "Trần Văn Tổ", "Lê Thị Bên", "Phạm Văn Tỉnh"} <= names
    units = set(selectors.unit_list(viewer=province_officer).values_list("code", flat=True))
    assert units == {"CA48", "CAP20194", "CAP20194-D1", "CAP20197"}


def test_view_all_units_permission_widens_a_commune_officer(officer, people, other_commune):
    widened = _with_view_all(officer)
    names = set(selectors.officer_list(viewer=widened).values_list("full_name", flat=True))
    assert {"Lê Thị Bên", "Phạm Văn Tỉnh"} <= names
    assert selectors.officer_get(viewer=widened, officer_id=people["neighbour"].pk).full_name == "Lê Thị Bên"
    assert selectors.unit_get(viewer=widened, unit_id=other_commune.pk) == other_commune


def test_officer_without_unit_sees_nothing(people):
    homeless = OfficerFactory(unit=None, roles=[roles.CLERK])
    assert not selectors.officer_list(viewer=homeless).exists()
    assert not selectors.unit_list(viewer=homeless).exists()


def test_detail_of_another_communes_officer_is_not_found(officer, people):
    with pytest.raises(NotFound):
        selectors.officer_get(viewer=officer, officer_id=people["neighbour"].pk)
    with pytest.raises(NotFound):
        selectors.officer_get(viewer=officer, officer_id=people["headquarters"].pk)  # above is outside too
    assert selectors.officer_get(viewer=officer, officer_id=people["team_member"].pk).full_name == "Trần Văn Tổ"


def test_training_courses_are_scoped_to_the_organising_unit(officer, commune, other_commune, province):
    TrainingCourseFactory(unit=commune, topic="Lớp của phường Hải Vân")
    TrainingCourseFactory(unit=other_commune, topic="Lớp của phường Liên Chiểu")
    TrainingCourseFactory(unit=province, topic="Lớp của Công an thành phố")
    topics = set(selectors.training_course_list(viewer=officer).values_list("topic", flat=True))
    assert topics == {"Lớp của phường Hải Vân"}
    assert len(selectors.training_course_list(viewer=_with_view_all(officer))) == 3


def test_officer_list_page_and_api_hide_another_commune(officer_client, officer, people):
    page = officer_client.get(reverse("org:officer_list")).content.decode()
    assert "Trần Văn Tổ" in page and "Lê Thị Bên" not in page and "Phạm Văn Tỉnh" not in page
    data = officer_client.get("/api/v1/org/officers").json()
    assert data["count"] == 2
    assert {item["full_name"] for item in data["items"]} == {officer.full_name, "Trần Văn Tổ"}


def test_api_detail_of_another_communes_officer_is_a_json_404(officer_client, people):
    response = officer_client.get(f"/api/v1/org/officers/{people['neighbour'].pk}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Không tìm thấy.", "details": {}}
    response = officer_client.get(f"/api/v1/org/units/{people['neighbour'].unit_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_training_page_of_another_commune_is_a_404_page(officer_client, other_commune):
    course = TrainingCourseFactory(unit=other_commune, topic="Lớp của phường Liên Chiểu")
    response = officer_client.get(reverse("org:training_detail", args=[course.pk]))
    assert response.status_code == 404
    assert "Lớp của phường Liên Chiểu" not in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
