"""The duplicate alarm (Decree 30/2020, Appendix VI): the same number, symbol, issuer and year
already in the register stops the registration until the clerk confirms it is another document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.models import AuditEvent
from congan.documents import selectors, services
from congan.documents.tests.factories import clerk, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registration_path")]


@pytest.fixture
def vanthu(commune):
    return clerk(commune)


def test_the_same_document_registered_twice_raises_the_alarm_naming_the_first(vanthu):
    first = register(vanthu).document
    with pytest.raises(services.PossibleDuplicate) as caught:
        register(vanthu, issuer_name="CÔNG AN THÀNH PHỐ  ĐÀ NẴNG")
    assert caught.value.duplicates == [first]
    assert caught.value.code == "possible_duplicate"
    message = caught.value.details["confirm_not_duplicate"][0]
    assert "số đến 01 ngày" in message and "xác nhận không trùng" in message
    assert caught.value.details["duplicates"] == [first.pk]


def test_the_alarm_takes_no_number(vanthu):
    register(vanthu)
    with pytest.raises(services.PossibleDuplicate):
        register(vanthu)
    assert register(vanthu, number_symbol="16/QĐ-CATP-PV01").document.arrival_number == 2


def test_the_clerk_confirms_it_is_another_document_and_the_timeline_says_so(vanthu):
    first = register(vanthu).document
    second = register(vanthu, confirm_not_duplicate=True).document
    assert (second.arrival_number, second.duplicate_confirmed) == (2, True)
    steps = {event.action: event.note for event in selectors.timeline(second)}
    assert "số đến 01" in steps["duplicate_confirmed"]
    audit = AuditEvent.objects.get(action="documents.incoming.register", target_id=str(second.pk))
    assert audit.details["duplicates_confirmed"] == [first.pk]


def test_the_same_agency_identifier_counts_as_the_same_issuer(vanthu):
    register(vanthu, issuer_agency_id="000.00.00.H17")
    with pytest.raises(services.PossibleDuplicate):
        register(vanthu, issuer_name="CATP Đà Nẵng", issuer_agency_id="000.00.00.H17")


@pytest.mark.parametrize(
    "other",
    [
        {"number_symbol": "16/QĐ-CATP-PV01"},
        {"number_symbol": "15/QĐ-CATP-PV02"},
        {"issuer_name": "Ủy ban nhân dân thành phố Đà Nẵng"},
    ],
)
def test_another_number_symbol_or_issuer_raises_no_alarm(vanthu, other):
    register(vanthu)
    assert register(vanthu, **other).document.arrival_number == 2


def test_the_same_number_of_another_year_raises_no_alarm(vanthu):
    last_year = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=1)
    register(vanthu, issued_on=last_year, received_on=last_year)
    assert register(vanthu).document.arrival_number == 1


def test_another_units_register_raises_no_alarm(vanthu, other_commune):
    register(vanthu)
    assert register(clerk(other_commune)).document.arrival_number == 1


def test_a_document_without_a_number_raises_no_alarm(vanthu):
    register(vanthu, number_symbol="")
    assert register(vanthu, number_symbol="").document.arrival_number == 2
