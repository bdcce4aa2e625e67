"""The audit log page (/he-thong/nhat-ky-kiem-toan/): filters, unit scope, permission, HTMX rows."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from congan.core.audit.chain import PendingEvent, append
from congan.core.models import AuditEvent

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/he-thong/nhat-ky-kiem-toan/"


def _event(action: str, *, unit=None, actor: str = "canbo.mau", when: dt.datetime | None = None, **extra) -> None:
    append(
        [
            PendingEvent(
                occurred_at=when or dt.datetime(2026, 3, 10, 9, 0, tzinfo=HCM),
                actor_type=AuditEvent.ActorType.OFFICER,
                actor_id="1",
                actor_label=actor,
                action=action,
                target_type=extra.get("target_type", "population.resident"),
                target_id=extra.get("target_id", "42"),
                unit_id=getattr(unit, "pk", None),
                purpose=extra.get("purpose", "Xác minh"),
                ip="10.1.2.3",
                request_id="",
                details={},
            )
        ]
    )


@pytest.fixture
def foreign_province(make_unit):
    return make_unit(kind="province", code="CA01", name="Công an thành phố Hà Nội", area_code="01")


@pytest.fixture
def leader_client(client, leader, verified_login):
    verified_login(client, leader)
    return client


@pytest.fixture
def admin_client_(client, admin_officer, verified_login):
    verified_login(client, admin_officer)
    return client


def test_url_is_the_documented_one():
    assert reverse("core:audit_list") == URL


def test_leader_sees_events_of_the_unit_subtree_only(leader_client, province, commune, foreign_province):
    _event("test.page.province", unit=province)
    _event("test.page.commune", unit=commune)
    _event("test.page.foreign", unit=foreign_province)
    _event("test.page.no_unit")

    response = leader_client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "test.page.province" in body
    assert "test.page.commune" in body
    assert "test.page.foreign" not in body
    assert "test.page.no_unit" not in body


def test_leader_of_a_commune_does_not_see_the_province_or_a_sibling(
    client, commune, other_commune, province, commune_leader, verified_login
):
    verified_login(client, commune_leader)
    _event("test.page.province", unit=province)
    _event("test.page.commune", unit=commune)
    _event("test.page.sibling", unit=other_commune)

    body = client.get(URL).content.decode()

    assert "test.page.commune" in body
    assert "test.page.province" not in body
    assert "test.page.sibling" not in body


def test_view_all_officer_sees_every_event(admin_client_, commune, foreign_province):
    _event("test.page.foreign", unit=foreign_province)
    _event("test.page.no_unit")

    body = admin_client_.get(URL).content.decode()

    assert "test.page.foreign" in body
    assert "test.page.no_unit" in body


def test_filter_by_actor_matches_part_of_the_name(leader_client, commune):
    _event("test.page.by_lan", unit=commune, actor="nguyen.thi.lan")
    _event("test.page.by_minh", unit=commune, actor="tran.van.minh")

    body = leader_client.get(URL, {"actor": "LAN"}).content.decode()

    assert "test.page.by_lan" in body
    assert "test.page.by_minh" not in body


def test_filter_by_action_prefix(leader_client, commune):
    _event("population.resident.view", unit=commune)
    _event("traffic.plate.lookup", unit=commune)

    body = leader_client.get(URL, {"action": "population."}).content.decode()

    assert "population.resident.view" in body
    assert "traffic.plate.lookup" not in body


def test_filter_by_target(leader_client, commune):
    _event("test.page.target_a", unit=commune, target_type="records.case", target_id="7")
    _event("test.page.target_b", unit=commune, target_type="records.case", target_id="8")

    body = leader_client.get(URL, {"target_type": "records.case", "target_id": "7"}).content.decode()

    assert "test.page.target_a" in body
    assert "test.page.target_b" not in body


def test_filter_by_date_range_uses_local_calendar_days(leader_client, commune):
    _event("test.page.early", unit=commune, when=dt.datetime(2026, 3, 1, 23, 30, tzinfo=HCM))
    # 00:30 on 2 March in Vietnam is still 1 March in UTC: the local day must decide.
    _event("test.page.inside", unit=commune, when=dt.datetime(2026, 3, 2, 0, 30, tzinfo=HCM))
    _event("test.page.last_day", unit=commune, when=dt.datetime(2026, 3, 3, 23, 59, tzinfo=HCM))
    _event("test.page.late", unit=commune, when=dt.datetime(2026, 3, 4, 0, 0, tzinfo=HCM))

    body = leader_client.get(URL, {"date_from": "02/03/2026", "date_to": "2026-03-03"}).content.decode()

    assert "test.page.inside" in body
    assert "test.page.last_day" in body
    assert "test.page.early" not in body
    assert "test.page.late" not in body


def test_dates_are_shown_day_first_in_local_time(leader_client, commune):
    _event("test.page.when", unit=commune, when=dt.datetime(2026, 3, 2, 0, 30, 5, tzinfo=HCM))

    assert "02/03/2026 00:30:05" in leader_client.get(URL).content.decode()


def test_end_date_before_start_date_is_a_field_error(leader_client):
    response = leader_client.get(URL, {"date_from": "2026-03-05", "date_to": "2026-03-01"})

    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()


def test_officer_without_the_permission_is_refused(officer_client, commune):
    _event("test.page.secret", unit=commune)

    response = officer_client.get(URL)

    assert response.status_code == 403
    assert "test.page.secret" not in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("org:login") in response["Location"]


def test_htmx_request_gets_only_the_rows(leader_client, commune):
    _event("test.page.htmx", unit=commune)

    response = leader_client.get(URL, {"action": "test.page"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "test.page.htmx" in body
    assert "<table" in body
    assert "<form" not in body
    assert "<html" not in body.lower()
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(leader_client):
    response = leader_client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    body = response.content.decode()
    assert "<form" in body
    assert "<html" in body.lower()


def test_full_page_has_the_filter_form(leader_client, commune):
    _event("test.page.full", unit=commune)

    body = leader_client.get(URL).content.decode()

    assert 'name="actor"' in body
    assert 'name="action"' in body
    assert 'name="date_from"' in body
    assert "test.page.full" in body


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_page_accepts_no_method_that_could_change_the_log(admin_client_, commune, method):
    _event("test.page.kept", unit=commune)
    before = list(AuditEvent.objects.values_list("seq", "hash"))

    response = getattr(admin_client_, method)(URL, {"action": "x"} if method == "post" else None)

    assert response.status_code == 405
    assert list(AuditEvent.objects.values_list("seq", "hash")) == before


def test_page_lists_newest_first(leader_client, commune):
    _event("test.page.older", unit=commune)
    _event("test.page.newer", unit=commune)

    body = leader_client.get(URL).content.decode()

    assert body.index("test.page.newer") < body.index("test.page.older")


def _csv_rows(response) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_log_sorts_by_a_column_and_keeps_the_sort_in_its_links(leader_client, commune):
    _event("b.test.sort", unit=commune)
    _event("a.test.sort", unit=commune)
    _event("c.test.sort", unit=commune)

    response = leader_client.get(URL, {"action": "", "sort": "action"})
    actions = [event.action for event in response.context["page"] if event.action.endswith(".test.sort")]

    assert actions == ["a.test.sort", "b.test.sort", "c.test.sort"]
    assert 'aria-sort="ascending"' in response.content.decode()
    assert "sort=action&amp;export=csv" in response.content.decode()


def test_the_export_holds_the_filtered_days_as_people_read_them_formulas_escaped_and_is_audited(
    leader_client, leader, commune, foreign_province
):
    import io

    from openpyxl import load_workbook

    _event("test.export.early", unit=commune, when=dt.datetime(2026, 3, 9, 23, 30, tzinfo=HCM))
    _event("test.export.inside", unit=commune, purpose='=HYPERLINK("http://x") — Hồ sơ 7')
    _event("test.export.foreign", unit=foreign_province)  # outside the leader's units: never in the file
    query = {"date_from": "10/03/2026", "date_to": "10/03/2026", "action": "test.export."}

    rows = _csv_rows(leader_client.get(URL, {**query, "export": "csv"}))

    assert rows[0] == ["#", "Thời điểm", "Chủ thể", "Hành động", "Đối tượng", "Mục đích", "IP"]
    assert [row[3] for row in rows[1:]] == ["test.export.inside"]
    assert rows[1][1] == "10/03/2026 09:00" and rows[1][4] == "population.resident #42"
    assert rows[1][5] == '\'=HYPERLINK("http://x") — Hồ sơ 7'
    exported = AuditEvent.objects.get(action="core.audit.export")
    assert exported.actor_label == leader.username and exported.details["events"] == 1
    assert exported.details["filters"]["action"] == "test.export."

    sheet = load_workbook(io.BytesIO(leader_client.get(URL, {**query, "export": "xlsx"}).content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][3] == "test.export.inside" and values[1][5].startswith("'=") and isinstance(values[1][0], int)


def test_purposes_read_in_english_on_the_english_page(leader_client, commune):
    _event("test.page.english", unit=commune, purpose="Quản lý cư trú — Hồ sơ CT01 số 7")
    leader_client.cookies["django_language"] = "en"

    body = leader_client.get(URL).content.decode()

    assert "Residence management — Hồ sơ CT01 số 7" in body
