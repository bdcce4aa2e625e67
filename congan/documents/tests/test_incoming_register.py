"""Registering incoming documents (vào sổ văn bản đến): numbers, the secret register, files, the
rules of each field, and the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import selectors, services
from congan.documents.models import Classification, IncomingDocument, Urgency
from congan.documents.tests.factories import PDF, clerk, document_type, pdf_upload, register
from congan.org import roles
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registration_path")]


@pytest.fixture
def vanthu(commune):
    return clerk(commune, clearance=Clearance.TOP_SECRET)


def test_registering_takes_the_next_arrival_number_of_the_year(vanthu):
    first = register(vanthu, number_symbol="15/QĐ-CATP-PV01").document
    second = register(vanthu, number_symbol="05/CATP-PV01", document_type=document_type("")).document
    third = register(vanthu, number_symbol="07/TB-CATP", document_type=document_type("TB")).document
    assert [first.arrival_number, second.arrival_number, third.arrival_number] == [1, 2, 3]
    assert (first.year, first.status, first.registered_by) == (
        timezone.localdate().year,
        IncomingDocument.Status.REGISTERED,
        vanthu,
    )
    assert first.arrival_display == "01"
    assert second.number_symbol == "05/CATP-PV01"


def test_a_document_that_arrived_last_year_takes_last_years_series(vanthu):
    register(vanthu)
    last_year = dt.date(timezone.localdate().year - 1, 12, 30)
    old = register(vanthu, number_symbol="99/QĐ-CATP", received_on=last_year, issued_on=last_year).document
    assert (old.year, old.arrival_number) == (last_year.year, 1)


def test_the_timeline_and_the_audit_trail_record_the_registration(vanthu):
    document = register(vanthu).document
    assert [event.action for event in selectors.timeline(document)] == ["receive", "register"]
    event = AuditEvent.objects.get(action="documents.incoming.register", target_id=str(document.pk))
    assert event.details["arrival_number"] == 1
    assert event.actor_id == str(vanthu.pk)


def test_a_classified_entry_takes_a_number_of_the_secret_register(vanthu):
    register(vanthu, number_symbol="01/QĐ-CATP")
    secret = register(vanthu, number_symbol="02/QĐ-CATP", classification=Classification.SECRET).document
    ordinary = register(vanthu, number_symbol="03/QĐ-CATP").document
    assert (secret.secret, secret.arrival_number) == (True, 1)
    assert ordinary.arrival_number == 2


def test_a_classified_entry_refuses_any_file_and_takes_no_number(vanthu):
    with pytest.raises(ValidationFailed) as caught:
        register(vanthu, classification=Classification.TOP_SECRET, file=pdf_upload())
    assert "không được lưu nội dung bí mật nhà nước" in caught.value.details["file"][0]
    assert not IncomingDocument.objects.exists()
    assert register(vanthu, classification=Classification.TOP_SECRET).document.arrival_number == 1


def test_a_clerk_cannot_register_above_their_clearance(commune):
    with pytest.raises(ValidationFailed) as caught:
        register(clerk(commune, clearance=Clearance.SECRET), classification=Classification.TOP_SECRET)
    assert "Mức tiếp cận bí mật" in caught.value.details["classification"][0]


def test_the_pdf_is_stored_with_its_sha256(vanthu):
    document = register(vanthu, file=pdf_upload()).document
    assert document.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert (document.file_name, document.file_size, document.channel) == ("quyet-dinh.pdf", len(PDF), "electronic")
    assert document.file.read() == PDF


def test_a_file_that_is_not_a_pdf_is_refused(vanthu):
    with pytest.raises(ValidationFailed) as caught:
        register(vanthu, file=pdf_upload("anh.png", b"\x89PNG\r\n\x1a\nxxxx"))
    assert caught.value.details["file"] == ["Chỉ nhận tệp PDF."]


def test_every_bad_field_is_named_at_once_in_vietnamese(vanthu):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        register(
            vanthu,
            issuer_name=" ",
            subject="x",
            number_symbol="15/QĐ--CATP",
            received_on=tomorrow,
            urgency=9,
        )
    details = caught.value.details
    assert set(details) == {"issuer_name", "subject", "number_symbol", "received_on", "urgency"}
    assert details["received_on"] == ["Ngày đến không được sau hôm nay."]


def test_a_symbol_whose_type_differs_from_the_chosen_type_is_refused(vanthu):
    with pytest.raises(ValidationFailed) as caught:
        register(vanthu, number_symbol="15/QĐ-CATP", document_type=document_type("TB"))
    assert caught.value.details["number_symbol"] == [
        "Ký hiệu có tên loại QĐ nhưng loại văn bản chọn là Thông báo (TB)."
    ]
    with pytest.raises(ValidationFailed) as caught:
        register(vanthu, number_symbol="15/QĐ-CATP", document_type=document_type(""))
    assert "công văn" in caught.value.details["number_symbol"][0]


def test_a_document_dated_after_its_arrival_is_refused(vanthu):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as caught:
        register(vanthu, received_on=today - dt.timedelta(days=3), issued_on=today)
    assert caught.value.details["issued_on"] == ["Ngày văn bản không được sau ngày đến."]


def test_a_strange_agency_identifier_is_kept_with_a_warning(vanthu):
    outcome = register(vanthu, issuer_agency_id="999.010.01.H22")
    assert outcome.document.issuer_agency_id == "999.010.01.H22"
    assert "999.010.01.H22" in outcome.warnings[0]
    assert register(vanthu, number_symbol="16/QĐ-CATP", issuer_agency_id="000.00.00.H17").warnings == []


def test_only_a_clerk_registers(commune):
    with pytest.raises(PermissionDenied):
        register(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))


def test_urgent_entries_are_listed_first_until_acknowledged(vanthu, commune):
    register(vanthu, number_symbol="01/QĐ-CATP")
    flash = register(vanthu, number_symbol="02/QĐ-CATP", urgency=Urgency.FLASH).document
    urgent = register(vanthu, number_symbol="03/QĐ-CATP", urgency=Urgency.URGENT).document
    listed = list(selectors.incoming_register(viewer=vanthu, filters=selectors.RegisterFilters()))
    assert listed[:2] == [flash, urgent]
    IncomingDocument.objects.filter(pk=flash.pk).update(acknowledged_at=timezone.now())
    listed = list(selectors.incoming_register(viewer=vanthu, filters=selectors.RegisterFilters()))
    assert listed[0] == urgent


def test_the_register_search_ignores_diacritics(vanthu):
    document = register(vanthu, subject="Kế hoạch phòng cháy chữa cháy mùa khô").document
    for typed in ("phong chay", "PHÒNG CHÁY", "catp-pv01", "đà nẵng"):
        found = selectors.incoming_register(viewer=vanthu, filters=selectors.RegisterFilters(q=typed))
        assert list(found) == [document], typed


def test_hand_over_then_the_named_officer_acknowledges(vanthu, commune):
    handler = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    document = register(vanthu, recipient_officer=handler).document
    assert (document.recipient_unit, document.handed_at is not None) == (commune, True)
    with pytest.raises(PermissionDenied):
        services.incoming_acknowledge(
            by=OfficerFactory(unit=commune, roles=[roles.SPECIALIST]), document_id=document.pk
        )
    services.incoming_acknowledge(by=handler, document_id=document.pk)
    document.refresh_from_db()
    assert document.acknowledged_by == handler
    assert [e.action for e in selectors.timeline(document)] == ["receive", "register", "hand_over", "acknowledge"]
    with pytest.raises(InvalidTransition):
        services.incoming_acknowledge(by=handler, document_id=document.pk)


def test_a_document_is_handed_only_within_the_clerks_unit(vanthu, other_commune):
    with pytest.raises(ValidationFailed) as caught:
        register(vanthu, recipient_unit=other_commune)
    assert "recipient_unit" in caught.value.details
    document = register(vanthu, number_symbol="16/QĐ-CATP").document
    with pytest.raises(ValidationFailed):
        services.incoming_hand_over(
            by=vanthu,
            document_id=document.pk,
            recipient_unit=None,
            recipient_officer=OfficerFactory(unit=other_commune),
        )


def test_another_units_clerk_finds_nothing_to_hand_over(vanthu, other_commune):
    document = register(vanthu).document
    with pytest.raises(NotFound):
        services.incoming_hand_over(
            by=clerk(other_commune), document_id=document.pk, recipient_unit=other_commune, recipient_officer=None
        )
