"""Officer pages of the population registry: search, purpose-gated profile, who viewed it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.core.errors import ValidationFailed
from congan.org.selectors import unit_list
from congan.population import selectors
from congan.population.forms import PurposeForm, ResidentSearchForm

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
        residents = selectors.resident_search(
            viewer=request.user, q=data["q"], birth_year=data["birth_year"], commune=data["commune"]
        )
        page = Paginator(residents, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "population/resident_search.html#results" if request.htmx else "population/resident_search.html"
    return render(request, template, context)


@never_cache
@login_required
@can_view
def resident_profile(request: HttpRequest, resident_id: int) -> HttpResponse:
    """GET asks for a purpose and shows nothing personal; POST with a purpose shows the profile."""
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = selectors.resident_profile(
                viewer=request.user, resident_id=resident_id, purpose=form.cleaned_data["purpose"]
            )
        except ValidationFailed as exc:
            form.add_error("preset", exc.details.get("purpose", [str(exc.message)])[0])
        else:
            context = {
                "resident": resident,
                "purpose": form.cleaned_data["purpose"],
                "lookups": selectors.resident_lookup_history(resident=resident),
                "enriched": selectors.resident_enriched_fields(resident=resident),
            }
            return render(request, "population/resident_profile.html", context)
    # Refuse early (404) for residents outside the viewer's units, without revealing anything.
    if not selectors.resident_search(viewer=request.user).filter(pk=resident_id).exists():
        raise Http404
    return render(request, "population/resident_purpose.html", {"form": form, "resident_id": resident_id})
