"""The demo registers: numbered as the registers number them, idempotent, the clerk's commune full,
and a registration after the demo continues the series."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.utils import timezone

from congan.core.models import AuditEvent
from congan.documents.demo import demo_build_documents
from congan.documents.models import DocumentEvent, IncomingDocument, NumberSeries
from congan.documents.tests.factories import register
from congan.org import roles
from congan.org.models import Unit
from congan.org.tests.factories import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_units(province, commune, other_commune):
    UnitFactory(parent=province, kind="department", code="CA48-PV01", name="Phòng Tham mưu")
    OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST])
    return OfficerFactory(username="vanthu", unit=commune, roles=[roles.CLERK])


def test_the_demo_fills_twelve_months_of_registers_numbered_without_gaps(province, demo_units):
    created = demo_build_documents(province=province, documents=400)
    assert created["incoming_documents"] == 400 and created["received"] == 4
    numbers: dict[tuple, list[int]] = defaultdict(list)
    for unit_id, year, secret, number in IncomingDocument.objects.filter(status="registered").values_list(
        "unit", "year", "secret", "arrival_number"
    ):
        numbers[(unit_id, year, secret)].append(number)
    for key, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1)), key
        assert NumberSeries.objects.get(unit=key[0], year=key[1], secret=key[2], book="incoming").last == len(taken)
    oldest = IncomingDocument.objects.order_by("received_on").first()
    assert (timezone.localdate() - oldest.received_on).days > 300
    assert DocumentEvent.objects.filter(action="register").count() == 400
    assert AuditEvent.objects.filter(action="documents.demo.build").count() == 1


def test_the_clerks_commune_has_a_full_register_and_entries_to_register(province, commune, demo_units):
    demo_build_documents(province=province, documents=400)
    mine = IncomingDocument.objects.filter(unit=commune)
    assert mine.filter(status="registered").count() > 40
    assert mine.filter(status="received").count() == 4
    recent = timezone.localdate() - timezone.timedelta(days=2)
    assert mine.filter(status="registered", urgency=3, acknowledged_at__isnull=True, received_on__gte=recent).exists()
    assert not IncomingDocument.objects.filter(classification__gt=0).exclude(file="").exists()


def test_the_units_get_their_symbol_abbreviations(province, commune, demo_units):
    demo_build_documents(province=province, documents=0)
    assert Unit.objects.get(pk=province.pk).symbol == "CATP"
    assert Unit.objects.get(pk=commune.pk).symbol == "CAP"
    assert Unit.objects.get(code="CA48-PV01").symbol == "PV01"


def test_the_demo_runs_twice_without_adding_anything(province, demo_units):
    demo_build_documents(province=province, documents=100)
    again = demo_build_documents(province=province, documents=100)
    assert again == {"symbols": 0, "incoming_documents": 0, "received": 0}
    assert IncomingDocument.objects.count() == 104


def test_a_registration_after_the_demo_continues_the_series(province, commune, demo_units):
    demo_build_documents(province=province, documents=200)
    year = timezone.localdate().year
    last = NumberSeries.objects.filter(unit=commune, year=year, secret=False, book="incoming").first()
    document = register(demo_units, number_symbol="999/QĐ-CATP-PV01").document
    assert document.arrival_number == (last.last if last else 0) + 1
