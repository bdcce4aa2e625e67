"""Sign-in, sign-out and two-factor authentication pages."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login

from congan.core.audit import audit_record
from congan.core.errors import ApplicationError
from congan.org import selectors, services
from congan.org.forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="org.login", target=self.request.user)
        return response


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request: HttpRequest, fallback: str = "dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(fallback)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().replace(" ", "")
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                otp_login(request, device)
                audit_record(
                    actor=request.user,
                    action="org.two_factor.verify",
                    target=request.user,
                    details={"device": device.persistent_id.split("/")[0]},
                )
                return redirect(_safe_next(request))
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(request, "org/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    officer = request.user
    if selectors.officer_has_confirmed_device(officer=officer) and not request.user.is_verified():
        return redirect("org:otp_verify")
    device = services.otp_device_start(officer=officer)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.otp_device_confirm(officer=officer, device=device, token=form.cleaned_data["token"])
        except ApplicationError as exc:
            for error in exc.details.get("token", []):
                form.add_error("token", error)
        else:
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return render(request, "org/otp_recovery_codes.html", {"codes": codes})
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, dark="#1b1f24"),
        "secret": _base32_secret(device),
        "required": selectors.officer_requires_two_factor(officer=officer),
    }
    return render(request, "org/otp_setup.html", context)


def _base32_secret(device) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")
