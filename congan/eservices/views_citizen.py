"""The signed-in citizen's pages: their page (registry profile, dossiers, who looked them up),
submitting a prefilled dossier, following it, its PDFs, supplement, rating and complaint."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details, run_with_message
from congan.eservices import documents, selectors, services, workflow
from congan.eservices.attachments import attachments_check
from congan.eservices.forms import ComplaintForm, RatingForm, SupplementForm, dossier_form_class
from congan.eservices.models import Dossier
from congan.population.accounts import citizen_required
from congan.population.citizen import citizen_own_lookups, citizen_own_profile
from congan.traffic.selectors import citizen_notices


@never_cache
@citizen_required
def citizen_home(request: HttpRequest) -> HttpResponse:
    resident = citizen_own_profile(resident=request.citizen.resident)
    dossiers = Paginator(selectors.citizen_dossiers(applicant=resident), 20).get_page(request.GET.get("page"))
    context = {
        "account": request.citizen,
        "resident": resident,
        "page": dossiers,
        "lookups": citizen_own_lookups(resident=resident)[:50],
        "traffic_notices": citizen_notices(resident=resident)[:50],
    }
    return render(request, "eservices/citizen_home.html", context)


def _applicant(request: HttpRequest, procedure: Any) -> tuple[Any, list]:
    """Who the dossier is for: the citizen, or a dependant chosen with ``?for=`` / ``for``."""
    me = request.citizen.resident
    dependants = selectors.dependants(resident=me, procedure=procedure)
    wanted = request.POST.get("for") or request.GET.get("for") or ""
    chosen = next((person for person in dependants if str(person.pk) == wanted), me)
    return chosen, dependants


@never_cache
@citizen_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(code=code)
    except NotFound:
        raise Http404 from None
    applicant, dependants = _applicant(request, procedure)
    version = procedure.current_form
    definition = version.fields if version else []
    form_class = dossier_form_class(definition, services.registry_values(applicant), procedure.required_attachments)
    form = form_class(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                dossier = _submit(request, procedure, applicant, definition, form)
                return redirect("eservices:citizen_dossier", code=dossier.code)
            except ApplicationError as exc:
                add_error_details(form, exc)
                status = exc.status if exc.status in (403, 409) else 400
    prefilled = sum(1 for field in form.fields.values() if getattr(field, "prefilled", False))
    context = {
        "procedure": procedure,
        "version": version,
        "form": form,
        "applicant": applicant,
        "dependants": dependants,
        "account": request.citizen,
        "prefilled": prefilled,
        "token": request.POST.get("client_token") or uuid.uuid4().hex,
        "data_fields": [form[item["name"]] for item in definition],
        "file_fields": [form[name] for name in form.fields if name.startswith("file_")],
        "level_ok": request.citizen.level >= procedure.account_level,
    }
    return render(request, "eservices/submit.html", context, status=status)


def _submit(request: HttpRequest, procedure: Any, applicant: Any, definition: list, form: Any) -> Dossier:
    data = {item["name"]: form.cleaned_data.get(item["name"]) for item in definition}
    labels = {name: str(field.label) for name, field in form.fields.items() if name.startswith("file_")}
    files = [(labels[name], form.cleaned_data[name]) for name in labels if form.cleaned_data.get(name)]
    return services.dossier_submit(
        applicant=applicant,
        procedure_code=procedure.code,
        data=data,
        account=request.citizen,
        attachments=files,
        client_token=request.POST.get("client_token", ""),
    )


def _own(request: HttpRequest, code: str) -> Dossier:
    try:
        return selectors.citizen_dossier(resident=request.citizen.resident, code=code)
    except NotFound:
        raise Http404 from None


@never_cache
@citizen_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    context = {
        "dossier": dossier,
        "events": dossier.events.order_by("at", "pk"),
        "attachments": dossier.attachments.all(),
        "apologies": dossier.apologies.all(),
        "complaints": dossier.complaints.all(),
        "rating": getattr(dossier, "rating", None),
        "rating_form": RatingForm(),
        "complaint_form": ComplaintForm(),
        "supplement_form": SupplementForm(),
        "can_rate": dossier.status in services.RATEABLE,
        "status_url": workflow.status_url(dossier),
    }
    return render(request, "eservices/citizen_dossier.html", context)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@citizen_required
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    return _pdf(documents.receipt_pdf(dossier), f"tiep-nhan-{dossier.code}.pdf")


@citizen_required
def result_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    if not dossier.verify_token:
        raise Http404
    return _pdf(documents.result_pdf(dossier), f"ket-qua-{dossier.code}.pdf")


@citizen_required
def apology_pdf(request: HttpRequest, code: str, letter_id: int) -> HttpResponse:
    letter = _own(request, code).apologies.filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return _pdf(documents.apology_pdf(letter), f"thu-xin-loi-{letter.dossier.code}.pdf")


def _post_action(request: HttpRequest, code: str, form: Any, action: Any, done: str) -> HttpResponse:
    dossier = _own(request, code)
    if form.is_valid():
        run_with_message(request, lambda: action(dossier, form.cleaned_data), done)
    else:
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    return redirect("eservices:citizen_dossier", code=dossier.code)


@require_POST
@citizen_required
def rate(request: HttpRequest, code: str) -> HttpResponse:
    def action(dossier: Dossier, data: dict[str, Any]) -> None:
        services.dossier_rate(
            resident=request.citizen.resident, dossier=dossier, score=data["score"], comment=data["comment"]
        )

    return _post_action(request, code, RatingForm(request.POST), action, _("Cảm ơn bạn đã đánh giá."))


@require_POST
@citizen_required
def complain(request: HttpRequest, code: str) -> HttpResponse:
    def action(dossier: Dossier, data: dict[str, Any]) -> None:
        services.complaint_submit(resident=request.citizen.resident, dossier=dossier, text=data["text"])

    return _post_action(request, code, ComplaintForm(request.POST), action, _("Đã gửi phản ánh, kiến nghị."))


@require_POST
@citizen_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    def action(dossier: Dossier, data: dict[str, Any]) -> None:
        files = [(_("Giấy tờ bổ sung"), upload) for upload in request.FILES.getlist("files")]
        checked = attachments_check(files)
        services.dossier_supplement(
            resident=request.citizen.resident, dossier=dossier, note=data["note"], attachments=checked
        )

    return _post_action(
        request, code, SupplementForm(request.POST), action, _("Đã gửi bổ sung; hồ sơ tiếp tục được xử lý.")
    )
