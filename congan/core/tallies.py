"""Tallies: additive changes to aggregate rows, applied with one portable upsert per table.

A statistics page that reads incremental aggregates (one row per unit, month and a few more keys)
costs the same however many raw rows there are, as long as every write that changes what the page
shows adds its deltas to those rows in its own transaction. A ``Tally`` collects such deltas —
``tally.add(Model, key, column=delta)`` — and ``tally_apply`` writes them:

    INSERT INTO t (k1, …, c1, …) VALUES (…), (…)
    ON CONFLICT (k1, …) DO UPDATE SET c1 = t.c1 + excluded.c1, …

which PostgreSQL (9.5+) and SQLite (3.24+) both understand, so a row is created on first use and
incremented after, atomically, without a lookup first. The key columns must carry a unique
constraint and be NOT NULL (NULLs never conflict): an aggregate model stores "none" as 0 in a
plain integer column rather than in a nullable foreign key. Counters are plain integers, so a
change may be negative (a violation leaving "notice issued" for "paid"); the recount that every
aggregate module offers (``congan stats check``) proves the rows equal what the raw rows give.

Rows are sorted by key before they are written, so two transactions touching the same rows lock
them in the same order and cannot deadlock on each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

CHUNK = 400  # rows per statement: well under both engines' limit on bound parameters

Key = tuple[Any, ...]


class Tally:
    """Deltas to aggregate rows: {model: {key: {column: delta}}}. Adding the same key twice sums."""

    def __init__(self) -> None:
        self.rows: dict[type[Model], dict[Key, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int))
        )

    def add(self, model: type[Model], key: Key, **deltas: int) -> None:
        row = self.rows[model][key]
        for column, delta in deltas.items():
            row[column] += delta

    def merge(self, other: Tally, sign: int = 1) -> Tally:
        for model, rows in other.rows.items():
            for key, deltas in rows.items():
                self.add(model, key, **{column: sign * delta for column, delta in deltas.items()})
        return self

    def minus(self, other: Tally) -> Tally:
        """What turns ``other`` into this tally: this one's deltas less ``other``'s (a new tally)."""
        return Tally().merge(self).merge(other, sign=-1)

    def nonzero(self) -> dict[type[Model], dict[Key, dict[str, int]]]:
        """The rows with at least one delta other than zero, each without its zero deltas."""
        result: dict[type[Model], dict[Key, dict[str, int]]] = {}
        for model, rows in self.rows.items():
            kept = {
                key: {column: delta for column, delta in deltas.items() if delta}
                for key, deltas in rows.items()
                if any(deltas.values())
            }
            if kept:
                result[model] = kept
        return result

    def __bool__(self) -> bool:
        return bool(self.nonzero())


def tally_key_fields(model: type[Model]) -> Sequence[str]:
    """The key of an aggregate model: its ``TALLY_KEY`` (field names, in the order keys are given)."""
    return model.TALLY_KEY  # type: ignore[attr-defined]


def tally_counters(model: type[Model]) -> list[str]:
    """The counters of an aggregate model: its concrete fields outside the key and the primary key."""
    key = set(tally_key_fields(model))
    return [field.name for field in model._meta.concrete_fields if not field.primary_key and field.name not in key]


def _concrete(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), name  # noqa: S101 - a key or a counter is a concrete field
    return field


def _column(model: type[Model], name: str) -> str:
    column = _concrete(model, name).column
    assert column, name  # noqa: S101 - a concrete field has a column
    return column


def tally_apply(tally: Tally) -> int:
    """Add every delta of ``tally`` to its row (created at zero when missing); returns the number
    of rows touched. Call it inside the transaction of the write the deltas describe."""
    touched = 0
    for model, rows in sorted(tally.nonzero().items(), key=lambda item: item[0]._meta.db_table):
        touched += _upsert(model, rows)
    return touched


def _upsert(model: type[Model], rows: dict[Key, dict[str, int]]) -> int:
    keys = list(tally_key_fields(model))
    counters = tally_counters(model)  # all of them: a new row starts every counter, at 0 or its delta
    fields = [_concrete(model, name) for name in [*keys, *counters]]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(_column(model, name)) for name in [*keys, *counters])
    conflict = ", ".join(quote(_column(model, name)) for name in keys)
    updates = ", ".join(
        f"{quote(column)} = {table}.{quote(column)} + excluded.{quote(column)}"
        for column in (_column(model, name) for name in counters)
    )
    placeholder = f"({', '.join(['%s'] * len(fields))})"
    ordered = sorted(rows.items(), key=lambda item: item[0])  # keys of one model compare field by field
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            params: list[Any] = []
            for key, deltas in chunk:
                values = [*key, *(deltas.get(counter, 0) for counter in counters)]
                params += [
                    field.get_db_prep_value(value, connection) for field, value in zip(fields, values, strict=True)
                ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([placeholder] * len(chunk))} "  # noqa: S608 - names from the model
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                params,
            )
    return len(ordered)


def tally_lock(*models: type[Model]) -> None:
    """Inside a rebuild's transaction: keep writers off these aggregate tables until it commits
    (PostgreSQL's EXCLUSIVE mode lets pages read them meanwhile). A write that committed before is
    in the recount; one that commits after waits here and adds its delta to the rebuilt rows.
    SQLite needs nothing: a writing transaction there holds the database's one write lock."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"LOCK TABLE {quote(model._meta.db_table)} IN EXCLUSIVE MODE")
