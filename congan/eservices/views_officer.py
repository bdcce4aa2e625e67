"""Officer pages: the unit's inbox, a dossier with its timeline and the actions the officer may
take, attachments and letters, complaints."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import error_text, report_bulk, run_with_message
from congan.core.labels import data_label
from congan.core.listing import EXPORT_LIMIT, Column, DateRangeForm, Listing
from congan.eservices import documents, selectors, services, workflow
from congan.eservices.dashboard import dashboard
from congan.eservices.formdefs import display_value
from congan.eservices.forms import ApologyForm, ExtendForm, InboxFilterForm, ReasonForm
from congan.eservices.views import MONTH_CHOICES, months_param
from congan.org.actors import OfficerRequest
from congan.org.selectors import officer_get, officer_list

can_view = permission_required("eservices.view_dossier", raise_exception=True)

INBOX_COLUMNS = [
    Column("code", gettext_lazy("Số hồ sơ"), lambda d: d.code, ("code",)),
    Column("procedure", gettext_lazy("Thủ tục"), lambda d: d.procedure.name, ("procedure__name",)),
    Column("applicant", gettext_lazy("Người nộp"), lambda d: d.applicant.full_name, ("applicant__sort_name",)),
    Column("submitted", gettext_lazy("Nộp lúc"), lambda d: d.submitted_at, ("submitted_at",)),
    Column("due", gettext_lazy("Hạn giải quyết"), lambda d: d.due_on, ("due_on",)),
    Column("status", gettext_lazy("Trạng thái"), lambda d: d.get_status_display(), ("status",)),
    Column(
        "officer",
        gettext_lazy("Cán bộ xử lý"),
        lambda d: d.assigned_to.full_name if d.assigned_to else "",
        ("assigned_to__sort_name",),
    ),
]


@never_cache
@login_required
@can_view
def inbox(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    query.setdefault("status", "open")  # open dossiers first, also when only sorted or dated
    form = InboxFilterForm(query)
    data = form.cleaned_data if form.is_valid() else {"status": "open"}
    dossiers = selectors.inbox(
        viewer=request.user,
        procedure=data.get("procedure", ""),
        status=data.get("status", ""),
        due=data.get("due", ""),
        mine=bool(data.get("mine")),
        q=data.get("q", ""),
    )
    dates = DateRangeForm(request.GET)
    listing = Listing(INBOX_COLUMNS, request.GET)
    dossiers = listing.ordered(dates.apply(dossiers, "submitted_at"))
    if listing.export_format:
        rows = list(dossiers[:EXPORT_LIMIT])
        selectors.dossiers_shown(viewer=request.user, dossiers=rows)  # an export shows them too
        return listing.export(rows, filename="ho-so-dich-vu-cong")
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    selectors.dossiers_shown(viewer=request.user, dossiers=page.object_list)
    context = {
        "form": form,
        "dates": dates,
        "listing": listing,
        "page": page,
        "query": listing.query_string,
        "bulk": request.user.has_perm("eservices.process_dossier") and bool(page.object_list),
        "officers": officer_list(viewer=request.user).filter(is_active=True)[:300],
    }
    return render(request, "eservices/inbox.html", context)


@require_POST
@login_required
@can_view
def assign_many(request: OfficerRequest) -> HttpResponse:
    """Many dossiers of the inbox given to one officer; back to the same list."""
    ids = [int(value) for value in request.POST.getlist("dossiers") if value.isdigit()]
    try:
        officer = officer_get(viewer=request.user, officer_id=int(request.POST.get("officer", "")))
        result = workflow.assign_many(by=request.user, dossier_ids=ids, officer=officer)
    except (ValueError, NotFound):
        messages.error(request, _("Chọn cán bộ của đơn vị để giao hồ sơ."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        report_bulk(request, result, done=_("Đã giao %(n)d hồ sơ."), refused=_("Hồ sơ #%(id)d chưa giao: %(why)s"))
    return redirect(f"{reverse('eservices:inbox')}?{request.POST.get('back', '')[:500]}")


def _dossier(request: HttpRequest, dossier_id: int) -> Any:
    try:
        return selectors.officer_dossier(viewer=request.user, dossier_id=dossier_id)
    except NotFound:
        raise Http404 from None


@never_cache
@login_required
@can_view
def dossier_detail(request: OfficerRequest, dossier_id: int) -> HttpResponse:
    try:
        dossier = selectors.officer_dossier_read(viewer=request.user, dossier_id=dossier_id)
    except NotFound:
        raise Http404 from None
    context = {
        "dossier": dossier,
        "events": dossier.events.order_by("at", "pk"),
        "attachments": dossier.attachments.all(),
        "apologies": dossier.apologies.all(),
        "complaints": dossier.complaints.all(),
        "actions": workflow.available_actions(viewer=request.user, dossier=dossier),
        "reason_form": ReasonForm(),
        "extend_form": ExtendForm(),
        "apology_form": ApologyForm(),
        "officers": officer_list(viewer=request.user, unit_id=dossier.unit_id)[:100],
        "fields": _labelled(dossier),
        "notifications": selectors.dossier_notifications(dossier=dossier),
    }
    return render(request, "eservices/officer_dossier.html", context)


def _labelled(dossier: Any) -> list[tuple[str, str, bool]]:
    """(label, value, from the registry) in the order of the dossier's own form version; labels and
    choices in the reader's language, what the applicant typed as typed."""
    rows = []
    for field in dossier.form.fields:
        value = display_value(field, dossier.data.get(field["name"], ""))
        value = data_label(value) if field["type"] == "choice" else value
        rows.append((data_label(field["label"]), value, field["name"] in dossier.prefilled))
    return rows


