"""Pages of camera-detected violations: the officers' review desk and one violation with its steps,
the notice PDF, evidence images, and the public plate lookup."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.audit import Actor, audit_read
from congan.core.errors import ApplicationError, RateLimited, ValidationFailed
from congan.core.forms import error_text, report_bulk
from congan.core.labels import data_label
from congan.core.listing import Column, DateRangeForm, Listing
from congan.core.middleware import client_ip
from congan.org.actors import OfficerRequest
from congan.org.models import Unit
from congan.org.selectors import COMMUNE_KINDS
from congan.traffic import challenge, labels, review, selectors, services
from congan.traffic.documents import notice_pdf
from congan.traffic.models import Evidence, ViolationEvent

DESK_COLUMNS = [
    Column("occurred", gettext_lazy("Thời điểm"), lambda e: e.occurred_at, ("occurred_at",)),
    Column("plate", gettext_lazy("Biển số"), lambda e: e.plate, ("plate",)),
    Column("vehicle", gettext_lazy("Loại xe"), lambda e: e.get_vehicle_kind_display(), ("vehicle_kind",)),
    Column(
        "violation", gettext_lazy("Hành vi"), lambda e: data_label(e.violation_type.title), ("violation_type__code",)
    ),
    Column("camera", gettext_lazy("Camera"), lambda e: e.camera.code, ("camera__code",)),
    Column("status", gettext_lazy("Trạng thái"), lambda e: e.get_status_display(), ("status",)),
    # the deadline runs from the moment of the violation: the same order
    Column("due", gettext_lazy("Hạn xác định chủ xe"), lambda e: e.identify_due, ("occurred_at",)),
]

QUEUE_LABELS = {
    "review": gettext_lazy("Chờ xác minh"),
    "verified": gettext_lazy("Đã xác minh, chờ gửi thông báo"),
    "notice": gettext_lazy("Đã gửi thông báo"),
    "paid": gettext_lazy("Đã nộp phạt"),
    "done": gettext_lazy("Đã kết thúc, loại bỏ"),
    "duplicate": gettext_lazy("Trùng"),
}
can_view = permission_required("traffic.view_violationevent", raise_exception=True)


@login_required
@can_view
def desk(request: HttpRequest) -> HttpResponse:
    queue = request.GET.get("queue", "review")
    queue = queue if queue in QUEUE_LABELS else "review"
    plate = request.GET.get("plate", "").strip().upper()[:12]
    overdue = request.GET.get("overdue") == "1"
    events = selectors.violation_queue(viewer=request.user, queue=queue, plate=plate, overdue=overdue)
    dates = DateRangeForm(request.GET)
    listing = Listing(DESK_COLUMNS, request.GET)
    events = listing.ordered(dates.apply(events, "occurred_at"))
    if listing.export_format:
        return listing.export(events.select_related("violation_type", "camera"), filename="vi-pham")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    counts = selectors.violation_counts(viewer=request.user)
    return render(
        request,
        "traffic/desk.html",
        {
            "page": page,
            "queue": queue,
            "plate": plate,
            "overdue": overdue,
            "counts": counts,
            "queues": [(key, label, counts[key]) for key, label in QUEUE_LABELS.items()],
            "dates": dates,
            "listing": listing,
            "bulk": queue == "review" and request.user.has_perm(review.REVIEW),
            "query": listing.query_string,
            "identify_days": settings.TRAFFIC_IDENTIFY_OWNER_DAYS,
            "warning_days": settings.TRAFFIC_REGISTRATION_WARNING_DAYS,
        },
    )


def _detail_context(request: HttpRequest, event: ViolationEvent, errors: dict | None = None) -> dict[str, Any]:
    allowed = dict(review.allowed_steps(event, request.user))
    return {
        "event": event,
        "steps": event.steps.select_related("by"),
        "evidence": list(event.evidence.all()),
        "allowed": allowed,
        "errors": errors or {},
        "units": _commune_units() if "forward" in allowed else [],
        "posted": request.POST if request.method == "POST" else {},
    }


def _commune_units() -> QuerySet[Unit]:
    return Unit.objects.filter(kind__in=COMMUNE_KINDS, active=True).order_by("name")


@login_required
@can_view
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.violation_read(viewer=request.user, event_id=event_id)
    return render(request, "traffic/violation.html", _detail_context(request, event))


def _run_step(request: OfficerRequest, step: str, event_id: int) -> ViolationEvent:
    data, by = request.POST, request.user
    calls = {
        "verify": lambda: review.violation_verify(by=by, event_id=event_id, plate=data.get("plate", "")),
        "dismiss": lambda: review.violation_dismiss(by=by, event_id=event_id, reason=data.get("reason", "")),
        "issue_notice": lambda: review.violation_issue_notice(by=by, event_id=event_id),
        "record_payment": lambda: review.violation_record_payment(
            by=by, event_id=event_id, amount=_amount(data.get("amount", ""))
        ),
        "contest": lambda: review.violation_contest(by=by, event_id=event_id, reason=data.get("reason", "")),
        "forward": lambda: review.violation_forward(by=by, event_id=event_id, unit_id=_unit_id(data.get("unit", ""))),
        "close": lambda: review.violation_close(
            by=by, event_id=event_id, outcome=data.get("outcome", ""), reason=data.get("reason", "")
        ),
    }
    if step not in calls:
        raise Http404()
    return calls[step]()


def _unit_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _amount(raw: str) -> int:
    digits = raw.replace(".", "").replace(",", "").replace(" ", "")
    if not digits.isdigit() or len(digits) > 10:
        raise ValidationFailed(details={"amount": [_("Nhập số tiền bằng chữ số, ví dụ 4.000.000.")]})
    return int(digits)


@require_POST
@login_required
@can_view
def step(request: OfficerRequest, event_id: int, step: str) -> HttpResponse:
    try:
        event = _run_step(request, step, event_id)
    except ValidationFailed as exc:
        event = selectors.violation_read(viewer=request.user, event_id=event_id)
        context = _detail_context(request, event, errors={step: exc.details})
        messages.error(request, error_text(exc))
        return render(request, "traffic/violation.html", context, status=422)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return redirect("traffic:violation", event_id=event_id)
    messages.success(request, _("Đã lưu: %(step)s.") % {"step": review.STEPS[step].label})
    return redirect("traffic:violation", event_id=event.pk)


@require_POST
@login_required
@can_view
def bulk(request: OfficerRequest) -> HttpResponse:
    """Many violations of the desk verified or dismissed at once; back to the same list."""
    ids = [int(value) for value in request.POST.getlist("events") if value.isdigit()]
    try:
        result = review.violations_bulk(
            by=request.user, event_ids=ids, step=request.POST.get("step", ""), reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        report_bulk(
            request, result, done=_("Đã xử lý %(n)d vi phạm."), refused=_("Vi phạm #%(id)d chưa xử lý: %(why)s")
        )
    return redirect(f"{reverse('traffic:desk')}?{request.POST.get('back', '')[:500]}")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@can_view
def officer_notice(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.violation_notice_read(viewer=request.user, event_id=event_id)
    return _pdf(notice_pdf(event), f"thong-bao-{event.pk}.pdf")


@never_cache
def public_notice(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's link from the SMS or e-mail: the notice itself, nothing else."""
    event = selectors.violation_by_notice_token(token)
    audit_read(actor=Actor.of(None), action="traffic.notice.view", target=event, purpose=labels.NOTICE_PURPOSE)
    return _pdf(notice_pdf(event), f"thong-bao-{event.notice_number.replace('/', '-')}.pdf")


def evidence(request: HttpRequest, token: str) -> HttpResponse:
    """An evidence image: to officers in scope, and to anyone once a notice made it public."""
    item = Evidence.objects.filter(token=token).select_related("event").first()
    if item is None or not selectors.evidence_visible(item, viewer=request.user):
        raise Http404()
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """Tra cứu phương tiện vi phạm: plate and vehicle kind, behind the proof-of-work challenge."""
    plate, kind = request.GET.get("plate", "").strip(), request.GET.get("vehicle_kind", "car")
    context: dict[str, Any] = {"plate": plate, "vehicle_kind": kind, "result": None, "error": ""}
    status = 200
    if plate and request.GET.get("proof"):
        try:
            if not challenge.lookup_admit(request.GET["proof"], client_ip=client_ip(request)):
                context["error"] = _("Chưa qua bước kiểm tra chống tra cứu tự động. Vui lòng bấm Tra cứu lại.")
            else:
                context["result"] = services.public_lookup(plate=plate, vehicle_kind=kind)
        except RateLimited:
            context["error"], status = _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau một phút."), 429
        except ValidationFailed as exc:
            context["error"] = error_text(exc)
    return render(request, "traffic/lookup.html", context, status=status)
