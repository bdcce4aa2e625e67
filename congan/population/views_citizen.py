"""Public page: a citizen sees who looked them up — signed in, at once; otherwise by the details on
the ID card."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from congan.core.errors import ApplicationError, RateLimited
from congan.core.middleware import client_ip
from congan.population.accounts import citizen_from_session
from congan.population.citizen import citizen_lookups, citizen_own_lookups
from congan.population.forms import CitizenLookupsForm


@never_cache
def my_lookups(request: HttpRequest) -> HttpResponse:
    account = citizen_from_session(request)
    if account is not None:  # the account already proved who they are: no card details to type
        own = citizen_own_lookups(resident=account.resident)
        return render(request, "population/citizen_lookups.html", {"lookups": own, "signed_in": True})
    form = CitizenLookupsForm(request.POST or None)
    lookups = None
    status = 200
    retry_after = 0
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                lookups = citizen_lookups(
                    personal_id=data["personal_id"].strip(),
                    full_name=data["full_name"],
                    birth_date=data["birth_date"],
                    id_card_issued_on=data["id_card_issued_on"],
                    client_ip=client_ip(request),
                )
                status = 200
            except RateLimited as exc:
                form.add_error(None, exc.message)
                status, retry_after = 429, exc.retry_after
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    response = render(request, "population/citizen_lookups.html", {"form": form, "lookups": lookups}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
