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
        ("Cán bộ, chiến sĩ", 2),  # the viewer and one colleague; the inactive one is not counted
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


def _csv_rows(response) -> list[list[str]]:
    import csv
    import io

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet_rows(response) -> list[list]:
    import io

    from openpyxl import load_workbook

    return [
        [cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows()
    ]


def test_officers_sort_by_rank_as_the_force_orders_them_and_by_name(officer_client, officer, commune, colleagues):
    from congan.org.models import Officer

    Officer.objects.filter(pk=colleagues[0].pk).update(rank="dai_uy")
    Officer.objects.filter(pk=colleagues[1].pk).update(rank="thieu_ta")
    Officer.objects.filter(pk=colleagues[2].pk).update(rank="trung_uy")
    Officer.objects.filter(pk=officer.pk).update(rank="ha_si")

    by_rank = officer_client.get(reverse("org:officer_list"), {"sort": "-rank"})
    assert [o.full_name for o in by_rank.context["page"]] == [
        "Dương Văn Dũng",  # thiếu tá
        "Đặng Thị Ánh",  # đại úy
        "Nguyễn Hữu Đạt",  # trung úy
        "Phan Văn Xem",  # hạ sĩ
    ]
    by_name = officer_client.get(reverse("org:officer_list"), {"sort": "name"})
    assert [o.full_name for o in by_name.context["page"]][:2] == ["Đặng Thị Ánh", "Dương Văn Dũng"]  # Ánh, Dũng


def test_the_officers_export_is_what_the_list_shows_formulas_escaped_and_audited(
    officer_client, officer, commune, other_commune, colleagues
):
    from congan.core.models import AuditEvent

    OfficerFactory(unit=commune, full_name="Lê Văn Bình", position="=1+2 tổ trưởng")
    OfficerFactory(unit=other_commune, full_name="Trần Văn Khác")  # another unit's: never in the file

    rows = _csv_rows(officer_client.get(reverse("org:officer_list"), {"sort": "name", "export": "csv"}))

    assert rows[0] == ["Họ và tên", "Số hiệu", "Cấp bậc", "Chức vụ", "Đơn vị"]
    names = [row[0] for row in rows[1:]]
    assert "Trần Văn Khác" not in names and names[:2] == ["Đặng Thị Ánh", "Lê Văn Bình"]
    assert rows[2][3] == "'=1+2 tổ trưởng" and rows[2][4] == "Công an phường Hải Vân"
    event = AuditEvent.objects.get(action="org.officer.export")
    assert event.actor_label == officer.username and len(event.details["officers"]) == 5
    sheet = _sheet_rows(officer_client.get(reverse("org:officer_list"), {"q": "binh", "export": "xlsx"}))
    assert sheet[1][0] == "Lê Văn Bình" and sheet[1][3] == "'=1+2 tổ trưởng" and len(sheet) == 2


def test_positions_and_roles_read_in_english_in_english_mode(officer_client, officer, colleagues):
    officer.position = "Cảnh sát khu vực"
    officer.save()
    officer_client.cookies["django_language"] = "en"

    listed = officer_client.get(reverse("org:officer_list")).content.decode()
    account = officer_client.get(reverse("org:account")).content.decode()
    exported = officer_client.get(reverse("org:officer_list"), {"export": "csv"}).content.decode("utf-8-sig")

    assert "Community police officer" in listed and "Officer</td>" in listed  # colleagues are "Cán bộ"
    assert "Community police officer" in account and "Specialist officer" in account and "Dispatcher" in account
    assert exported.startswith("Full name,") and "Community police officer" in exported


def test_units_sort_by_name_and_export_without_another_units_rows(officer_client, commune, other_commune):
    UnitFactory(parent=commune, kind="team", code="CAP20194-D2", name="Tổ Cảnh sát khu vực số 2", phone="=2+2")
    UnitFactory(parent=commune, kind="team", code="CAP20194-D1", name="Đội Cảnh sát trật tự")
    UnitFactory(parent=other_commune, kind="team", code="CAP20197-D1", name="Tổ của phường khác")

    page = officer_client.get(reverse("org:unit_list"), {"sort": "-code"})
    assert [u.code for u in page.context["page"]] == ["CAP20194-D2", "CAP20194-D1", "CAP20194"]

    rows = _csv_rows(officer_client.get(reverse("org:unit_list"), {"sort": "code", "export": "csv"}))
    assert rows[0] == ["Mã", "Tên đơn vị", "Loại", "Đơn vị cấp trên", "Mã hành chính", "Điện thoại"]
    assert [row[0] for row in rows[1:]] == ["CAP20194", "CAP20194-D1", "CAP20194-D2"]
    assert rows[3][2] == "Đội, tổ" and rows[3][3] == "Công an phường Hải Vân" and rows[3][5] == "'=2+2"
    sheet = _sheet_rows(officer_client.get(reverse("org:unit_list"), {"sort": "code", "export": "xlsx"}))
    assert [row[0] for row in sheet[1:]] == ["CAP20194", "CAP20194-D1", "CAP20194-D2"] and sheet[3][5] == "'=2+2"


def test_training_courses_sort_filter_by_their_first_day_and_export(officer_client, commune, other_commune):
    import datetime as dt

    TrainingCourseFactory(
        unit=commune, topic="=Kỹ năng tiếp dân", start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4)
    )
    TrainingCourseFactory(
        unit=commune, topic="Bắn súng quân dụng", start_date=dt.date(2026, 5, 10), end_date=dt.date(2026, 5, 11)
    )
    TrainingCourseFactory(
        unit=other_commune, topic="Lớp của phường khác", start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 3)
    )
    url = reverse("org:training_list")

    by_topic = officer_client.get(url, {"sort": "topic"})
    assert [c.topic for c in by_topic.context["page"]] == [
        "=Kỹ năng tiếp dân",
        "Bắn súng quân dụng",
    ]  # folded "=" < "b"
    march = officer_client.get(url, {"date_from": "01/03/2026", "date_to": "31/03/2026"})
    assert [c.topic for c in march.context["page"]] == ["=Kỹ năng tiếp dân"]

    rows = _csv_rows(officer_client.get(url, {"sort": "-start", "export": "csv"}))
    assert rows[0] == ["Chủ đề", "Từ ngày", "Đến ngày", "Đơn vị tổ chức", "Lượt tham gia"]
    assert rows[1][:3] == ["Bắn súng quân dụng", "10/05/2026", "11/05/2026"]
    assert rows[2][0] == "'=Kỹ năng tiếp dân" and len(rows) == 3
    sheet = _sheet_rows(officer_client.get(url, {"date_from": "01/03/2026", "export": "xlsx"}))
    assert len(sheet) == 3 and sheet[1][4] == 0


