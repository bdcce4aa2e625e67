"""Pages: the public report form and tracking page (no login); the officers' triage queue and report."""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound, RateLimited
from congan.core.forms import add_error_details, run_with_message
from congan.core.listing import Column, DateRangeForm, Listing
from congan.core.middleware import client_ip
from congan.incidents import dispatch, selectors, services, submitters
from congan.incidents.forms import DuplicatesQuery, ReportForm, TrackForm, TriageForm
from congan.incidents.models import Report
from congan.org.actors import OfficerRequest
from congan.org.selectors import commune_choices

can_view = permission_required("incidents.view_report", raise_exception=True)


def _kind_choices() -> list[tuple[str, str]]:
    return [
        (kind.code, f"{kind.parent.name} — {kind.name}" if kind.parent else kind.name)
        for kind in selectors.kinds()
        if kind.parent or not kind.children.exists()
    ]


def _too_many_reports(retry_after: int) -> str:
    return _(
        "Đã gửi quá nhiều tin báo từ địa chỉ này. Vui lòng thử lại sau %(minutes)d phút; khi khẩn cấp hãy gọi "
        "113 (công an), 114 (cứu hỏa), 115 (cấp cứu)."
    ) % {"minutes": max(1, math.ceil(retry_after / 60))}


@never_cache
def report_new(request: HttpRequest) -> HttpResponse:
    secret, new_secret = submitters.client_secret(request.COOKIES.get(submitters.COOKIE))
    form = ReportForm(request.POST or None, request.FILES or None, kinds=_kind_choices(), communes=commune_choices())
    retry_after = 0
    try:
        response = _submit_form(request, form, secret) if request.method == "POST" else None
    except RateLimited as exc:
        # The same limit as POST /api/v1/reports, counted together with it per address.
        response, retry_after = None, exc.retry_after
        form.add_error(None, _too_many_reports(retry_after))
    if response is None:
        token = request.POST.get("client_token") or uuid.uuid4().hex
        status = 429 if retry_after else 400 if request.method == "POST" else 200
        response = render(request, "incidents/report_new.html", {"form": form, "token": token}, status=status)
        if retry_after:
            response["Retry-After"] = str(retry_after)
    if new_secret:
        submitters.remember(response, secret)  # before the first report: a resent form finds it
    return response


