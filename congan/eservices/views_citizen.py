"""The signed-in citizen's pages: their registry profile, their dossiers, who looked them up."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.eservices import selectors
from congan.population.accounts import citizen_required
from congan.population.citizen import citizen_own_lookups, citizen_own_profile


@never_cache
@citizen_required
def citizen_home(request: HttpRequest) -> HttpResponse:
    resident = citizen_own_profile(resident=request.citizen.resident)
    dossiers = Paginator(selectors.citizen_dossiers(applicant=resident), 20).get_page(request.GET.get("page"))
    context = {
        "account": request.citizen, "resident": resident, "page": dossiers,
        "lookups": citizen_own_lookups(resident=resident)[:50],
    }  # fmt: skip
    return render(request, "eservices/citizen_home.html", context)
