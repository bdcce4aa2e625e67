"""Pages of the exchange for the records clerk: the log of packets in and out with their statuses,
one packet with its warnings and download, uploading a packet file, and the recall request and
its answer."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details, error_text
from congan.core.listing import EXPORT_LIMIT, Column, Listing
from congan.exchange import display, selectors, services
from congan.exchange.forms import PacketUploadForm, RecallAnswerForm, RecallRequestForm
from congan.exchange.models import Direction, ExchangeMessage, StatusCode
from congan.org.actors import OfficerRequest

can_view = permission_required(selectors.VIEW, raise_exception=True)

COLUMNS = [
    Column("created", gettext_lazy("Thời điểm"), lambda m: m.created_at, ("created_at",)),
    Column("direction", gettext_lazy("Chiều"), lambda m: m.get_direction_display(), ("direction",)),
    Column("counterpart", gettext_lazy("Nơi gửi / nơi nhận"), display.counterpart, ("from_name",)),
    Column("symbol", gettext_lazy("Số, ký hiệu"), lambda m: m.number_symbol, ("number_symbol",)),
    Column("subject", gettext_lazy("Trích yếu"), lambda m: m.subject, ("subject",)),
    Column("status", gettext_lazy("Trạng thái mới nhất"), display.status_label, ("last_status",)),
    Column("warnings", gettext_lazy("Cảnh báo"), lambda m: len(m.warnings), ()),
]
DIRECTIONS = {"": gettext_lazy("Tất cả"), "in": gettext_lazy("Nhận"), "out": gettext_lazy("Gửi")}


@never_cache
@login_required
@can_view
def log(request: OfficerRequest) -> HttpResponse:
    direction = request.GET.get("chieu", "")
    if direction not in DIRECTIONS:
        direction = ""
    q = request.GET.get("q", "").strip()[:100]
    listing = Listing(COLUMNS, request.GET)
    found = listing.ordered(selectors.exchange_log(viewer=request.user, direction=direction, q=q))
    if listing.export_format:
        return listing.export(list(found[:EXPORT_LIMIT]), filename="lien-thong-van-ban")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/log.html",
        {
            "page": page,
            "listing": listing,
            "query": listing.query_string,
            "direction": direction,
            "directions": DIRECTIONS.items(),
            "q": q,
        },
    )


def _open(request: OfficerRequest, message_id: int) -> ExchangeMessage:
    try:
        return selectors.message_open(viewer=request.user, message_id=message_id)
    except NotFound:
        raise Http404 from None


@never_cache
@login_required
@can_view
def message(request: OfficerRequest, message_id: int) -> HttpResponse:
    found = _open(request, message_id)
    codes = {status.code: status.direction for status in found.statuses.all()}
    recall_asked = codes.get(StatusCode.RECALL_REQUESTED) == Direction.IN
    answered = StatusCode.RECALL_ACCEPTED in codes or StatusCode.RECALL_REFUSED in codes
    return render(
        request,
        "exchange/message.html",
        {
            "message": found,
            "counterpart": display.counterpart(found),
            "warnings": display.warnings_of(found),
            "statuses": list(found.statuses.all()),
            "recall_form": RecallRequestForm()
            if found.direction == Direction.OUT and StatusCode.RECALL_REQUESTED not in codes
            else None,
            "answer_form": RecallAnswerForm()
            if found.direction == Direction.IN and recall_asked and not answered
            else None,
        },
    )


@login_required
@can_view
def envelope(request: OfficerRequest, message_id: int) -> FileResponse:
    found = _open(request, message_id)
    response = FileResponse(found.envelope.open("rb"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="goi-tin-{found.pk}.edxml"'
    return response


@never_cache
@login_required
@can_view
def upload(request: OfficerRequest) -> HttpResponse:
    form = PacketUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["packet"].read()
        try:
            if request.user.unit is None:
                raise NotFound()
            outcome = services.packet_receive(by=request.user, unit=request.user.unit, data=data)
        except ApplicationError as exc:
            if isinstance(exc.details, dict) and "envelope" in exc.details:
                form.add_error("packet", [str(text) for text in exc.details["envelope"]])
            else:
                add_error_details(form, exc)
        else:
            if isinstance(outcome, list):
                flash.success(request, _("Đã ghi trạng thái vào văn bản đã gửi."))
                return redirect("exchange:message", message_id=outcome[0].status.message_id)
            if outcome.created:
                flash.success(request, _("Đã nhận văn bản, đang chờ vào sổ."))
            else:
                flash.info(request, _("Gói tin này đã được nhận trước đây."))
            for warning in outcome.warnings:
                flash.warning(request, warning)
            return redirect("exchange:message", message_id=outcome.message.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/upload.html", {"form": form}, status=status)


@require_POST
@login_required
@can_view
def recall(request: OfficerRequest, message_id: int) -> HttpResponse:
    form = RecallRequestForm(request.POST)
    if not form.is_valid():
        flash.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("exchange:message", message_id=message_id)
    try:
        services.recall_request(by=request.user, message_id=message_id, reason=form.cleaned_data["reason"])
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        flash.error(request, error_text(exc))
    else:
        flash.success(request, _("Đã gửi đề nghị thu hồi."))
    return redirect("exchange:message", message_id=message_id)


@require_POST
@login_required
@can_view
def recall_reply(request: OfficerRequest, message_id: int) -> HttpResponse:
    form = RecallAnswerForm(request.POST)
    if not form.is_valid():
        flash.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("exchange:message", message_id=message_id)
    try:
        services.recall_answer(
            by=request.user,
            message_id=message_id,
            accept=form.cleaned_data["accept"],
            note=form.cleaned_data.get("note") or "",
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        flash.error(request, error_text(exc))
    else:
        flash.success(request, _("Đã trả lời đề nghị thu hồi."))
    return redirect("exchange:message", message_id=message_id)
