"""The search box finds a report by its tracking code (TB and ten letters)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.search import Hit, register
from congan.incidents.models import Report
from congan.incidents.selectors import visible_reports

TRACKING_CODE = re.compile(r"^TB[A-Z0-9]{10}$")


def reports(q: str, viewer: Any) -> list[Hit]:
    code = q.strip().upper()
    if not TRACKING_CODE.match(code) or not viewer.has_perm("incidents.view_report"):
        return []
    found = visible_reports(viewer, Report.objects.select_related("kind")).filter(tracking_code=code).first()
    if found is None:
        return []
    title = f"{found.tracking_code} · {found.kind.name}"
    return [Hit(_("Tin báo"), title, reverse("incidents:report_detail", args=[found.pk]))]


register(reports)
