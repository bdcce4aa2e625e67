"""Dashboard figures of the online public services, read from the incremental aggregates only
(DossierStat: one row per unit, procedure and month), so their cost does not grow with the
number of dossiers. Also the indicator groups of Decision 766/QĐ-TTg that the data supports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.attention import Attention
from congan.core.attention import register as register_attention
from congan.core.dashboard import Panel, register
from congan.core.scoping import scope_to_viewer
from congan.core.templatetags.readable import number
from congan.eservices import selectors
from congan.eservices.models import DossierStat, Procedure
from congan.eservices.stats import COUNTERS, month_of
from congan.org import roles

MAX_MONTHS = 36


@dataclass
class Figures:
    """Totals of the counters over some rows, and the ratios a dashboard shows."""

    label: str = ""
    key: Any = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))

    def _ratio(self, part: str, whole: str, scale: float = 100.0) -> float | None:
        total = self.counts[whole]
        return round(scale * self.counts[part] / total, 1) if total else None

    @property
    def on_time_pct(self) -> float | None:
        return self._ratio("resolved_on_time", "resolved")

    @property
    def online_pct(self) -> float | None:
        return self._ratio("online", "received")

    @property
    def average_days(self) -> float | None:
        return self._ratio("processing_days", "resolved", scale=1.0)

    @property
    def satisfaction(self) -> float | None:
        return self._ratio("rating_sum", "rating_count", scale=1.0)

    @property
    def satisfied_pct(self) -> float | None:
        return self._ratio("satisfied", "rating_count")

    @property
    def digital_pct(self) -> float | None:
        return self._ratio("with_attachments", "received")

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            **self.counts,
            "on_time_pct": self.on_time_pct,
            "online_pct": self.online_pct,
            "average_days": self.average_days,
            "satisfaction": self.satisfaction,
            "satisfied_pct": self.satisfied_pct,
        }


@dataclass
class Dashboard:
    start: dt.date
    end: dt.date
    total: Figures
    months: list[Figures]
    units: list[Figures]
    procedures: list[Figures]
    indicators: list[dict[str, Any]]

    @property
    def chart(self) -> dict[str, Any]:
        """Bars of an inline SVG (no script, allowed by the CSP): received and resolved per month."""
        top = max([m.counts["received"] for m in self.months] + [m.counts["resolved"] for m in self.months] + [1])
        bars = []
        for index, month in enumerate(self.months):
            received = round(100 * month.counts["received"] / top, 1)
            resolved = round(100 * month.counts["resolved"] / top, 1)
            bars.append(
                {
                    "label": month.label,
                    "x": index * 20 + 2,
                    "x2": index * 20 + 10,
                    "received": received,
                    "resolved": resolved,
                    "y": 100 - received,
                    "y2": 100 - resolved,
                    "text_x": index * 20 + 10,
                    "counts": month.counts,
                }
            )
        return {"width": 20 * len(self.months), "bars": bars, "top": top}


def _rows(viewer: Any, start: dt.date, end: dt.date, unit_id: int | None, procedure: str) -> QuerySet[DossierStat]:
    rows = DossierStat.objects.filter(month__gte=start, month__lte=end)
    if viewer is not None:  # officers see their unit subtree; the public page sees the province
        rows = scope_to_viewer(rows, viewer=viewer)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if procedure:
        rows = rows.filter(procedure__code=procedure)
    return rows


def _grouped(rows: QuerySet[DossierStat], by: str, label: str | None) -> list[Figures]:
    keys = [by] + ([label] if label else [])
    sums = {name: Sum(name) for name in COUNTERS}
    result = []
    for row in rows.values(*keys).annotate(**sums).order_by(by):
        result.append(
            Figures(label=str(row.get(label, row[by])), key=row[by], counts={name: row[name] or 0 for name in COUNTERS})
        )
    return result


def _months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def dashboard(*, viewer: Any, months: int = 12, unit_id: int | None = None, procedure: str = "") -> Dashboard:
    """The last ``months`` months (this one included) for the viewer's units (all for None)."""
    months = max(1, min(int(months), MAX_MONTHS))
    end = month_of(timezone.localdate())
    start = end
    for _step in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    rows = _rows(viewer, start, end, unit_id, procedure)
    by_month = {figures.key: figures for figures in _grouped(rows, "month", None)}
    monthly = [by_month.get(month, Figures(key=month)) for month in _months_between(start, end)]
    for figures in monthly:
        figures.label = figures.key.strftime("%m/%Y")
    total = Figures(label=_("Tổng"))
    for figures in monthly:
        for name in COUNTERS:
            total.counts[name] += figures.counts[name]
    return Dashboard(
        start=start,
        end=end,
        total=total,
        months=monthly,
        units=_grouped(rows, "unit_id", "unit__name"),
        procedures=_grouped(rows, "procedure__code", "procedure__name"),
        indicators=indicators_766(total),
    )