def test_a_courses_attendees_sort_and_export_audited_with_formulas_escaped(
    officer_client, officer, commune, colleagues
):
    from congan.core.models import AuditEvent
    from congan.org.models import TrainingAttendance

    course = TrainingCourseFactory(unit=commune, topic="Kỹ năng tiếp dân")
    TrainingAttendance.objects.create(course=course, officer=colleagues[0], result="passed", note="=HYPERLINK(1)")
    TrainingAttendance.objects.create(course=course, officer=colleagues[2], result="absent")
    url = reverse("org:training_detail", args=[course.pk])

    by_name = officer_client.get(url, {"sort": "-officer"})
    assert [a.officer.full_name for a in by_name.context["attendances"]] == ["Nguyễn Hữu Đạt", "Đặng Thị Ánh"]

    rows = _csv_rows(officer_client.get(url, {"sort": "officer", "export": "csv"}))
    assert rows[0] == ["Cán bộ", "Đơn vị", "Kết quả", "Ghi chú"]
    assert rows[1] == ["Đặng Thị Ánh", "Công an phường Hải Vân", "Đạt", "'=HYPERLINK(1)"]
    assert rows[2][:3] == ["Nguyễn Hữu Đạt", "Công an phường Hải Vân", "Vắng"] and len(rows) == 3
    event = AuditEvent.objects.get(action="org.officer.export")
    assert sorted(event.details["officers"]) == sorted([colleagues[0].pk, colleagues[2].pk])
    assert event.details["filters"]["course"] == str(course.pk)
    sheet = _sheet_rows(officer_client.get(url, {"export": "xlsx"}))
    assert len(sheet) == 3 and sheet[1][3] == "'=HYPERLINK(1)"
