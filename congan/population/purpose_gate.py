"""The purpose gate (lý do tra cứu) of officer pages that show a named person's personal data.

One mechanism for every such page (a resident's profile and edit form, a household's page)::

    @login_required
    @permission_required(...)
    @purpose_gate(RESIDENT)
    def resident_edit(request, resident_id, *, purpose): ...

- A person (or household) outside the officer's units is a 404 before anything is asked.
- Until the officer has declared a purpose for that person in this sign-in, the page answers the
  purpose form instead (200; 403 to a POST of the page's own form, which is not run) and shows
  nothing personal. The form posts ``declare_purpose`` to the same address; a valid purpose is
  kept in the session and the officer is sent back to the page (a field error otherwise).
- With a declaration the view runs with ``purpose=``: the view's selector audits every view with
  it. The declaration lasts for the sign-in (signing out flushes the session), once per person.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congan.population import selectors
from congan.population.forms import PurposeForm

SESSION_KEY = "population.purposes"
DECLARE_FIELD = "declare_purpose"
MAX_DECLARATIONS = 500  # the oldest are forgotten first: the session stays small


@dataclass(frozen=True)
class Subject:
    """What a gated page is about: its URL argument, and how to know it is in the viewer's units."""

    kind: str
    url_kwarg: str
    exists: Callable[..., bool]
    title: Any
    page: str  # the URL name of its main page, where the form goes from a refused POST


RESIDENT = Subject(
    "resident", "resident_id", selectors.resident_exists, _("Hồ sơ công dân"), "population:resident_profile"
)
HOUSEHOLD = Subject(
    "household", "household_id", selectors.household_exists, _("Hộ gia đình"), "population:household_detail"
)


def declared_purpose(request: HttpRequest, subject: Subject, pk: int) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(f"{subject.kind}:{pk}")


def declare_purpose(request: HttpRequest, subject: Subject, pk: int, purpose: str) -> None:
    """Remember ``purpose`` for this person (or household) until the officer signs out."""
    declared = dict(request.session.get(SESSION_KEY, {}))
    declared.pop(f"{subject.kind}:{pk}", None)
    declared[f"{subject.kind}:{pk}"] = purpose
    while len(declared) > MAX_DECLARATIONS:
        declared.pop(next(iter(declared)))
    request.session[SESSION_KEY] = declared


def purpose_gate(subject: Subject) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def gated(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            pk = kwargs[subject.url_kwarg]
            if not subject.exists(viewer=request.user, pk=pk):
                raise Http404
            if request.method == "POST" and DECLARE_FIELD in request.POST:
                form = PurposeForm(request.POST)
                if form.is_valid():
                    declare_purpose(request, subject, pk, form.cleaned_data["purpose"])
                    return redirect(request.get_full_path())
                return _ask(request, subject, pk, form, status=400)
            purpose = declared_purpose(request, subject, pk)
            if purpose is None:
                return _ask(request, subject, pk, PurposeForm(), status=403 if request.method == "POST" else 200)
            return view(request, purpose=purpose, **kwargs)

        return gated

    return decorate


def _ask(request: HttpRequest, subject: Subject, pk: int, form: PurposeForm, *, status: int) -> HttpResponse:
    """The purpose form; it posts back to the page asked for, or to the subject's main page when a
    POST-only address (a change) was refused."""
    action = request.get_full_path() if status != 403 else reverse(subject.page, kwargs={subject.url_kwarg: pk})
    context = {
        "form": form,
        "title": subject.title,
        "action": action,
        "declare_field": DECLARE_FIELD,
        "cancel_url": reverse("population:resident_search"),
    }
    response = render(request, "population/purpose_form.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
