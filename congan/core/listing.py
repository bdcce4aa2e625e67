"""Lists officers work through, the same way on every page: columns sorted by a click on their
header (``?sort=received`` or ``?sort=-received``), a date range, and the filtered list exported
to CSV or Excel (``?export=csv|xlsx``) as people read it (names, dd/mm/yyyy), every page printable.

A page declares its ``Column``s, builds a ``Listing`` from the request, and asks it to order the
queryset and, when an export is asked for, to answer with the file. Text cells that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) are written with a
leading apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.forms import day_field
from congan.core.text import vietnamese_sort_key

EXPORT_LIMIT = 10_000  # rows in one file; narrow the filters for more
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    value: Callable[[Any], Any]  # what a person reads in this cell
    order_by: tuple[str, ...] = ()  # the fields it sorts by; empty: not sortable


def safe_cell(value: Any) -> Any:
    """A text a spreadsheet would take for a formula gets an apostrophe in front; other values stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def readable(value: Any) -> Any:
    """Dates as dd/mm/yyyy (and the local time), nothing as an empty cell; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        return value
    return str(value)


class Listing:
    """One request's view of a list: its sort, and the export it asks for."""

    def __init__(self, columns: Sequence[Column], query: QueryDict, *, default_sort: str = ""):
        self.columns = list(columns)
        self.query = query
        by_key = {column.key: column for column in self.columns if column.order_by}
        wanted = query.get("sort", default_sort) or ""
        self.descending = wanted.startswith("-")
        self.sort_column = by_key.get(wanted.removeprefix("-"))
        export = query.get("export", "")
        self.export_format = export if export in ("csv", "xlsx") else ""

    @property
    def sort(self) -> str:
        if self.sort_column is None:
            return ""
        return ("-" if self.descending else "") + self.sort_column.key

    def ordered(self, items: Any) -> Any:
        """The queryset (or the list of rows a page computed) in the clicked column's order; the
        page's own order when none is clicked. A list is sorted by the same ``order_by`` paths
        (``camera__code`` reads ``row.camera.code``), text in Vietnamese alphabetical order."""
        if self.sort_column is None:
            return items
        fields = self.sort_column.order_by
        if not isinstance(items, QuerySet):
            return sorted(
                items, key=lambda item: tuple(_sort_key(_follow(item, f)) for f in fields), reverse=self.descending
            )
        sign = "-" if self.descending else ""
        return items.order_by(*[sign + field for field in fields], sign + "pk")

    def _query_with(self, **changes: str) -> str:
        query = self.query.copy()
        for name in ("page", "export", *changes):
            query.pop(name, None)
        for name, value in changes.items():
            if value:
                query[name] = value
        return query.urlencode()

    def headers(self) -> list[dict[str, Any]]:
        """Each column's label, and for a sortable one the link that sorts by it (ascending first,
        then the other way) and which way it is sorted now (``aria-sort``)."""
        result = []
        for column in self.columns:
            header: dict[str, Any] = {"label": column.label, "url": "", "aria_sort": ""}
            if column.order_by:
                current = self.sort_column is column
                next_sort = ("" if self.descending else "-") + column.key if current else column.key
                header["url"] = "?" + self._query_with(sort=next_sort)
                header["aria_sort"] = ("descending" if self.descending else "ascending") if current else ""
            result.append(header)
        return result

    @property
    def query_string(self) -> str:
        """This list's filters and sort, without the page or the export: for pagination links."""
        return self._query_with()

    @property
    def export_url_csv(self) -> str:
        return "?" + self._query_with(export="csv")

    @property
    def export_url_xlsx(self) -> str:
        return "?" + self._query_with(export="xlsx")

    def rows(self, items: Iterable[Any]) -> list[list[Any]]:
        return [[safe_cell(readable(column.value(item))) for column in self.columns] for item in items]

    def export(self, items: Iterable[Any], *, filename: str) -> HttpResponse:
        """The file of ``items`` (at most EXPORT_LIMIT) in the asked format."""
        header = [str(column.label) for column in self.columns]
        rows = self.rows(list(items)[:EXPORT_LIMIT])
        stamp = timezone.localdate().strftime("%Y%m%d")
        if self.export_format == "xlsx":
            return _xlsx(header, rows, f"{filename}-{stamp}.xlsx")
        return _csv(header, rows, f"{filename}-{stamp}.csv")


def _follow(item: Any, path: str) -> Any:
    for name in path.split("__"):
        item = None if item is None else getattr(item, name, None)
    return item


def _sort_key(value: Any) -> tuple:
    """Nothing first, then numbers and moments by value, text the Vietnamese way (ă after a, đ after d)."""
    if value is None or value == "":
        return (0, ())
    if isinstance(value, str):
        return (1, vietnamese_sort_key(value))
    return (1, value)


def _csv(header: list[str], rows: list[list[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 (Vietnamese) only after a byte-order mark
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue().encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx(header: list[str], rows: list[list[Any]], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DateRangeForm(forms.Form):
    """From and to (both included), typed dd/mm/yyyy; the end not before the start."""

    date_from = day_field(label=_("Từ ngày"), required=False)
    date_to = day_field(label=_("Đến ngày"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return cleaned

    def contains(self, value: dt.date | dt.datetime | None) -> bool:
        """Whether a row a page computed (not a queryset) falls in the range: a moment by its local
        day; nothing is outside any range given; everything is inside no range (or an invalid one)."""
        if not self.is_valid():
            return True
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if not (start or end):
            return True
        if value is None:
            return False
        day = timezone.localdate(value) if isinstance(value, dt.datetime) else value
        return (start is None or day >= start) and (end is None or day <= end)

    def apply(self, queryset: QuerySet, field: str) -> QuerySet:
        """The rows whose ``field`` (a date, or a moment: local days) falls in the range; all when
        the range is invalid (its errors show on the form)."""
        if not self.is_valid():
            return queryset
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        moment = isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
        if start:
            queryset = queryset.filter(**{f"{field}__gte": _day_start(start) if moment else start})
        if end:
            if moment:
                queryset = queryset.filter(**{f"{field}__lt": _day_start(end + dt.timedelta(days=1))})
            else:
                queryset = queryset.filter(**{f"{field}__lte": end})
        return queryset


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
