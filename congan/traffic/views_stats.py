"""Thống kê vi phạm — the officers' page of violation figures and charts (no script: inline SVG)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.traffic.selectors import visible_cameras
from congan.traffic.stats import DEFAULT_MONTHS, MAX_MONTHS, violation_stats

MONTH_CHOICES = (1, 3, 6, 12)


def months_param(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("months", DEFAULT_MONTHS))
    except ValueError:
        return DEFAULT_MONTHS
    return max(1, min(months, MAX_MONTHS))


@never_cache
@login_required
@permission_required("traffic.view_violationevent", raise_exception=True)
def stats(request: HttpRequest) -> HttpResponse:
    camera = request.GET.get("camera", "").strip()[:32]
    figures = violation_stats(viewer=request.user, months=months_param(request), camera=camera)
    cameras = visible_cameras(viewer=request.user)
    return render(
        request,
        "traffic/stats.html",
        {
            "stats": figures,
            "cameras": cameras,
            "month_choices": sorted({*MONTH_CHOICES, figures.months}),
        },
    )
