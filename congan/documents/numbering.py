"""Taking the next number of a series (Decree 30/2020: from 01 on 1 January, no gap, no duplicate).

The series row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers) and
incremented inside the caller's transaction, the one that writes the document with its number: a
rolled-back registration gives its number back, and two registrations never share one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from congan.documents.models import NumberSeries


def number_take(*, unit, year: int, book: str, series: str = "", secret: bool = False) -> int:
    """The next number of (unit, year, book, series, secret); call it inside the transaction that
    stores the numbered document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_take must run inside the transaction that stores the document")
    key = {"unit": unit, "year": year, "book": book, "series": series, "secret": secret}
    taken = _increment(key)
    if taken is None:
        try:
            with transaction.atomic():  # a savepoint: another connection may create it first
                NumberSeries.objects.create(**key)
        except IntegrityError:
            pass
        taken = _increment(key)
    if taken is None:  # pragma: no cover - the row was created just above
        raise RuntimeError("number series row missing")
    return taken


# One round trip: the UPDATE locks the series row until the caller's transaction ends (a second
# registration in the same register waits here) and answers the number it set.
_INCREMENT = (
    "UPDATE documents_numberseries SET last = last + 1 "
    "WHERE unit_id = %s AND year = %s AND book = %s AND series = %s AND secret = %s RETURNING last"
)


def _increment(key: dict) -> int | None:
    unit_id = getattr(key["unit"], "pk", key["unit"])
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(_INCREMENT, [unit_id, key["year"], key["book"], key["series"], key["secret"]])
        row = cursor.fetchone()
    return int(row[0]) if row else None