def _submit_form(request: HttpRequest, form: ReportForm, secret: str) -> HttpResponse | None:
    """The redirect to the tracking page, or None with the errors on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        report, _created = services.report_submit(
            kind_code=data["kind"],
            description=data["description"],
            commune_code=data["commune_code"],
            client_token=request.POST.get("client_token", ""),
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            occurred_at=data["occurred_at"],
            anonymous=data["anonymous"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            media=[data["media"]] if data["media"] else [],
            channel=Report.Channel.WEB,
            client_secret=secret,
            client_ip=client_ip(request),
        )
    except RateLimited:
        raise
    except ApplicationError as exc:
        add_error_details(form, exc)
        return None
    messages.success(request, _("Đã nhận tin báo. Ghi lại mã theo dõi để xem tiến độ xử lý."))
    return redirect(f"{reverse('incidents:track')}?{urlencode({'code': report.tracking_code})}")


def duplicates_hint(request: HttpRequest) -> HttpResponse:
    """HTMX fragment: open reports of the same kind nearby, shown before the citizen submits."""
    query = DuplicatesQuery(request.GET)
    if not query.is_valid():
        return render(request, "incidents/includes/duplicates.html", {"nearby": [], "public": True}, status=400)
    nearby = selectors.possible_duplicates(
        kind_code=query.cleaned_data["kind"],
        latitude=query.cleaned_data["latitude"],
        longitude=query.cleaned_data["longitude"],
    )
    # Only kinds that are public anyway: the page must not tell anyone that a crime was reported near them.
    nearby = [(report, metres) for report, metres in nearby if report.kind.public_listing]
    return render(request, "incidents/includes/duplicates.html", {"nearby": nearby[:5], "public": True})


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET if "code" in request.GET else None)
    report, status, retry_after = None, 200, 0
    if form.is_bound and form.is_valid():
        try:
            report = selectors.public_report(tracking_code=form.cleaned_data["code"], client_ip=client_ip(request))
        except RateLimited as exc:
            form.add_error(None, str(exc.message))
            status, retry_after = 429, exc.retry_after
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
            status = 404
    events = selectors.public_timeline(report=report) if report else []
    response = render(
        request, "incidents/track.html", {"form": form, "report": report, "events": events}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


QUEUE_COLUMNS = [
    Column("priority", gettext_lazy("Ưu tiên"), lambda r: r.get_priority_display(), ("priority_rank",)),
    Column("code", gettext_lazy("Mã"), lambda r: r.tracking_code, ("tracking_code",)),
    Column("kind", gettext_lazy("Loại"), lambda r: r.kind.name, ("kind__name",)),
    Column("place", gettext_lazy("Địa điểm"), lambda r: r.address or r.unit.name, ("unit__name", "address")),
    Column("received", gettext_lazy("Tiếp nhận lúc"), lambda r: r.received_at, ("received_at",)),
    Column("status", gettext_lazy("Trạng thái"), lambda r: r.get_status_display(), ("status",)),
]


@never_cache
@login_required
@can_view
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")[:12]
    priority = request.GET.get("priority", "")[:8]
    reports = selectors.triage_queue(
        viewer=request.user, status=status, priority=priority, kind=request.GET.get("kind", "")[:40]
    )
    dates = DateRangeForm(request.GET)
    listing = Listing(QUEUE_COLUMNS, request.GET)
    reports = listing.ordered(dates.apply(reports, "received_at"))
    if listing.export_format:
        return listing.export(reports.select_related("kind", "unit"), filename="tin-bao")
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "priority": priority,
        "statuses": Report.Status.choices,
        "dates": dates,
        "listing": listing,
        "query": listing.query_string,
    }
    template = "incidents/queue.html#rows" if request.htmx else "incidents/queue.html"
    return render(request, template, context)


@never_cache
@login_required
@can_view
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        view = selectors.report_view(viewer=request.user, report_id=report_id)
    except NotFound:
        raise Http404 from None
    report = view.report
    context = {
        "report": report,
        "events": report.events.order_by("at", "pk"),
        "media": report.media.all(),
        "reporter": view.reporter,
        "nearby": selectors.possible_duplicates(
            kind_code=report.kind.code,
            latitude=report.latitude,
            longitude=report.longitude,
            at=report.received_at,
            exclude_id=report.pk,
        ),
        "triage_form": TriageForm(initial={"priority": report.priority}, kinds=_kind_choices()),
        "duplicates": report.duplicates.all(),
        "candidates": dispatch.nearest_units(report=report, viewer=request.user),
        "assignments": report.assignments.select_related("patrol_unit"),
        "communes": commune_choices(),
    }
    return render(request, "incidents/report_detail.html", context)


@never_cache
@login_required
@can_view
def report_media(request: HttpRequest, report_id: int, media_id: int) -> FileResponse:
    try:
        item = selectors.report_media_download(viewer=request.user, report_id=report_id, media_id=media_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _act(request: HttpRequest, report_id: int, action: Any, done: str) -> HttpResponse:
    run_with_message(request, action, done)
    return redirect("incidents:report_detail", report_id=report_id)


@require_POST
@login_required
@can_view
def triage(request: OfficerRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        lambda: services.report_triage(
            by=request.user,
            report_id=report_id,
            priority=request.POST.get("priority", ""),
            kind_code=request.POST.get("kind", ""),
            note=request.POST.get("note", "")[:2000],
        ),
        _("Đã phân loại tin báo."),
    )


@require_POST
@login_required
@can_view
def set_status(request: OfficerRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        lambda: services.report_set_status(
            by=request.user,
            report_id=report_id,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", "")[:2000],
        ),
        _("Đã cập nhật trạng thái tin báo."),
    )


@require_POST
@login_required
@can_view
def merge(request: OfficerRequest, report_id: int) -> HttpResponse:
    def action() -> None:
        try:
            into = int(request.POST.get("into", ""))
        except ValueError:
            raise ApplicationError(_("Chọn tin báo để gộp vào.")) from None
        services.report_merge(by=request.user, report_id=report_id, into_id=into)

    return _act(request, report_id, action, _("Đã gộp tin báo trùng."))


@require_POST
@login_required
@can_view
def set_location(request: OfficerRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        lambda: services.report_set_location(
            by=request.user,
            report_id=report_id,
            latitude=request.POST.get("latitude", ""),
            longitude=request.POST.get("longitude", ""),
            address=request.POST.get("address", "")[:300],
        ),
        _("Đã cập nhật vị trí tin báo."),
    )


@require_POST
@login_required
@can_view
def transfer(request: OfficerRequest, report_id: int) -> HttpResponse:
    """After a transfer the officer may no longer see the report: back to the queue, not its page."""
    done = run_with_message(
        request,
        lambda: services.report_transfer(
            by=request.user,
            report_id=report_id,
            commune_code=request.POST.get("commune_code", ""),
            reason=request.POST.get("reason", "")[:2000],
        ),
        _("Đã chuyển tin báo."),
    )
    if done:
        return redirect("incidents:queue")
    return redirect("incidents:report_detail", report_id=report_id)
