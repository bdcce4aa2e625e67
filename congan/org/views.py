"""Organisation pages: units, officers, training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from congan.core.errors import ApplicationError
from congan.core.forms import add_error_details
from congan.org import selectors, services
from congan.org.actors import OfficerRequest
from congan.org.forms import (
    OfficerFilterForm,
    TrainingCourseForm,
    UnitFilterForm,
)


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
def training_create(request: OfficerRequest) -> HttpResponse:
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
            add_error_details(form, exc)
        else:
            messages.success(request, _("Đã tạo lớp tập huấn."))
            return redirect("org:training_detail", course_id=course.pk)
    return render(request, "org/training_form.html", {"form": form})


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@cache_control(max_age=300, public=True)
def commune_places(request: HttpRequest) -> JsonResponse:
    """Public: the communes' names and the seats of their police, labels of the offline base map."""
    return JsonResponse({"communes": selectors.commune_places()})


@gzip_page
@cache_control(max_age=300, public=True)
@require_safe
def commune_boundaries(request: HttpRequest) -> HttpResponse:
    """Public: the imported commune boundaries, simplified, that every map draws as outlines (a
    boundary is no one's personal data; the public warning page draws them too)."""
    response = HttpResponse(selectors.commune_outlines(), content_type="application/json")
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response
