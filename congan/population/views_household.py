"""Household page (purpose-gated, audited) and its typed changes (thêm, xóa thành viên, thay đổi chủ hộ,
tách hộ)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, ValidationFailed
from congan.core.forms import add_error_details
from congan.population import selectors, services
from congan.population.forms import AddMemberForm, ChangeHeadForm, RemoveMemberForm, SplitForm, stated_relationships
from congan.population.models import Household, Resident
from congan.population.purpose_gate import HOUSEHOLD, declare_purpose, purpose_gate

FORMS = {"them": AddMemberForm, "xoa": RemoveMemberForm, "chu-ho": ChangeHeadForm, "tach": SplitForm}


def _forms(household: Household, bound: tuple[str, Any] | None = None) -> dict[str, Any]:
    forms = {name: cls(household=household, prefix=name) for name, cls in FORMS.items()}
    if bound:
        forms[bound[0]] = bound[1]
    return forms


def _page(request: HttpRequest, household_id: int, purpose: str, *, bound=None, status: int = 200) -> HttpResponse:
    household, members = selectors.household_view(viewer=request.user, household_id=household_id, purpose=purpose)
    context = {
        "household": household,
        "members": members,
        "purpose": purpose,
        "changes": selectors.household_changes(household=household),
        "forms": _forms(household, bound),
        "can_change": request.user.has_perm("population.change_household"),
    }
    return render(request, "population/household_detail.html", context, status=status)


@never_cache
@login_required
@permission_required("population.view_household", raise_exception=True)
@purpose_gate(HOUSEHOLD)
def household_detail(request: HttpRequest, household_id: int, *, purpose: str) -> HttpResponse:
    """The household and its members, once a purpose is declared for it (purpose_gate); audited."""
    return _page(request, household_id, purpose)


def _member(household: Household, pk: str):
    return household.members.get(pk=int(pk))


def _add(request, household: Household, data: dict) -> None:
    resident = selectors.resident_search(viewer=request.user, personal_id=data["personal_id"]).first()
    if resident is None:
        raise ValidationFailed(details={"personal_id": [_("Không tìm thấy công dân này trong phạm vi đơn vị.")]})
    services.household_add_member(
        by=request.user,
        household=household,
        resident=resident,
        relationship=data["relationship"],
        effective_date=data["effective_date"],
    )


def _remove(request, household: Household, data: dict) -> None:
    services.household_remove_member(
        by=request.user,
        household=household,
        resident=_member(household, data["member"]),
        effective_date=data["effective_date"],
    )


def _change_head(request, household: Household, data: dict) -> None:
    services.household_change_head(
        by=request.user,
        household=household,
        new_head=_member(household, data["new_head"]),
        effective_date=data["effective_date"],
        relationships=stated_relationships(data),
    )


def _split(request, household: Household, data: dict) -> Household:
    return services.household_split(
        by=request.user,
        household=household,
        members=[_member(household, pk) for pk in data["members"]],
        new_head=_member(household, data["new_head"]),
        effective_date=data["effective_date"],
        relationships=stated_relationships(data),
        address_street=data["address_street"] or None,
    )


ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "them": (_add, gettext_lazy("Đã thêm thành viên vào hộ.")),
    "xoa": (_remove, gettext_lazy("Đã xóa thành viên khỏi hộ.")),
    "chu-ho": (_change_head, gettext_lazy("Đã thay đổi chủ hộ.")),
    "tach": (_split, gettext_lazy("Đã tách hộ.")),
}


@require_POST
@login_required
@permission_required("population.change_household", raise_exception=True)
@purpose_gate(HOUSEHOLD)
def household_change(request: HttpRequest, household_id: int, action: str, *, purpose: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    household = selectors.household_get(viewer=request.user, household_id=household_id)
    form = FORMS[action](request.POST, household=household, prefix=action)
    if form.is_valid():
        handler, done = ACTIONS[action]
        try:
            result = handler(request, household, form.cleaned_data)
        except Resident.DoesNotExist:  # left the household between the form's choices and the change
            form.add_error(None, _("Thành viên đã chọn không còn thuộc hộ này. Vui lòng tải lại trang."))
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            messages.success(request, done)
            target = result if isinstance(result, Household) else household
            if target.pk != household.pk:  # a split: the new household holds people already shown
                declare_purpose(request, HOUSEHOLD, target.pk, purpose)
            return redirect("population:household_detail", household_id=target.pk)
    return _page(request, household.pk, purpose, bound=(action, form), status=400)
