"""Public pages (no login): the catalogue, a procedure, dossier tracking, result verification."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.core.errors import ApplicationError, NotFound, RateLimited
from congan.core.middleware import client_ip
from congan.eservices import selectors
from congan.eservices.dashboard import dashboard
from congan.eservices.forms import CatalogueSearchForm, TrackForm

MONTH_CHOICES = (3, 6, 12, 24)


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    procedures = selectors.procedure_list(q=data.get("q", ""), field=data.get("field", ""), level=data.get("level", ""))
    page = Paginator(procedures, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "eservices/catalogue.html#results" if request.htmx else "eservices/catalogue.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(code=code)
    except NotFound:
        raise Http404 from None
    return render(request, "eservices/procedure_detail.html", {"procedure": procedure, "form": procedure.current_form})


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """Tra cứu hồ sơ — by code and the last four digits of the applicant's ID number."""
    form = TrackForm(
        request.GET if "code" in request.GET and "id_last4" in request.GET else None,
        initial={"code": request.GET.get("code", "")[:40]},
    )
    dossier, status, retry_after = None, 200, 0
    if form.is_bound and form.is_valid():
        try:
            dossier = selectors.public_status(
                code=form.cleaned_data["code"], id_last4=form.cleaned_data["id_last4"], client_ip=client_ip(request)
            )
        except RateLimited as exc:
            form.add_error(None, str(exc.message))
            status, retry_after = 429, exc.retry_after
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
            status = 404
    elif form.is_bound:
        status = 400
    events = selectors.public_events(dossier=dossier) if dossier else []
    response = render(
        request, "eservices/track.html", {"form": form, "dossier": dossier, "events": events}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Xác minh kết quả — what the QR code on a result opens: the document is genuine, and its
    status; nothing personal beyond what the paper itself prints."""
    try:
        dossier = selectors.verified_result(token=token)
    except NotFound:
        return render(request, "eservices/verify.html", {"dossier": None}, status=404)
    return render(request, "eservices/verify.html", {"dossier": dossier})


def public_dashboard(request: HttpRequest) -> HttpResponse:
    """Công khai kết quả giải quyết — the province's figures per unit and procedure."""
    figures = dashboard(viewer=None, months=months_param(request))
    return render(
        request, "eservices/dashboard.html", {"dash": figures, "public": True, "month_choices": MONTH_CHOICES}
    )


def months_param(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("months", 12))
    except ValueError:
        return 12
