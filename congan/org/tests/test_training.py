"""Training records: list, detail and create pages, and the per-unit figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.org import roles, selectors, services
from congan.org.models import TrainingAttendance, TrainingCourse
from congan.org.selectors import UnitTrainingFigures
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory

Result = TrainingAttendance.Result


@pytest.fixture
def trainer(commune):
    """A commune officer allowed to create courses (leaders may too, but they must pass two-factor)."""
    trainer = OfficerFactory(unit=commune, roles=[roles.CLERK])
    trainer.user_permissions.add(Permission.objects.get(codename="add_trainingcourse"))
    return trainer


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def training(province, commune, other_commune):
    """Two courses of the commune, one of the other commune, one of the province, with attendances."""
    a1 = OfficerFactory(unit=commune, full_name="Đặng Thị Ánh")
    a2 = OfficerFactory(unit=commune, full_name="Nguyễn Văn An")
    b1 = OfficerFactory(unit=other_commune, full_name="Lê Văn Bình")
    courses = {
        "cư trú": TrainingCourseFactory(unit=commune, topic="Đăng ký cư trú", start_date=dt.date(2026, 3, 9)),
        "giao thông": TrainingCourseFactory(unit=commune, topic="Xử lý vi phạm giao thông"),
        "chữa cháy": TrainingCourseFactory(unit=other_commune, topic="Chữa cháy ban đầu"),
        "an ninh mạng": TrainingCourseFactory(unit=province, topic="An ninh mạng"),
    }
    for course, officer, result in [
        ("cư trú", a1, Result.PASSED),
        ("cư trú", a2, Result.ATTENDED),
        ("cư trú", b1, Result.PASSED),
        ("giao thông", a1, Result.FAILED),
        ("an ninh mạng", a1, Result.PASSED),
        ("an ninh mạng", b1, Result.ABSENT),
    ]:
        services.training_attendance_record(by="system", course=courses[course], officer=officer, result=result)
    return courses


def test_training_figures_count_courses_attendances_and_trained_officers_per_unit(
    province, commune, other_commune, training
):
    viewer = OfficerFactory(unit=province, roles=[roles.CLERK])
    figures = {f.unit_name: f for f in selectors.training_figures_by_unit(viewer=viewer)}
    assert figures["Công an phường Hải Vân"] == UnitTrainingFigures(commune.pk, "Công an phường Hải Vân", 2, 4, 2)
    assert figures["Công an phường Liên Chiểu"] == UnitTrainingFigures(
        other_commune.pk, "Công an phường Liên Chiểu", 1, 2, 1
    )
    assert figures["Công an thành phố Đà Nẵng"] == UnitTrainingFigures(
        province.pk, "Công an thành phố Đà Nẵng", 1, 0, 0
    )


def test_training_figures_of_a_commune_officer_cover_only_the_commune(officer, commune, training):
    figures = selectors.training_figures_by_unit(viewer=officer)
    assert [(f.unit_id, f.courses_organised, f.attendances, f.officers_trained) for f in figures] == [
        (commune.pk, 2, 4, 2)
    ]


def test_training_figures_api_matches_the_selector(officer_client, commune, training):
    response = officer_client.get("/api/v1/org/training-figures")
    assert response.status_code == 200
    assert response.json() == [
        {
            "unit_id": commune.pk,
            "unit_name": "Công an phường Hải Vân",
            "courses_organised": 2,
            "attendances": 4,
            "officers_trained": 2,
        }
    ]


def test_recording_an_attendance_twice_updates_it(officer, training):
    course = training["giao thông"]
    services.training_attendance_record(by="system", course=course, officer=officer, result=Result.ATTENDED)
    services.training_attendance_record(by="system", course=course, officer=officer, result=Result.PASSED, note="Giỏi")
    attendance = TrainingAttendance.objects.get(course=course, officer=officer)
    assert (attendance.result, attendance.note) == (Result.PASSED, "Giỏi")
    assert AuditEvent.objects.filter(action="org.training.attendance", target_id=str(attendance.pk)).count() == 2


def test_list_page_shows_courses_of_the_unit_with_attendance_counts(officer_client, training):
    response = officer_client.get(reverse("org:training_list"))
    assert response.status_code == 200
    rows = {course.topic: course.attendance_count for course in response.context["page"]}
    assert rows == {"Đăng ký cư trú": 3, "Xử lý vi phạm giao thông": 1}
    body = response.content.decode()
    assert "09/03/2026" in body  # dates read dd/mm/yyyy
    assert "Chữa cháy ban đầu" not in body and "An ninh mạng" not in body


def test_list_page_search_ignores_diacritics(officer_client, training):
    response = officer_client.get(reverse("org:training_list"), {"q": "dang ky cu tru"})
    assert [course.topic for course in response.context["page"]] == ["Đăng ký cư trú"]


def test_detail_page_lists_attendees_with_their_results(officer_client, training):
    response = officer_client.get(reverse("org:training_detail", args=[training["cư trú"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Đặng Thị Ánh", "Nguyễn Văn An", "Lê Văn Bình", "Đạt", "Đã tham gia", "Công an phường Liên Chiểu"):
        assert text in body
    # Vietnamese order: by given name (An, Ánh, Bình), not by family name.
    assert [a.officer.full_name for a in response.context["attendances"]] == [
        "Nguyễn Văn An",
        "Đặng Thị Ánh",
        "Lê Văn Bình",
    ]


def test_create_page_creates_an_audited_course_and_redirects_to_it(trainer_client, trainer, commune):
    assert trainer_client.get(reverse("org:training_create")).status_code == 200
    response = trainer_client.post(
        reverse("org:training_create"),
        {
            "topic": "Kỹ năng tiếp công dân",
            "unit": commune.pk,
            "start_date": "2026-08-03",
            "end_date": "2026-08-04",
            "location": "Trụ sở Công an phường",
            "description": "",
        },
    )
    course = TrainingCourse.objects.get(topic="Kỹ năng tiếp công dân")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:training_detail", args=[course.pk])
    assert (course.unit, course.start_date, course.end_date) == (commune, dt.date(2026, 8, 3), dt.date(2026, 8, 4))
    event = AuditEvent.objects.get(action="org.training.create", target_id=str(course.pk))
    assert event.actor_id == str(trainer.pk)


def test_create_page_refuses_an_end_before_the_start(trainer_client, commune):
    response = trainer_client.post(
        reverse("org:training_create"),
        {"topic": "Lớp sai ngày", "unit": commune.pk, "start_date": "2026-08-04", "end_date": "2026-08-03"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert not TrainingCourse.objects.filter(topic="Lớp sai ngày").exists()


def test_create_page_refuses_a_unit_outside_the_officers_scope(trainer_client, other_commune):
    response = trainer_client.post(
        reverse("org:training_create"),
        {
            "topic": "Lớp của đơn vị khác",
            "unit": other_commune.pk,
            "start_date": "2026-08-03",
            "end_date": "2026-08-03",
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not TrainingCourse.objects.filter(topic="Lớp của đơn vị khác").exists()


def test_create_page_needs_the_add_permission(officer_client):
    assert officer_client.get(reverse("org:training_create")).status_code == 403
    assert officer_client.post(reverse("org:training_create"), {"topic": "x"}).status_code == 403


def test_service_refuses_a_course_for_a_unit_outside_the_officers_scope(officer, other_commune):
    import datetime as dt

    import pytest

    from congan.core.errors import PermissionDenied
    from congan.org import services
    from congan.org.models import TrainingCourse

    with pytest.raises(PermissionDenied) as raised:
        services.training_course_create(
            by=officer,
            unit=other_commune,
            topic="Ngoài phạm vi",
            start_date=dt.date(2026, 1, 5),
            end_date=dt.date(2026, 1, 6),
        )
    assert raised.value.details == {"unit": other_commune.pk}
    assert not TrainingCourse.objects.filter(topic="Ngoài phạm vi").exists()
