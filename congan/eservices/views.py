"""Public catalogue pages: search, filter, procedure detail (no login)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congan.core.errors import NotFound
from congan.eservices import selectors
from congan.eservices.forms import CatalogueSearchForm


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
