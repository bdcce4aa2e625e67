"""The search page (/tim-kiem/noi-dung/): the platform's full-text search with its filters, the same
use case as the API (congan.search.selectors.search). Thin: parse, call, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.core.errors import ValidationFailed
from congan.core.scoping import scope_to_viewer
from congan.org.actors import OfficerRequest
from congan.org.models import Unit
from congan.search import providers, selectors
from congan.search.forms import SearchForm

UNIT_CHOICES = 300


def _units(viewer: object) -> list[tuple[int, str]]:
    units = scope_to_viewer(Unit.objects.filter(active=True), viewer=viewer, unit_field="").order_by("path")
    return list(units.values_list("pk", "name")[:UNIT_CHOICES])


@never_cache
@login_required
def page(request: OfficerRequest) -> HttpResponse:
    if not providers.kinds_for(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None, viewer=request.user, units=_units(request.user))
    found = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("q", "").strip():
        try:
            number = int(request.GET.get("page") or 1)
        except ValueError:
            number = 1
        try:
            found = selectors.search(
                viewer=request.user, q=form.cleaned_data["q"], filters=form.filters(), page=number, how="page"
            )
        except ValidationFailed as exc:
            form.add_error("q" if "q" in exc.details else None, str(exc.message))
    query = urlencode([(key, value) for key, value in request.GET.items() if key != "page" and value])
    return render(request, "search/page.html", {"form": form, "found": found, "query": query})
