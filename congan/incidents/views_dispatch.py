"""Dispatch pages: the live board (map and lists), sending units from a report, and the field page
where a patrol team reports its status and shares its position from a phone's browser."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError
from congan.incidents import dispatch, histogram, selectors
from congan.org.actors import OfficerRequest
from congan.traffic.selectors import visible_cameras

can_dispatch = permission_required("incidents.dispatch_report", raise_exception=True)
# The board shows what is open and where the teams are: leaders watch it too; sending a team
# (on a report's page) still needs dispatch_report.
can_watch = permission_required("incidents.view_patrolunit", raise_exception=True)


@never_cache
@login_required
@can_watch
def board(request: HttpRequest) -> HttpResponse:
    context = {
        "reports": selectors.board_reports(viewer=request.user)[:100],
        "units": selectors.board_units(viewer=request.user),
    }
    template = "incidents/board.html#lists" if request.htmx else "incidents/board.html"
    return render(request, template, context)


@never_cache
@login_required
@can_watch
def board_data(request: HttpRequest) -> JsonResponse:
    """Markers for the board's map (refreshed every few seconds by board.js)."""
    reports = [
        {
            "id": r.pk,
            "code": r.tracking_code,
            "lat": float(r.latitude),
            "lon": float(r.longitude),
            "priority": r.priority,
            "kind": r.kind.name,
            "status": r.get_status_display(),
            "url": reverse("incidents:report_detail", args=[r.pk]),
        }
        for r in selectors.board_reports(viewer=request.user)[:500]
        if r.latitude is not None
    ]
    units = [
        {
            "id": u.pk,
            "call_sign": u.call_sign,
            "kind": u.get_kind_display(),
            "status": u.status,
            "status_label": u.get_status_display(),
            "lat": float(u.latitude),
            "lon": float(u.longitude),
        }
        for u in selectors.board_units(viewer=request.user)
        if u.latitude is not None
    ]
    cameras = (
        [
            {
                "code": c.code,
                "name": c.name,
                "kind": c.get_kind_display(),
                "online": c.online,
                "lat": float(c.latitude),
                "lon": float(c.longitude),
            }
            for c in visible_cameras(viewer=request.user)
        ]
        if request.user.has_perm("traffic.view_camera")
        else []
    )
    return JsonResponse({"reports": reports, "units": units, "cameras": cameras})


@require_POST
@login_required
@can_dispatch
def send_units(request: OfficerRequest, report_id: int) -> HttpResponse:
    try:
        unit_ids = [int(value) for value in request.POST.getlist("units")]
        dispatch.dispatch(by=request.user, report_id=report_id, unit_ids=unit_ids)
        messages.success(request, _("Đã điều động tổ công tác."))
    except ValueError:
        messages.error(request, _("Chọn tổ công tác."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("incidents:report_detail", report_id=report_id)


@never_cache
@login_required
def field(request: HttpRequest) -> HttpResponse:
    """Trang tổ công tác: the teams the officer belongs to, their current task and status buttons."""
    teams = selectors.teams_of(officer=request.user)
    steps = [
        ("acknowledge", _("Nhận lệnh")),
        ("en_route", _("Xuất phát")),
        ("on_scene", _("Có mặt")),
        ("clear", _("Hoàn thành")),
        ("out_of_service", _("Ngừng trực")),
        ("available", _("Sẵn sàng")),
    ]
    return render(request, "incidents/field.html", {"teams": teams, "steps": steps})


@require_POST
@login_required
def field_step(request: OfficerRequest, unit_id: int) -> HttpResponse:
    try:
        dispatch.unit_step(
            actor=request.user,
            unit_id=unit_id,
            step=request.POST.get("step", ""),
            outcome=request.POST.get("outcome", "")[:2000],
        )
        messages.success(request, _("Đã cập nhật trạng thái tổ."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("incidents:field")


@require_POST
@login_required
def field_position(request: OfficerRequest, unit_id: int) -> JsonResponse:
    try:
        unit = dispatch.unit_position(
            actor=request.user,
            unit_id=unit_id,
            latitude=request.POST.get("latitude"),
            longitude=request.POST.get("longitude"),
        )
    except ApplicationError as exc:
        return JsonResponse({"code": exc.code, "message": str(exc.message), "details": exc.details}, status=exc.status)
    return JsonResponse({"latitude": str(unit.latitude), "longitude": str(unit.longitude)})


@never_cache
@login_required
@permission_required("incidents.view_report", raise_exception=True)
def metrics(request: HttpRequest) -> HttpResponse:
    """Thời gian phản ứng: percentiles of each interval (minutes) by commune, kind and month, over the
    last ``months`` calendar months (this one included), read from the incremental aggregates."""
    try:
        months = max(1, min(int(request.GET.get("months", 6)), 24))
    except ValueError:
        months = 6
    since = selectors.months_from(months=months)
    figures = selectors.response_metrics(viewer=request.user, since=since)
    labels = {
        "processing": _("Xử lý tin"),
        "turnout": _("Xuất phát"),
        "travel": _("Di chuyển"),
        "response": _("Phản ứng"),
        "total": _("Toàn bộ"),
    }
    groups = [("commune", _("Theo xã, phường")), ("kind", _("Theo loại")), ("month", _("Theo tháng"))]
    context = {
        "figures": figures,
        "labels": labels,
        "groups": groups,
        "months": months,
        "start": timezone.localdate(since),
        "resolution": round(100 * histogram.RELATIVE_RESOLUTION),
        "heat": selectors.heat_cells(viewer=request.user, since=since),
    }
    return render(request, "incidents/metrics.html", context)
