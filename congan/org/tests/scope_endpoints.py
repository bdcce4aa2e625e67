"""Unit-scoped endpoints of the organisation module, checked by congan/core/tests/test_scope_leak.py.

See congan.core.testing.scope_leak for what is checked and how to add an endpoint.
"""

from __future__ import annotations

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory, UnitFactory


def _officer(unit):
    return OfficerFactory(unit=unit, full_name=f"Cán bộ Kiểm Tra {unit.code}")


def _course(unit):
    return TrainingCourseFactory(unit=unit, topic=f"Lớp tập huấn kiểm tra {unit.code}")


def _attended_course(unit):
    course = _course(unit)
    course.attendances.create(officer=OfficerFactory(unit=unit, full_name=f"Học viên Kiểm Tra {unit.code}"))
    return course


def _team(unit):
    return UnitFactory(parent=unit, kind="team", code=f"{unit.code}-D1", name=f"Tổ công tác {unit.code}")


register(
    ScopedEndpoint(
        name="org.officer_list page",
        make=_officer,
        marker=lambda officer: officer.full_name,
        list_url=lambda: reverse("org:officer_list"),
    )
)
register(
    ScopedEndpoint(
        name="org.officers api",
        make=_officer,
        marker=lambda officer: officer.full_name,
        list_url=lambda: "/api/v1/org/officers",
        detail_url=lambda officer: f"/api/v1/org/officers/{officer.pk}",
    )
)
register(
    ScopedEndpoint(
        name="org.training page",
        make=_course,
        marker=lambda course: course.topic,
        list_url=lambda: reverse("org:training_list"),
        detail_url=lambda course: reverse("org:training_detail", args=[course.pk]),
    )
)
register(
    ScopedEndpoint(
        name="org.training_courses api",
        make=_course,
        marker=lambda course: course.topic,
        list_url=lambda: "/api/v1/org/training-courses",
    )
)
register(
    ScopedEndpoint(
        name="org.unit_list page",
        make=_team,
        marker=lambda unit: unit.name,
        list_url=lambda: reverse("org:unit_list"),
    )
)
register(
    ScopedEndpoint(
        name="org.units api",
        make=_team,
        marker=lambda unit: unit.name,
        list_url=lambda: "/api/v1/org/units",
        detail_url=lambda unit: f"/api/v1/org/units/{unit.pk}",
    )
)
register(
    ScopedEndpoint(
        name="org.training_figures api",
        make=_team,
        marker=lambda unit: unit.name,
        list_url=lambda: "/api/v1/org/training-figures",
    )
)
register(
    ScopedEndpoint(
        name="org.training_create page: unit choices",
        make=_team,
        marker=lambda unit: unit.name,
        list_url=lambda: reverse("org:training_create"),
        permissions=("org.add_trainingcourse",),
    )
)
# The lists' exports hold what the page shows, in the same scope (core.listing).
register(
    ScopedEndpoint(
        name="org.officer_list csv export",
        make=_officer,
        marker=lambda officer: officer.full_name,
        list_url=lambda: reverse("org:officer_list") + "?export=csv",
    )
)
register(
    ScopedEndpoint(
        name="org.training_list csv export",
        make=_course,
        marker=lambda course: course.topic,
        list_url=lambda: reverse("org:training_list") + "?export=csv",
    )
)
register(
    ScopedEndpoint(
        name="org.training_detail attendees csv export",
        make=_attended_course,
        marker=lambda course: course.attendances.get().officer.full_name,
        detail_url=lambda course: reverse("org:training_detail", args=[course.pk]) + "?export=csv",
    )
)
register(
    ScopedEndpoint(
        name="org.unit_list csv export",
        make=_team,
        marker=lambda unit: unit.name,
        list_url=lambda: reverse("org:unit_list") + "?export=csv",
    )
)
