"""Numbers of a series run from 01 each year, per unit, book, type series and secrecy, with no gap."""

from __future__ import annotations

import pytest
from django.db import transaction

from congan.documents.models import NumberSeries
from congan.documents.numbering import number_take

pytestmark = pytest.mark.django_db


def _take(unit, year=2026, book=NumberSeries.Book.INCOMING, series="", secret=False) -> int:
    with transaction.atomic():
        return number_take(unit=unit, year=year, book=book, series=series, secret=secret)


def test_numbers_of_a_series_follow_each_other_from_one(commune):
    assert [_take(commune) for _ in range(3)] == [1, 2, 3]


def test_each_year_starts_again_at_one(commune):
    _take(commune, year=2026)
    _take(commune, year=2026)
    assert _take(commune, year=2027) == 1


def test_units_books_type_series_and_secret_documents_each_have_their_own_series(commune, other_commune):
    outgoing = NumberSeries.Book.OUTGOING
    assert _take(commune) == 1
    assert _take(other_commune) == 1
    assert _take(commune, book=outgoing, series="quyet-dinh") == 1
    assert _take(commune, book=outgoing, series="thong-bao") == 1
    assert _take(commune, book=outgoing, series="quyet-dinh") == 2
    assert _take(commune, book=NumberSeries.Book.INTERNAL) == 1
    assert _take(commune, secret=True) == 1
    assert _take(commune) == 2


def test_a_rolled_back_registration_gives_its_number_back(commune):
    _take(commune)
    with pytest.raises(RuntimeError), transaction.atomic():
        number_take(unit=commune, year=2026, book=NumberSeries.Book.INCOMING)
        raise RuntimeError("the document could not be stored")
    assert _take(commune) == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_the_documents_transaction(commune):
    with pytest.raises(RuntimeError):
        number_take(unit=commune, year=2026, book=NumberSeries.Book.INCOMING)
