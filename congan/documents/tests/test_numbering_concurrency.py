"""Under concurrency (PostgreSQL, parallel connections) a series hands out 01–50 exactly: no gap,
no duplicate."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from congan.documents.models import NumberSeries
from congan.documents.numbering import number_take

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("registration_path"),
]
CALLS = 50
CONNECTIONS = 10


def in_parallel(job, calls: int = CALLS) -> list:
    """``job(index)`` run ``calls`` times from CONNECTIONS threads, each with its own connection,
    started together."""
    start = threading.Barrier(CONNECTIONS)
    local = threading.local()

    def run(index: int):
        if not getattr(local, "started", False):
            local.started = True
            start.wait(timeout=30)
        try:
            return job(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        return list(pool.map(run, range(calls)))


def test_fifty_numbers_from_parallel_connections_are_one_to_fifty(commune):
    def take(_index: int) -> int:
        with transaction.atomic():
            return number_take(unit=commune, year=2026, book=NumberSeries.Book.OUTGOING, series="quyet-dinh")

    numbers = in_parallel(take)
    assert sorted(numbers) == list(range(1, CALLS + 1))
    assert NumberSeries.objects.get(unit=commune, series="quyet-dinh").last == CALLS


def test_fifty_registrations_from_parallel_connections_take_arrival_numbers_one_to_fifty(commune):
    from congan.documents.models import DocumentType, IncomingDocument
    from congan.documents.tests.factories import clerk, register
    from congan.documents.types import load_types

    load_types(DocumentType)  # a transactional test starts from flushed tables
    vanthu = clerk(commune)

    def take(index: int) -> int:
        outcome = register(vanthu, number_symbol=f"{index + 1:02d}/QĐ-CATP-PV01")
        assert outcome.document.arrival_number is not None
        return outcome.document.arrival_number

    numbers = in_parallel(take)
    assert sorted(numbers) == list(range(1, CALLS + 1))
    stored = sorted(IncomingDocument.objects.filter(unit=commune).values_list("arrival_number", flat=True))
    assert stored == list(range(1, CALLS + 1))


def test_the_same_document_registered_by_ten_clerks_at_once_is_registered_once(commune):
    from congan.documents.models import DocumentType, IncomingDocument
    from congan.documents.services import PossibleDuplicate
    from congan.documents.tests.factories import clerk, register
    from congan.documents.types import load_types

    load_types(DocumentType)
    clerks = [clerk(commune) for _ in range(CONNECTIONS)]

    def take(index: int) -> str:
        try:
            register(clerks[index], number_symbol="15/QĐ-CATP-PV01")
        except PossibleDuplicate:
            return "alarm"
        return "registered"

    outcomes = in_parallel(take, calls=CONNECTIONS)
    assert sorted(outcomes) == ["alarm"] * (CONNECTIONS - 1) + ["registered"]
    assert list(IncomingDocument.objects.filter(unit=commune).values_list("arrival_number", flat=True)) == [1]
    assert NumberSeries.objects.get(unit=commune, book=NumberSeries.Book.INCOMING).last == 1  # alarms took none


def test_a_burst_in_three_registers_numbers_each_from_one_and_keeps_the_audit_chain_whole(commune, other_commune):
    from congan.core.audit.chain import verify
    from congan.documents.models import DocumentType, IncomingDocument
    from congan.documents.tests.factories import clerk, register
    from congan.documents.types import load_types
    from congan.org.tests.factories import UnitFactory

    load_types(DocumentType)
    units = [commune, other_commune, UnitFactory(parent=commune.parent)]
    clerks = [clerk(unit) for unit in units]

    def take(index: int) -> int:
        outcome = register(clerks[index % 3], number_symbol=f"{index + 1:02d}/QĐ-CATP-PV01")
        return int(outcome.document.arrival_number or 0)

    in_parallel(take, calls=60)
    for unit in units:
        numbers = sorted(IncomingDocument.objects.filter(unit=unit).values_list("arrival_number", flat=True))
        assert numbers == list(range(1, 21))
        assert NumberSeries.objects.get(unit=unit, book=NumberSeries.Book.INCOMING).last == 20
    checked, broken = verify()
    assert broken is None and checked >= 60