def indicators_766(total: Figures) -> list[dict[str, Any]]:
    """The indicator groups of Decision 766/QĐ-TTg (2022) computed from the platform's own data;
    a group without data here says so instead of showing a number."""
    procedures = Procedure.objects.filter(active=True)
    published = procedures.count()
    complete = sum(1 for unverified in procedures.values_list("unverified", flat=True) if not unverified)
    no_data = _("Chưa có dữ liệu trên nền tảng (thanh toán trực tuyến chưa tích hợp).")
    return [
        {
            "group": _("Công khai, minh bạch"),
            "value": round(100 * complete / published, 1) if published else None,
            "measure": _("% thủ tục công khai đủ thông tin đã đối chiếu (thời hạn, lệ phí)"),
        },
        {"group": _("Tiến độ giải quyết"), "value": total.on_time_pct, "measure": _("% hồ sơ giải quyết đúng hạn")},
        {"group": _("Dịch vụ công trực tuyến"), "value": total.online_pct, "measure": _("% hồ sơ nộp trực tuyến")},
        {"group": _("Thanh toán trực tuyến"), "value": None, "measure": no_data},
        {
            "group": _("Mức độ hài lòng"),
            "value": total.satisfied_pct,
            "measure": _("% đánh giá hài lòng, rất hài lòng"),
        },
        {"group": _("Số hóa hồ sơ"), "value": total.digital_pct, "measure": _("% hồ sơ có thành phần hồ sơ điện tử")},
    ]


def eservices_panel(viewer: Any) -> Panel | None:
    """The home dashboard's panel: this month's figures for the officer's units."""
    if not viewer.has_perm("eservices.view_dossier"):
        return None
    figures = dashboard(viewer=viewer, months=1).total
    rows = [
        (_("Hồ sơ tiếp nhận tháng này"), figures.counts["received"]),
        (_("Đã giải quyết tháng này"), figures.counts["resolved"]),
        (_("Đúng hạn"), f"{number(figures.on_time_pct)}%" if figures.on_time_pct is not None else "—"),
    ]
    return Panel(title=_("Dịch vụ công"), figures=rows, link=reverse("eservices:inbox"))


register(eservices_panel, order=110, work_of=(roles.RECEPTION, roles.PROCESSING, roles.CLERK, roles.LEADER))


def eservices_attention(viewer: Any) -> list[Attention]:
    if not viewer.has_perm("eservices.view_dossier"):
        return []
    figures = selectors.attention_figures(viewer=viewer)
    inbox = reverse("eservices:inbox")
    return [
        Attention(_("Hồ sơ quá hạn giải quyết"), figures["overdue"], f"{inbox}?due=overdue", urgent=True),
        Attention(_("Hồ sơ mới nộp chờ tiếp nhận"), figures["submitted"], f"{inbox}?status=submitted"),
    ]


register_attention(eservices_attention)
