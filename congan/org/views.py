"""Organisation pages: sign-in and two-factor, units, officers, training."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login

from congan.core.audit import audit_record
from congan.core.errors import ApplicationError
from congan.org import selectors, services
from congan.org.forms import (
    LoginForm,
    OfficerFilterForm,
    TokenForm,
    TrainingCourseForm,
    UnitFilterForm,
)


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
    from django.urls import reverse

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
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
@permission_required("org.view_unit", raise_exception=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(viewer=request.user, search=data.get("q", ""), kind=data.get("kind", ""))
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(request, "org/unit_list.html", {"form": form, "page": page, "query": _query(request)})


@login_required
@permission_required("org.view_officer", raise_exception=True)
def officer_list(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_list(viewer=request.user)
    form = OfficerFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    officers = selectors.officer_list(viewer=request.user, search=data.get("q", ""), unit_id=unit.pk if unit else None)
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    template = "org/officer_list.html#rows" if request.htmx else "org/officer_list.html"
    return render(request, template, {"form": form, "page": page, "query": _query(request)})


@login_required
@permission_required("org.view_trainingcourse", raise_exception=True)
def training_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    courses = selectors.training_course_list(viewer=request.user, search=q)
    page = Paginator(courses, 30).get_page(request.GET.get("page"))
    figures = selectors.training_figures_by_unit(viewer=request.user)
    figures = [f for f in figures if f.courses_organised or f.attendances]
    return render(
        request,
        "org/training_list.html",
        {"page": page, "q": q, "figures": figures, "query": _query(request)},
    )


@login_required
@permission_required("org.view_trainingcourse", raise_exception=True)
def training_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.training_course_get(viewer=request.user, course_id=course_id)
    attendances = selectors.training_attendances(course=course)
    return render(request, "org/training_detail.html", {"course": course, "attendances": attendances})


@login_required
@permission_required("org.add_trainingcourse", raise_exception=True)
def training_create(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_list(viewer=request.user)
    form = TrainingCourseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.training_course_create(
                by=request.user,
                unit=data["unit"],
                topic=data["topic"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                location=data["location"],
                description=data["description"],
            )
        except ApplicationError as exc:
            for field, errors in exc.details.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Đã tạo lớp tập huấn."))
            return redirect("org:training_detail", course_id=course.pk)
    return render(request, "org/training_form.html", {"form": form})


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
