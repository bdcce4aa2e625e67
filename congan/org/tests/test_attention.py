"""Việc cần làm: what needs an officer now, counted from the records of their units: the header's
figure and the page that lists each item with its list."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from congan.core.attention import items_for, total_for
from congan.incidents import services as incidents
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _report(token, kind="CHAY.NHA", text="Cháy nhà dân, khói lớn, có người mắc kẹt"):
    return incidents.report_submit(
        kind_code=kind, description=text, commune_code="20194", client_token=token, anonymous=True
    ).report


def test_a_dispatcher_is_told_of_urgent_and_untriaged_reports_of_their_units(commune, other_commune, client):
    incidents.kinds_load(by="system")
    _report("u1")
    _report("n1", kind="ANTT.PHANANH", text="Đề nghị kiểm tra lấn chiếm vỉa hè")
    dispatcher = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    items = {item.label: item for item in items_for(dispatcher)}
    assert items["Tin báo khẩn cấp chưa xử lý xong"].count == 1 and items["Tin báo khẩn cấp chưa xử lý xong"].urgent
    assert items["Tin báo mới chưa phân loại"].count == 2
    assert total_for(dispatcher) == 3
    client.force_login(dispatcher)
    assert 'data-testid="attention-count">3<' in client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("attention")).content.decode()
    assert "/tin-bao/xu-ly/?priority=urgent" in page and "Tin báo mới chưa phân loại" in page
    outsider = OfficerFactory(unit=other_commune, roles=[roles.DISPATCHER])
    assert items_for(outsider) == [] and total_for(outsider) == 0


def test_an_officer_with_nothing_waiting_sees_no_figure(commune, client):
    clerk = OfficerFactory(unit=commune, roles=[roles.CLERK])
    client.force_login(clerk)
    assert 'data-testid="attention-count"' not in client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="attention-empty"' in client.get(reverse("attention")).content.decode()