def _run(request: HttpRequest, dossier_id: int, action: Any, done: str) -> HttpResponse:
    run_with_message(request, action, done)
    return redirect("eservices:officer_dossier", dossier_id=dossier_id)


@require_POST
@login_required
@can_view
def act(request: OfficerRequest, dossier_id: int, action: str) -> HttpResponse:
    reason = request.POST.get("reason", "")[:2000]
    label = workflow.TRANSITIONS[action].label if action in workflow.TRANSITIONS else action
    return _run(
        request,
        dossier_id,
        lambda: workflow.transition(by=request.user, dossier_id=dossier_id, action=action, reason=reason),
        _("Đã thực hiện: %(action)s.") % {"action": label},
    )


@require_POST
@login_required
@can_view
def assign(request: OfficerRequest, dossier_id: int) -> HttpResponse:
    def action() -> None:
        officer_id = request.POST.get("officer") or request.user.pk
        try:
            officer = officer_get(viewer=request.user, officer_id=int(officer_id))
        except (ValueError, NotFound):
            raise ApplicationError(_("Không có cán bộ này trong đơn vị.")) from None
        workflow.assign(by=request.user, dossier_id=dossier_id, officer=officer)

    return _run(request, dossier_id, action, _("Đã giao hồ sơ."))


@require_POST
@login_required
@can_view
def extend(request: OfficerRequest, dossier_id: int) -> HttpResponse:
    form = ExtendForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise ApplicationError(_("Nhập số ngày (1–30) và lý do gia hạn."))
        workflow.extend(
            by=request.user, dossier_id=dossier_id, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
        )

    return _run(request, dossier_id, action, _("Đã gia hạn hồ sơ."))


@require_POST
@login_required
@can_view
def apologise(request: OfficerRequest, dossier_id: int) -> HttpResponse:
    form = ApologyForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise ApplicationError(_("Nhập ngày hẹn mới và lý do chậm."))
        workflow.apologise(
            by=request.user,
            dossier_id=dossier_id,
            new_due_on=form.cleaned_data["new_due_on"],
            reason=form.cleaned_data["reason"],
        )

    return _run(request, dossier_id, action, _("Đã phát hành thư xin lỗi và gửi cho công dân."))


@require_POST
@login_required
@can_view
def answer_complaint(request: OfficerRequest, dossier_id: int, complaint_id: int) -> HttpResponse:
    _dossier(request, dossier_id)
    return _run(
        request,
        dossier_id,
        lambda: services.complaint_answer(
            by=request.user, complaint_id=complaint_id, answer=request.POST.get("answer", "")
        ),
        _("Đã trả lời phản ánh."),
    )


@login_required
@can_view
def attachment(request: HttpRequest, dossier_id: int, attachment_id: int) -> FileResponse:
    try:
        item = selectors.attachment_for_officer(viewer=request.user, dossier_id=dossier_id, attachment_id=attachment_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@can_view
def apology_pdf(request: HttpRequest, dossier_id: int, letter_id: int) -> HttpResponse:
    try:
        letter = selectors.apology_for_officer(viewer=request.user, dossier_id=dossier_id, letter_id=letter_id)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(documents.apology_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thu-xin-loi-{letter.dossier.code}.pdf"'
    return response


def _officer_pdf(request: HttpRequest, dossier_id: int, render: Any, name: str, *, needs_result: bool) -> HttpResponse:
    """A reprint of the dossier's receipt or result for the officer: an audited read of the dossier."""
    try:
        dossier = selectors.officer_dossier_read(viewer=request.user, dossier_id=dossier_id)
    except NotFound:
        raise Http404 from None
    if needs_result and not dossier.verify_token:
        raise Http404
    response = HttpResponse(render(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{dossier.code}.pdf"'
    return response


@login_required
@can_view
def officer_receipt_pdf(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return _officer_pdf(request, dossier_id, documents.receipt_pdf, "tiep-nhan", needs_result=False)


@login_required
@can_view
def officer_result_pdf(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return _officer_pdf(request, dossier_id, documents.result_pdf, "ket-qua", needs_result=True)


@login_required
@can_view
def officer_dashboard(request: HttpRequest) -> HttpResponse:
    procedure = request.GET.get("procedure", "")[:40]
    figures = dashboard(viewer=request.user, months=months_param(request), procedure=procedure)
    return render(
        request,
        "eservices/dashboard.html",
        {"dash": figures, "public": False, "procedure": procedure, "month_choices": MONTH_CHOICES},
    )
