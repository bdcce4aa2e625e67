"""Citizen account pages: sign up, sign in, sign out, password reset; the officer's level-2 page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, RateLimited
from congan.core.forms import add_error_details
from congan.core.listing import EXPORT_LIMIT, Column, DateRangeForm, Listing
from congan.core.middleware import client_ip
from congan.org.actors import OfficerRequest
from congan.population import accounts, selectors
from congan.population.forms import (
    CitizenLoginForm,
    CitizenRegisterForm,
    CitizenResetConfirmForm,
    CitizenResetRequestForm,
    Level2ConfirmForm,
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("eservices:citizen_home")


def _form_page(
    request: HttpRequest, form: forms.Form, template: str, action: Callable[[dict[str, Any]], HttpResponse]
) -> HttpResponse:
    """Render ``form``; on a valid POST run ``action``, showing a service error on the form."""
    status, retry_after = 200, 0
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                return action(form.cleaned_data)
            except RateLimited as exc:
                form.add_error(None, str(exc.message))
                status, retry_after = 429, exc.retry_after
            except ApplicationError as exc:
                add_error_details(form, exc)
                status = exc.status if exc.status in (401, 403, 409) else 400
    response = render(request, template, {"form": form, "next": _next_url(request)}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
def register(request: HttpRequest) -> HttpResponse:
    def action(data: dict[str, Any]) -> HttpResponse:
        account = accounts.citizen_register(
            personal_id=data["personal_id"],
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            phone=data["phone"],
            password=data["password"],
            client_ip=client_ip(request),
        )
        accounts.citizen_session_start(request, account)
        messages.success(request, _("Đã tạo tài khoản định danh mức 1."))
        return redirect(_next_url(request))

    return _form_page(request, CitizenRegisterForm(request.POST or None), "population/citizen_register.html", action)


@never_cache
def login(request: HttpRequest) -> HttpResponse:
    def action(data: dict[str, Any]) -> HttpResponse:
        account = accounts.citizen_login(
            personal_id=data["personal_id"], password=data["password"], client_ip=client_ip(request)
        )
        accounts.citizen_session_start(request, account)
        return redirect(_next_url(request))

    return _form_page(request, CitizenLoginForm(request.POST or None), "population/citizen_login.html", action)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    accounts.citizen_session_end(request)
    messages.info(request, _("Đã đăng xuất tài khoản công dân."))
    return redirect("population_citizen:login")


@never_cache
def reset_request(request: HttpRequest) -> HttpResponse:
    def action(data: dict[str, Any]) -> HttpResponse:
        accounts.citizen_password_reset_request(
            personal_id=data["personal_id"], phone=data["phone"], client_ip=client_ip(request)
        )
        messages.info(
            request,
            _(
                "Nếu số định danh và số điện thoại khớp với tài khoản, mã xác nhận đã được gửi "
                "bằng tin nhắn. Mã có hiệu lực 10 phút."
            ),
        )
        query = urlencode({"personal_id": data["personal_id"].strip()})
        return redirect(f"{reverse('population_citizen:reset_confirm')}?{query}")

    form = CitizenResetRequestForm(request.POST or None)
    return _form_page(request, form, "population/citizen_reset_request.html", action)


@never_cache
def reset_confirm(request: HttpRequest) -> HttpResponse:
    def action(data: dict[str, Any]) -> HttpResponse:
        accounts.citizen_password_reset_confirm(
            personal_id=data["personal_id"], code=data["code"], new_password=data["password"]
        )
        messages.success(request, _("Đã đặt mật khẩu mới. Mời đăng nhập."))
        return redirect("population_citizen:login")

    initial = {"personal_id": request.GET.get("personal_id", "")[:12]}
    form = CitizenResetConfirmForm(request.POST or None, initial=initial)
    return _form_page(request, form, "population/citizen_reset_confirm.html", action)


# --- officers: confirming level 2 -------------------------------------------------------------

can_confirm = permission_required("population.confirm_citizen_account", raise_exception=True)


@never_cache
@login_required
@can_confirm
def account_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:20]
    level = request.GET.get("level", "1")
    dates = DateRangeForm(request.GET)  # when the account was created
    listing = Listing(ACCOUNT_COLUMNS, request.GET)
    found = selectors.citizen_account_list(viewer=request.user, personal_id=q, level=level)
    found = listing.ordered(dates.apply(found, "created_at"))
    details = {"personal_id": q, "level": level, "sort": listing.sort}
    if listing.export_format:  # the same people as the page: audited the same way
        rows = list(found[:EXPORT_LIMIT])
        selectors.citizen_accounts_shown(viewer=request.user, accounts=rows, details={**details, "export": True})
        return listing.export(rows, filename="tai-khoan-cong-dan")
    page = selectors.citizen_account_page(
        viewer=request.user, accounts=found, page=request.GET.get("page"), details=details
    )
    context = {
        "page": page,
        "q": q,
        "level": level,
        "dates": dates,
        "listing": listing,
        "query": listing.query_string,
        "form": Level2ConfirmForm(),
    }
    return render(request, "population/citizen_accounts.html", context)


def _confirmed(account: Any) -> str:
    if account.level2_confirmed_at is None:
        return ""
    day = timezone.localtime(account.level2_confirmed_at).strftime("%d/%m/%Y")
    by = account.level2_confirmed_by.full_name if account.level2_confirmed_by else ""
    return " · ".join(part for part in (day, by) if part)


ACCOUNT_COLUMNS = [
    Column("id", gettext_lazy("Số định danh"), lambda a: a.resident.personal_id, ("resident__personal_id",)),
    Column("name", gettext_lazy("Họ tên"), lambda a: a.resident.full_name, ("resident__sort_name",)),
    Column("birth", gettext_lazy("Ngày sinh"), lambda a: a.resident.birth_date_display),
    Column("created", gettext_lazy("Đăng ký lúc"), lambda a: a.created_at, ("created_at",)),
    Column("level", gettext_lazy("Mức"), lambda a: a.get_level_display(), ("level",)),
    Column("confirmed", gettext_lazy("Xác nhận mức 2"), _confirmed, ("level2_confirmed_at",)),
]


@require_POST
@login_required
@can_confirm
def account_confirm(request: OfficerRequest, account_id: int) -> HttpResponse:
    form = Level2ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Ghi giấy tờ đã đối chiếu."))
        account = accounts.citizen_confirm_level2(
            by=request.user, account_id=account_id, card_checked=form.cleaned_data["card_checked"]
        )
        messages.success(request, _("Đã xác nhận tài khoản %(id)s lên mức 2.") % {"id": account.resident.personal_id})
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"{reverse('population:citizen_accounts')}?{urlencode({'q': request.POST.get('q', '')})}")
