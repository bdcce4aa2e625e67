"""Taking the next number of a series (Decree 30/2020: from 01 on 1 January, no gap, no duplicate).

The series row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers) and
incremented inside the caller's transaction, the one that writes the document with its number: a
rolled-back registration gives its number back, and two registrations never share one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from congan.documents.models import NumberSeries


def number_take(*, unit, year: int, book: str, series: str = "", secret: bool = False) -> int:
    """The next number of (unit, year, book, series, secret); call it inside the transaction that
    stores the numbered document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_take must run inside the transaction that stores the document")
    key = {"unit": unit, "year": year, "book": book, "series": series, "secret": secret}
    row = NumberSeries.objects.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():  # a savepoint: another connection may create it first
                NumberSeries.objects.create(**key)
        except IntegrityError:
            pass
        row = NumberSeries.objects.select_for_update().get(**key)
    NumberSeries.objects.filter(pk=row.pk).update(last=F("last") + 1)
    row.refresh_from_db(fields=["last"])
    return int(row.last)
