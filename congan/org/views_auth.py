"""Sign-in, sign-out, lockout and two-factor authentication pages."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from congan.core.audit import audit_record
from congan.core.errors import ApplicationError
from congan.org import selectors, services
from congan.org.actors import OfficerRequest
from congan.org.forms import LoginForm, TokenForm

LOW_RECOVERY_CODES = 3


def _cooloff_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def _safe_next(request: HttpRequest, fallback: str = "dashboard") -> str:
    """The ``next`` parameter when it points inside this site, else ``fallback`` (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


def verify_url(next_url: str) -> str:
    return f"{reverse('org:otp_verify')}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """Cán bộ đăng nhập. django-axes counts failures (per username + IP) through the backend."""

    template_name = "org/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = _cooloff_minutes()
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)  # signs in and rotates the session key
        officer = self.request.user
        audit_record(actor=officer, action="org.login", target=officer)
        # Straight to the second step, instead of a bounce through the page asked for.
        if selectors.officer_has_confirmed_device(officer=officer):
            return HttpResponseRedirect(verify_url(response["Location"]))
        if selectors.officer_requires_two_factor(officer=officer):
            return redirect("org:otp_setup")
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        audit_record(
            actor=None,
            action="org.login.failed",
            target_type="org.officer",
            details={
                "username": str(form.data.get("username", ""))[:64],
                "locked_out": bool(getattr(self.request, "axes_locked_out", False)),
            },
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Đăng xuất (POST only, as Django 5's LogoutView requires)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(actor=request.user, action="org.logout", target=request.user)
        return super().post(request, *args, **kwargs)


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes lockout response (AXES_LOCKOUT_CALLABLE): a Vietnamese page, HTTP 429."""
    minutes = _cooloff_minutes()
    context = {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "org/lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@never_cache
@login_required
def otp_verify(request: OfficerRequest) -> HttpResponse:
    """Second step of sign-in for officers with a confirmed authenticator."""
    officer = request.user
    if officer.is_verified() or not selectors.officer_has_confirmed_device(officer=officer):
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.otp_token_verify(officer=officer, token=form.cleaned_data["token"])
        if check.device is not None:
            otp_login(request, check.device)
            left = selectors.officer_two_factor_status(officer=officer).recovery_codes_left
            if left <= LOW_RECOVERY_CODES:
                messages.warning(
                    request,
                    _("Chỉ còn %(count)d mã khôi phục. Hãy tạo bộ mã mới trong trang Tài khoản.") % {"count": left},
                )
            return redirect(_safe_next(request))
        if check.throttled:
            form.add_error("token", _("Nhập sai quá nhiều lần. Vui lòng đợi vài giây rồi thử lại."))
        else:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(request, "org/otp_verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
@login_required
def otp_setup(request: OfficerRequest) -> HttpResponse:
    """Set up (or replace) the authenticator app; shows the recovery codes once on success."""
    officer = request.user
    if selectors.officer_has_confirmed_device(officer=officer) and not officer.is_verified():
        return redirect(verify_url(reverse("org:otp_setup")))
    device = services.otp_device_start(officer=officer)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.otp_device_confirm(officer=officer, device=device, token=form.cleaned_data["token"])
        except ApplicationError as exc:
            for error in exc.details.get("token", [exc.message]):
                form.add_error("token", error)
        else:
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return render(request, "org/otp_recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr_svg_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#1b1f24"),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "required": selectors.officer_requires_two_factor(officer=officer),
        "replacing": selectors.officer_has_confirmed_device(officer=officer),
    }
    return render(request, "org/otp_setup.html", context)


@never_cache
@login_required
def account(request: OfficerRequest) -> HttpResponse:
    """Tài khoản: two-factor status, enable it, regenerate recovery codes."""
    status = selectors.officer_two_factor_status(officer=request.user)
    roles = selectors.officer_roles(officer=request.user)
    return render(request, "org/otp_account.html", {"status": status, "roles": roles})


@never_cache
@login_required
@require_POST
def otp_recovery_codes(request: OfficerRequest) -> HttpResponse:
    """Replace the recovery codes (only from a session that passed two-factor)."""
    if not request.user.is_verified():
        messages.error(request, _("Hãy bật xác thực hai lớp trước khi tạo mã khôi phục."))
        return redirect("org:account")
    try:
        codes = services.otp_recovery_codes_regenerate(officer=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("org:account")
    return render(request, "org/otp_recovery_codes.html", {"codes": codes})
