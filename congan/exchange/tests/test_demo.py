"""The demo's edXML traffic: envelopes in from outside agencies (one with a warning), one of them
registered, and documents the province sent to the clerk's unit with their statuses back."""

from __future__ import annotations

import pytest

from congan.documents.tests.factories import types_loaded
from congan.exchange.demo import demo_build_exchange
from congan.exchange.models import ExchangeMessage, ExchangeStatus
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_exchanges_packets_both_ways_once(province, commune):
    types_loaded()
    vanthu = OfficerFactory(username="vanthu", unit=commune, roles=[roles.CLERK])
    assert demo_build_exchange(province=province) == {"exchange_in": 3, "exchange_out": 2}
    received = ExchangeMessage.objects.filter(unit=commune, direction="in")
    assert received.count() == 5
    assert received.filter(incoming__status="registered").count() == 1
    assert any(w["problem"] == "agency_id" for m in received for w in m.warnings)
    sent = ExchangeMessage.objects.filter(unit=province, direction="out")
    assert sent.count() == 2 and all(m.last_status == "01" for m in sent)
    assert ExchangeStatus.objects.filter(direction="out", code="03").count() == 1
    assert demo_build_exchange(province=province) == {}
    assert vanthu.unit == commune
