"""Officer and unit list pages: folded search, filters, HTMX rows, permissions, dashboard panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congan.org import roles
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory, UnitFactory


@pytest.fixture
def colleagues(officer, commune):
    officer.full_name = "Phan Văn Xem"  # the factory's random name could match a query below
    officer.save()
    return [
        OfficerFactory(unit=commune, full_name="Đặng Thị Ánh", officer_number="480101"),
        OfficerFactory(unit=commune, full_name="Dương Văn Dũng", officer_number="480102"),
        OfficerFactory(unit=commune, full_name="Nguyễn Hữu Đạt", officer_number="480103"),
    ]


def _names(response) -> set[str]:
    return {officer.full_name for officer in response.context["page"]}


@pytest.mark.parametrize("query", ["dang", "DANG", "Đặng", "đặng thị", "  dang   thi anh "])
def test_officer_search_ignores_diacritics_and_reads_d_for_đ(officer_client, colleagues, query):
    response = officer_client.get(reverse("org:officer_list"), {"q": query})
    assert response.status_code == 200
    assert _names(response) == {"Đặng Thị Ánh"}


def test_officer_search_by_d_finds_both_d_and_đ_names(officer_client, colleagues):
    response = officer_client.get(reverse("org:officer_list"), {"q": "dat"})
    assert _names(response) == {"Nguyễn Hữu Đạt"}
    response = officer_client.get(reverse("org:officer_list"), {"q": "d"})
    assert {"Đặng Thị Ánh", "Dương Văn Dũng", "Nguyễn Hữu Đạt"} <= _names(response)


def test_officer_search_by_officer_number(officer_client, colleagues):
    response = officer_client.get(reverse("org:officer_list"), {"q": "480102"})
    assert _names(response) == {"Dương Văn Dũng"}


def test_officer_list_filters_by_a_unit_in_scope(officer_client, officer, commune, colleagues):
    team = UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Tổ Cảnh sát khu vực số 1")
    OfficerFactory(unit=team, full_name="Võ Tấn Phát")
    response = officer_client.get(reverse("org:officer_list"), {"unit": team.pk})
    assert _names(response) == {"Võ Tấn Phát"}
    response = officer_client.get(reverse("org:officer_list"))
    assert _names(response) == {officer.full_name, "Đặng Thị Ánh", "Dương Văn Dũng", "Nguyễn Hữu Đạt", "Võ Tấn Phát"}


def test_officer_list_unit_filter_offers_only_units_in_scope(officer_client, other_commune, colleagues):
    response = officer_client.get(reverse("org:officer_list"), {"unit": other_commune.pk})
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert "Công an phường Liên Chiểu" not in response.content.decode()


def test_officer_list_htmx_request_returns_only_the_rows(officer_client, colleagues):
    response = officer_client.get(reverse("org:officer_list"), {"q": "dang"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đặng Thị Ánh" in body
    assert "<html" not in body and "<form" not in body


def test_officer_list_shows_rank_position_and_unit(officer_client, commune):
    OfficerFactory(unit=commune, full_name="Trần Quốc Bảo", rank="trung_ta", position="Trưởng Công an phường")
    body = officer_client.get(reverse("org:officer_list"), {"q": "bao"}).content.decode()
    assert "Trung tá" in body and "Trưởng Công an phường" in body and "Công an phường Hải Vân" in body


def test_officer_list_needs_the_view_officer_permission(client, commune):
    receptionist = OfficerFactory(unit=commune, roles=[roles.RECEPTION])  # no org.view_officer
    client.force_login(receptionist)
    assert client.get(reverse("org:officer_list")).status_code == 403


def test_officer_list_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("org:officer_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login"))


def test_unit_list_search_is_folded_and_filters_by_kind(officer_client, commune):
    UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Tổ Cảnh sát khu vực Đà Sơn")
    response = officer_client.get(reverse("org:unit_list"), {"q": "da son"})
    assert [unit.code for unit in response.context["page"]] == ["CAP20194-D1"]
    response = officer_client.get(reverse("org:unit_list"), {"kind": "ward"})
    assert [unit.code for unit in response.context["page"]] == ["CAP20194"]
    response = officer_client.get(reverse("org:unit_list"), {"q": "cap20194"})
    assert [unit.code for unit in response.context["page"]] == ["CAP20194"]


def test_dashboard_panel_shows_the_figures_of_the_viewers_subtree(officer_client, officer, commune, other_commune):
    UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Tổ công tác")
    OfficerFactory(unit=commune)
    OfficerFactory(unit=commune, is_active=False)
    OfficerFactory(unit=other_commune)
    TrainingCourseFactory(unit=commune)
    TrainingCourseFactory(unit=other_commune)
    response = officer_client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if str(p.title) == "Tổ chức, cán bộ")
    assert [(str(label), value) for label, value in panel.figures] == [
        ("Đơn vị trực thuộc", 1),
        ("Cán bộ", 2),  # the viewer and one colleague; the inactive one is not counted
        ("Lớp tập huấn", 1),
        ("Lượt tham gia tập huấn", 0),
    ]
    assert panel.link == reverse("org:officer_list")
    assert "Lượt tham gia tập huấn" in response.content.decode()


def test_dashboard_has_no_org_panel_for_an_officer_without_unit(client, db):
    homeless = OfficerFactory(unit=None, roles=[roles.CLERK])
    client.force_login(homeless)
    response = client.get(reverse("dashboard"))
    assert all(str(p.title) != "Tổ chức, cán bộ" for p in response.context["panels"])


def test_the_communes_of_the_map_are_public_with_their_names_and_seats(client, commune):
    from decimal import Decimal

    from django.core.cache import cache

    from congan.org.models import Unit

    cache.delete("org:commune_places")
    Unit.objects.filter(pk=commune.pk).update(latitude=Decimal("16.0600"), longitude=Decimal("108.2200"))
    response = client.get("/to-chuc/xa-phuong.json")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert {"code": "20194", "name": "Phường Hải Vân", "lat": 16.06, "lon": 108.22} in response.json()["communes"]


def test_the_menu_groups_modules_with_the_roles_own_work_first_and_public_pages_last(commune):
    from django.contrib.auth.models import AnonymousUser

    from congan.core.navigation import menu_groups
    from congan.org import roles
    from congan.org.tests.factories import OfficerFactory

    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    labels = [group["label"] for group in menu_groups(dispatcher)]
    assert labels[:2] == ["", "Tin báo"]  # the dashboard, then the dispatcher's own work
    assert labels[-1] == "Trang công khai" and len(labels) == len(set(labels))
    reports = next(group for group in menu_groups(dispatcher) if group["label"] == "Tin báo")
    assert [item["label"] for item in reports["items"]][:2] == ["Tin báo", "Điều phối"]
    clerk = OfficerFactory(unit=commune, roles=[roles.RECEPTION])
    assert [group["label"] for group in menu_groups(clerk)][1] in ("Dân cư", "Dịch vụ công")
    [public] = menu_groups(AnonymousUser())
    assert public["label"] == "" and "Báo tin" in [item["label"] for item in public["items"]]


def test_each_role_finds_its_own_work_first_on_the_dashboard(commune):
    from congan.core.dashboard import panels_for
    from congan.incidents import services as incidents
    from congan.org import roles
    from congan.org.tests.factories import OfficerFactory

    incidents.kinds_load(by="system")
    incidents.report_submit(
        kind_code="CHAY.NHA",
        description="Cháy nhà dân, khói lớn",
        commune_code="20194",
        client_token="d1",
        anonymous=True,
    )
    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    [first, *_others] = panels_for(dispatcher)
    assert first.title == "Tin báo"
    assert dict(first.figures) == {"Tin báo chưa xử lý xong": 1, "trong đó khẩn cấp": 1, "Tiếp nhận hôm nay": 1}
    specialist = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    assert panels_for(specialist)[0].title == "Vi phạm giao thông qua hình ảnh"
    leader = OfficerFactory(unit=commune, roles=[roles.LEADER])
    titles = [panel.title for panel in panels_for(leader)]
    assert {"Tin báo", "Cảnh báo", "Dịch vụ công", "Vi phạm giao thông qua hình ảnh"} <= set(titles)
