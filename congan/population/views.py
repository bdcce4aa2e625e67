"""Officer pages of the population registry: audited search, purpose-gated profile, who viewed it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.org.selectors import unit_list
from congan.population import selectors
from congan.population.forms import ResidentSearchForm
from congan.population.purpose_gate import RESIDENT, purpose_gate

can_view = permission_required("population.view_resident", raise_exception=True)


def _communes(viewer) -> list[tuple[str, str]]:
    units = unit_list(viewer=viewer).filter(kind__in=["ward", "commune", "special_zone"]).exclude(area_code="")
    return [(unit.area_code, unit.name) for unit in units]


@login_required
@can_view
def resident_search(request: HttpRequest) -> HttpResponse:
    form = ResidentSearchForm(request.GET or None, communes=_communes(request.user))
    page = None
    if form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        page = selectors.resident_search_page(
            viewer=request.user,
            q=data["q"],
            birth_year=data["birth_year"],
            commune=data["commune"],
            page=request.GET.get("page"),
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "population/resident_search.html#results" if request.htmx else "population/resident_search.html"
    return render(request, template, context)


@never_cache
@login_required
@can_view
@purpose_gate(RESIDENT)
def resident_profile(request: HttpRequest, resident_id: int, *, purpose: str) -> HttpResponse:
    """The whole profile, once a purpose is declared for this person (purpose_gate); each view is
    audited with it."""
    resident = selectors.resident_profile(viewer=request.user, resident_id=resident_id, purpose=purpose)
    context = {
        "resident": resident,
        "purpose": purpose,
        "lookups": selectors.resident_lookup_history(resident=resident),
        "enriched": selectors.resident_enriched_fields(resident=resident),
    }
    return render(request, "population/resident_profile.html", context)
