"""Organisation pages: units, officers, training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from congan.core.errors import ApplicationError
from congan.core.forms import add_error_details
from congan.core.labels import data_label
from congan.core.listing import EXPORT_LIMIT, Column, DateRangeForm, Listing
from congan.org import selectors, services
from congan.org.actors import OfficerRequest
from congan.org.forms import (
    OfficerFilterForm,
    TrainingCourseForm,
    UnitFilterForm,
)

UNIT_COLUMNS = [
    Column("code", gettext_lazy("Mã"), lambda u: u.code, ("code",)),
    Column("name", gettext_lazy("Tên đơn vị"), lambda u: u.name, ("name_folded",)),
    Column("kind", gettext_lazy("Loại"), lambda u: u.get_kind_display(), ("kind",)),
    Column(
        "parent", gettext_lazy("Đơn vị cấp trên"), lambda u: u.parent.name if u.parent else "", ("parent__name_folded",)
    ),
    Column("area", gettext_lazy("Mã hành chính"), lambda u: u.area_code, ("area_code",)),
    Column("phone", gettext_lazy("Điện thoại"), lambda u: u.phone),
]


@login_required
@permission_required("org.view_unit", raise_exception=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    listing = Listing(UNIT_COLUMNS, request.GET)
    units = listing.ordered(
        selectors.unit_list(viewer=request.user, search=data.get("q", ""), kind=data.get("kind", ""))
    )
    if listing.export_format:  # names of units, no person: not audited
        return listing.export(units, filename="don-vi")
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "listing": listing, "query": listing.query_string}
    return render(request, "org/unit_list.html", context)


OFFICER_COLUMNS = [
    Column("name", gettext_lazy("Họ và tên"), lambda o: o.full_name, ("sort_name",)),
    Column("number", gettext_lazy("Số hiệu"), lambda o: o.officer_number, ("officer_number",)),
    Column("rank", gettext_lazy("Cấp bậc"), lambda o: o.get_rank_display(), ("rank_order",)),
    Column("position", gettext_lazy("Chức vụ"), lambda o: data_label(o.position), ("position",)),
    Column("unit", gettext_lazy("Đơn vị"), lambda o: o.unit.name if o.unit else "", ("unit__name_folded",)),
]


@login_required
@permission_required("org.view_officer", raise_exception=True)
def officer_list(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_list(viewer=request.user)
    form = OfficerFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    listing = Listing(OFFICER_COLUMNS, request.GET)
    officers = listing.ordered(
        selectors.officer_list(viewer=request.user, search=data.get("q", ""), unit_id=unit.pk if unit else None)
    )
    if listing.export_format:
        rows = list(officers[:EXPORT_LIMIT])
        filters = {"q": data.get("q", ""), "unit": str(unit.pk) if unit else "", "sort": listing.sort}
        selectors.officers_exported(viewer=request.user, officers=rows, filters=filters)
        return listing.export(rows, filename="can-bo")
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    template = "org/officer_list.html#rows" if request.htmx else "org/officer_list.html"
    context = {"form": form, "page": page, "listing": listing, "query": listing.query_string}
    return render(request, template, context)


TRAINING_COLUMNS = [
    Column("topic", gettext_lazy("Chủ đề"), lambda c: c.topic, ("topic_folded",)),
    Column("start", gettext_lazy("Từ ngày"), lambda c: c.start_date, ("start_date",)),
    Column("end", gettext_lazy("Đến ngày"), lambda c: c.end_date, ("end_date",)),
    Column("unit", gettext_lazy("Đơn vị tổ chức"), lambda c: c.unit.name, ("unit__name_folded",)),
    Column("attendances", gettext_lazy("Lượt tham gia"), lambda c: c.attendance_count, ("attendance_count",)),
]


ATTENDANCE_COLUMNS = [
    Column("officer", gettext_lazy("Cán bộ"), lambda a: a.officer.full_name, ("officer__sort_name",)),
    Column(
        "unit",
        gettext_lazy("Đơn vị"),
        lambda a: a.officer.unit.name if a.officer.unit else "",
        ("officer__unit__name_folded",),
    ),
    Column("result", gettext_lazy("Kết quả"), lambda a: a.get_result_display(), ("result",)),
    Column("note", gettext_lazy("Ghi chú"), lambda a: a.note),
]


@login_required
@permission_required("org.view_trainingcourse", raise_exception=True)
def training_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    dates = DateRangeForm(request.GET)
    listing = Listing(TRAINING_COLUMNS, request.GET)
    courses = listing.ordered(dates.apply(selectors.training_course_list(viewer=request.user, search=q), "start_date"))
    if listing.export_format:  # courses and counts, no person: not audited
        return listing.export(courses, filename="tap-huan")
    page = Paginator(courses, 30).get_page(request.GET.get("page"))
    figures = selectors.training_figures_by_unit(viewer=request.user)
    figures = [f for f in figures if f.courses_organised or f.attendances]
    context = {
        "page": page,
        "q": q,
        "dates": dates,
        "listing": listing,
        "figures": figures,
        "query": listing.query_string,
    }
    return render(request, "org/training_list.html", context)


@login_required
@permission_required("org.view_trainingcourse", raise_exception=True)
def training_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.training_course_get(viewer=request.user, course_id=course_id)
    listing = Listing(ATTENDANCE_COLUMNS, request.GET)
    attendances = listing.ordered(selectors.training_attendances(course=course))
    if listing.export_format:  # names of officers leave as a file: audited like the officers' export
        rows = list(attendances[:EXPORT_LIMIT])
        filters = {"course": str(course.pk), "sort": listing.sort}
        selectors.officers_exported(viewer=request.user, officers=[a.officer for a in rows], filters=filters)
        return listing.export(rows, filename=f"tap-huan-{course.pk}")
    context = {"course": course, "attendances": attendances, "listing": listing}
    return render(request, "org/training_detail.html", context)


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
