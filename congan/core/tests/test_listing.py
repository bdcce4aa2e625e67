"""Lists: sorting by a column, a date range, and exports people can open (core.listing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook

from congan.core.listing import Column, DateRangeForm, Listing, readable, safe_cell
from congan.core.models import AuditEvent

COLUMNS = [
    Column("seq", "Số", lambda event: event.seq, ("seq",)),
    Column("action", "Hành động", lambda event: event.action, ("action",)),
    Column("at", "Thời điểm", lambda event: event.occurred_at),
    Column("purpose", "Mục đích", lambda event: event.purpose),
]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84905", "'+84905"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        (-5, -5),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert safe_cell(value) == written


def test_cells_read_as_people_read_them():
    moment = dt.datetime(2026, 12, 7, 8, 5, tzinfo=timezone.get_current_timezone())
    assert readable(moment) == "07/12/2026 08:05"
    assert readable(dt.date(2026, 1, 2)) == "02/01/2026"
    assert (readable(None), readable(Decimal("1.5")), readable(3)) == ("", Decimal("1.5"), 3)


def test_a_click_on_a_header_sorts_by_it_then_the_other_way():
    listing = Listing(COLUMNS, QueryDict("status=open&page=3"))
    headers = listing.headers()
    assert [h["url"] for h in headers] == ["?status=open&sort=seq", "?status=open&sort=action", "", ""]
    listing = Listing(COLUMNS, QueryDict("status=open&sort=action"))
    assert listing.headers()[1] == {"label": "Hành động", "url": "?status=open&sort=-action", "aria_sort": "ascending"}
    assert Listing(COLUMNS, QueryDict("sort=-action")).headers()[1]["aria_sort"] == "descending"
    assert Listing(COLUMNS, QueryDict("sort=purpose")).sort == ""  # not a sortable column: ignored
    assert listing.query_string == "status=open&sort=action"
    assert listing.export_url_csv == "?status=open&sort=action&export=csv"


@pytest.mark.django_db
def test_the_export_holds_the_sorted_rows_as_people_read_them(officer):
    from congan.core.audit import audit_record, buffer

    for action in ("b.view", "a.view", "c.view"):
        audit_record(actor=officer, action=action, purpose="=cmd|' /C calc'!A0")
    buffer.flush()
    listing = Listing(COLUMNS, QueryDict("sort=-action&export=csv"))
    response = listing.export(listing.ordered(AuditEvent.objects.filter(action__endswith=".view")), filename="nhat-ky")
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Số", "Hành động", "Thời điểm", "Mục đích"]
    assert [row[1] for row in rows[1:]] == ["c.view", "b.view", "a.view"]
    assert rows[1][3] == "'=cmd|' /C calc'!A0" and rows[1][2].count("/") == 2

    listing = Listing(COLUMNS, QueryDict("sort=action&export=xlsx"))
    response = listing.export(listing.ordered(AuditEvent.objects.filter(action__endswith=".view")), filename="nhat-ky")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[1] for row in values[1:]] == ["a.view", "b.view", "c.view"]
    assert values[1][3].startswith("'=") and isinstance(values[1][0], int)


@pytest.mark.django_db
def test_a_date_range_takes_whole_local_days_and_refuses_an_end_before_its_start(officer):
    from congan.core.audit import audit_record, buffer

    audit_record(actor=officer, action="x.view")
    buffer.flush()
    event = AuditEvent.objects.get(action="x.view")
    today = timezone.localdate(event.occurred_at)
    form = DateRangeForm(QueryDict(f"date_from={today:%d/%m/%Y}&date_to={today:%Y-%m-%d}"))
    assert list(form.apply(AuditEvent.objects.filter(action="x.view"), "occurred_at")) == [event]
    later = DateRangeForm(QueryDict(f"date_from={today + dt.timedelta(days=1):%Y-%m-%d}"))
    assert not later.apply(AuditEvent.objects.filter(action="x.view"), "occurred_at").exists()
    backwards = DateRangeForm(QueryDict("date_from=2026-12-07&date_to=2026-12-01"))
    assert not backwards.is_valid() and "date_to" in backwards.errors


def test_a_day_is_typed_and_shown_day_first():
    from django import forms

    from congan.core.forms import day_field

    class Form(forms.Form):
        day = day_field(label="Ngày")

    form = Form({"day": "05/01/2027"})
    assert form.is_valid() and form.cleaned_data["day"] == dt.date(2027, 1, 5)  # the fifth of January
    assert Form({"day": "13/13/2027"}).errors
    rendered = str(Form(initial={"day": dt.date(2026, 12, 7)})["day"])
    assert 'value="07/12/2026"' in rendered and 'placeholder="dd/mm/yyyy"' in rendered and 'type="text"' in rendered
