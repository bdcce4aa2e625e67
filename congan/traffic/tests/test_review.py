"""Review of camera-detected violations (Circular 73/2024 Art. 24): verification with plate
correction and owner resolution, dismissal, the notice (number, private link, SMS and e-mail, PDF),
payment, contest, forwarding to the owner's commune, closing; the 10-day and 20-day clocks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent, Notification
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.models import CitizenAccount
from congan.population.tests.factories import ResidentFactory
from congan.traffic import documents, review, selectors
from congan.traffic.models import Evidence, ViolationEvent, ViolationStep
from congan.traffic.tests import factories
from congan.traffic.tests.test_lookup import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def camera(commune):
    return factories.camera(commune)


@pytest.fixture
def reviewer(commune):
    return OfficerFactory(unit=commune, roles=[roles.SPECIALIST])


@pytest.fixture
def chief(commune):
    return OfficerFactory(unit=commune, roles=[roles.LEADER])


@pytest.fixture
def owner(other_commune):
    return ResidentFactory(
        full_name="Trần Văn Bình",
        phone="0905111222",
        email="binh@example.vn",
        current_commune=other_commune.area_code,
        current_street="12 Lê Duẩn",
    )


def _notice(camera, owner, reviewer, chief, **extra) -> ViolationEvent:
    factories.vehicle(owner=owner)
    event = factories.event(camera, **extra)
    review.violation_verify(by=reviewer, event_id=event.pk)
    return review.violation_issue_notice(by=chief, event_id=event.pk)


def test_verifying_corrects_a_misread_plate_and_finds_the_owner_in_the_registry(camera, reviewer, owner):
    factories.vehicle(owner=owner, plate="43A12345")
    event = factories.event(camera, plate="43A12346", plate_read="43A-123.46")
    verified = review.violation_verify(by=reviewer, event_id=event.pk, plate="43A-123.45")
    assert (verified.status, verified.plate, verified.owner, verified.reviewed_by) == (
        "verified",
        "43A12345",
        owner,
        reviewer,
    )
    assert verified.owner_identified_at is not None and verified.plate_read == "43A-123.46"
    step = ViolationStep.objects.get(event=event)
    assert step.details["plate_from"] == "43A12346" and step.details["plate_to"] == "43A12345"
    assert AuditEvent.objects.filter(action="traffic.violation.verify", target_id=str(event.pk)).exists()


def test_an_unreadable_plate_must_be_typed_and_must_be_a_possible_plate(camera, reviewer):
    event = factories.event(camera, plate="", plate_read="4?A-1?3.45")
    with pytest.raises(ValidationFailed) as missing:
        review.violation_verify(by=reviewer, event_id=event.pk)
    with pytest.raises(ValidationFailed) as impossible:
        review.violation_verify(by=reviewer, event_id=event.pk, plate="43O-123.45")
    assert "plate" in missing.value.details and "plate" in impossible.value.details
    event.refresh_from_db()
    assert event.status == "detected" and not event.steps.exists()


def test_a_vehicle_not_in_the_registry_is_verified_without_an_owner_and_gets_no_notice(camera, reviewer, chief):
    event = factories.event(camera, plate="43A99999")
    verified = review.violation_verify(by=reviewer, event_id=event.pk)
    assert verified.vehicle is None and verified.owner_identified_at is None
    with pytest.raises(ValidationFailed) as caught:
        review.violation_issue_notice(by=chief, event_id=event.pk)
    assert "owner" in caught.value.details


def test_dismissal_needs_a_reason_and_ends_the_review(camera, reviewer):
    event = factories.event(camera)
    with pytest.raises(ValidationFailed):
        review.violation_dismiss(by=reviewer, event_id=event.pk, reason="  ")
    dismissed = review.violation_dismiss(by=reviewer, event_id=event.pk, reason="Xe cứu thương đang làm nhiệm vụ")
    assert (dismissed.status, dismissed.dismissal_reason) == ("dismissed", "Xe cứu thương đang làm nhiệm vụ")
    with pytest.raises(InvalidTransition):
        review.violation_verify(by=reviewer, event_id=event.pk)


def test_steps_need_the_right_role_and_the_unit_that_owns_the_camera(camera, reviewer, other_commune_officer, commune):
    event = factories.event(camera)
    with pytest.raises(PermissionDenied):
        review.violation_verify(by=OfficerFactory(unit=commune, roles=[roles.CLERK]), event_id=event.pk)
    with pytest.raises(NotFound):
        review.violation_dismiss(by=other_commune_officer, event_id=event.pk, reason="Không phải việc của tôi")
    review.violation_verify(by=reviewer, event_id=event.pk)
    with pytest.raises(PermissionDenied):  # specialists review; a leader signs the notice
        review.violation_issue_notice(by=reviewer, event_id=event.pk)


def test_the_notice_gets_a_number_a_private_link_and_goes_to_the_owner_by_sms_and_email(
    camera, reviewer, chief, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        event = _notice(camera, owner, reviewer, chief)
    assert event.status == "notice_issued" and event.notice_number.endswith(f"/TB-{timezone.localdate():%Y}")
    assert len(event.notice_token) >= 20 and event.resolving_unit == camera.unit
    messages = {item.channel: item for item in Notification.objects.filter(target_id=str(event.pk))}
    assert messages["sms"].recipient == "0905111222" and messages["email"].recipient == "binh@example.vn"
    assert documents.lookup_url(event) not in messages["sms"].body and event.notice_token in messages["sms"].body


def test_the_notice_pdf_states_the_violation_fine_place_to_resolve_and_owner(camera, reviewer, chief, owner):
    event = _notice(camera, owner, reviewer, chief, measured_speed_kmh=None)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(documents.notice_pdf(event))).pages)
    for expected in (
        "43A-123.45",
        "16824.6.9.b",
        "Trần Văn Bình",
        "12 Lê Duẩn, Phường Liên Chiểu, thành phố Đà Nẵng",  # the street, the ward and the city
        "18.000.000 đồng",
        "20.000.000 đồng",
        camera.unit.name,
        event.notice_number,
        "20 ngày",
    ):
        assert expected in text, expected


def test_payment_must_be_within_the_fine_range_then_the_case_closes_as_penalised(camera, reviewer, chief, owner):
    event = _notice(camera, owner, reviewer, chief)
    with pytest.raises(ValidationFailed) as caught:
        review.violation_record_payment(by=reviewer, event_id=event.pk, amount=500_000)
    assert "amount" in caught.value.details
    paid = review.violation_record_payment(by=reviewer, event_id=event.pk, amount=18_000_000)
    assert (paid.status, paid.fine_amount) == ("paid", 18_000_000)
    with pytest.raises(ValidationFailed):
        review.violation_close(by=reviewer, event_id=event.pk, outcome="withdrawn", reason="Nhầm")
    closed = review.violation_close(by=reviewer, event_id=event.pk, outcome="penalised")
    assert (closed.status, closed.outcome) == ("closed", "penalised")


def test_an_upheld_contest_withdraws_the_notice_with_a_reason(camera, reviewer, chief, owner):
    event = _notice(camera, owner, reviewer, chief)
    contested = review.violation_contest(by=reviewer, event_id=event.pk, reason="Xe đã bán trước ngày vi phạm")
    assert contested.status == "contested"
    with pytest.raises(ValidationFailed):
        review.violation_close(by=reviewer, event_id=event.pk, outcome="withdrawn")
    closed = review.violation_close(by=reviewer, event_id=event.pk, outcome="withdrawn", reason="Khiếu nại đúng")
    assert closed.outcome == "withdrawn"
    assert selectors.public_violations(plate="43A12345", vehicle_kind="car") == []


def test_forwarding_sends_the_case_to_the_commune_where_the_owner_lives(
    camera, reviewer, chief, owner, other_commune, other_commune_officer
):
    event = _notice(camera, owner, reviewer, chief)
    with pytest.raises(NotFound):
        selectors.violation_detail(viewer=other_commune_officer, event_id=event.pk)
    forwarded = review.violation_forward(by=reviewer, event_id=event.pk)
    assert (forwarded.status, forwarded.resolving_unit) == ("forwarded", other_commune)
    assert selectors.violation_detail(viewer=other_commune_officer, event_id=event.pk) == event


def test_the_ten_day_clock_shows_violations_whose_owner_is_not_identified_in_time(camera, reviewer):
    late = factories.event(camera, ago=dt.timedelta(days=11))
    factories.event(camera, ago=dt.timedelta(days=9))
    assert list(selectors.violation_queue(viewer=reviewer, queue="review", overdue=True)) == [late]
    assert selectors.violation_counts(viewer=reviewer)["overdue"] == 1


def test_twenty_days_after_the_notice_the_vehicle_is_flagged_to_registration_once(camera, reviewer, chief, owner):
    event = _notice(camera, owner, reviewer, chief)
    issued = event.notice_issued_at
    assert review.registration_warnings_raise(now=issued + dt.timedelta(days=19)) == 0
    assert review.registration_warnings_raise(now=issued + dt.timedelta(days=20, minutes=1)) == 1
    assert review.registration_warnings_raise(now=issued + dt.timedelta(days=21)) == 0
    event.refresh_from_db()
    assert event.registration_warning_at is not None and event.vehicle.registration_warning
    review.violation_record_payment(by=reviewer, event_id=event.pk, amount=20_000_000)
    event.vehicle.refresh_from_db()
    assert not event.vehicle.registration_warning


def test_the_owner_finds_the_notice_in_their_citizen_account(client, camera, reviewer, chief, owner):
    event = _notice(camera, owner, reviewer, chief)
    account = CitizenAccount.objects.create(resident=owner, phone="0905111222", password="!", level=2)
    session = client.session
    session["citizen_account"], session["citizen_credentials"] = account.pk, account.credentials_version
    session.save()
    page = client.get(reverse("eservices:citizen_home"))
    text = page.content.decode()
    assert event.notice_number in text and reverse("traffic:notice_pdf", args=[event.notice_token]) in text


def test_the_notice_pdf_carries_the_evidence_image(camera, reviewer, chief, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = _notice(camera, owner, reviewer, chief)
    without = documents.notice_pdf(event)
    Evidence.objects.create(
        event=event,
        token="t",
        content_type="image/png",
        size=len(PNG),
        sha256="ab" * 32,
        file=ContentFile(PNG, name="frame.png"),
    )
    reader = PdfReader(io.BytesIO(documents.notice_pdf(event)))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2 and len(list(PdfReader(io.BytesIO(without)).pages[0].images)) == 1  # QR code + frame
