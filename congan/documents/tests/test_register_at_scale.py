"""The register at a million entries: what keeps its page and counts cheap must not change what
they show. The count stops at a cap and says so; the order (urgent and unacknowledged first) comes
from a column the database keeps; the dashboard figures are counted one by one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from congan.documents import paging, selectors
from congan.documents.models import IncomingDocument, Urgency
from congan.documents.tests.factories import IncomingDocumentFactory, clerk
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vanthu(commune):
    return clerk(commune)


def test_the_register_says_more_than_the_cap_instead_of_counting_every_entry(client, vanthu, commune, monkeypatch):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 3)
    for _ in range(4):
        IncomingDocumentFactory(unit=commune)
    client.force_login(vanthu)
    page = client.get(reverse("documents:register")).content.decode()
    assert "Hơn 3 văn bản" in page and "lọc theo ngày đến" in page


def test_the_register_gives_the_exact_count_under_the_cap(client, vanthu, commune):
    for _ in range(3):
        IncomingDocumentFactory(unit=commune)
    client.force_login(vanthu)
    page = client.get(reverse("documents:register")).content.decode()
    assert "3 văn bản." in page and "Hơn" not in page


def test_the_capped_paginator_pages_up_to_the_cap(commune):
    for _ in range(5):
        IncomingDocumentFactory(unit=commune)
    paginator = paging.CappedPaginator(IncomingDocument.objects.order_by("pk"), 2)
    paginator.cap = 4
    assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)


def test_an_acknowledged_urgent_document_no_longer_sorts_first(vanthu, commune):
    older = IncomingDocumentFactory(unit=commune, urgency=Urgency.FLASH, received_on=timezone.localdate())
    newer = IncomingDocumentFactory(unit=commune, subject="Văn bản thường mới hơn")
    listed = list(selectors.incoming_register(viewer=vanthu, filters=selectors.RegisterFilters()))
    assert listed[0] == older
    IncomingDocument.objects.filter(pk=older.pk).update(acknowledged_at=timezone.now(), acknowledged_by=vanthu)
    older.refresh_from_db()
    assert older.pending_urgency == 0
    listed = list(selectors.incoming_register(viewer=vanthu, filters=selectors.RegisterFilters()))
    assert listed[0] == newer


def test_the_counts_see_the_subtree_of_a_leader_and_not_another_unit(province, commune, other_commune, vanthu):
    leader = OfficerFactory(unit=province, roles=[roles.LEADER])
    IncomingDocumentFactory(unit=commune, urgency=Urgency.URGENT)
    IncomingDocumentFactory(unit=other_commune, urgency=Urgency.URGENT)
    IncomingDocumentFactory(unit=commune, status=IncomingDocument.Status.RECEIVED)
    assert selectors.incoming_counts(viewer=vanthu)["urgent_pending"] == 1
    assert selectors.incoming_counts(viewer=vanthu)["received"] == 1
    if leader.has_perm(selectors.VIEW):
        assert selectors.incoming_counts(viewer=leader)["urgent_pending"] == 2
