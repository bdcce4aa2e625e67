"""Registering a new incoming document in one PostgreSQL statement (decision 0032).

``services.incoming_register`` checks the entry in Python and, on PostgreSQL, writes it with the
statement built here, in one round trip that commits by itself:

1. ``documents_incoming_take`` (PL/pgSQL, migration 0009): the types' version the caller holds is
   still the database's; the audit chain has its head; the arrival day is in no closed period;
   the arrival number, from the series row, which stays locked until the statement's transaction
   commits; then, with a snapshot taken after that lock (so it sees every entry registered before
   it in this register), the duplicate check; a number whose duplicates are not those the clerk
   confirmed goes back at once;
2. the entry, with its number;
3. its timeline steps, the "register" step's note holding the number as the stamp writes it;
4. the audit event, chained after the head it locks last (``core.audit.in_statement``);
5. a check that the event was appended, failing the whole statement otherwise.

So the series row is held for one statement and its commit, and the chain's head for the end of
it. The entry's and the steps' columns come from the models (``jsonb_populate_record``), so a field
added later needs no change here. The statement is prepared once per connection.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils.functional import Promise
from psycopg.types.json import Json, Jsonb

from congan.core.audit.chain import PendingEvent, clean_event
from congan.core.audit.in_statement import Hole, append_ctes
from congan.core.prepared import fetch_prepared
from congan.documents.models import DocumentEvent, IncomingDocument

# The values the statement fills into the audit event: the entry's id and its arrival number.
DOCUMENT_ID = Hole("id", text=True)
ARRIVAL_NUMBER = Hole("arrival_number")
HOLES = (DOCUMENT_ID, ARRIVAL_NUMBER)


def in_one_statement() -> bool:
    """Whether registration goes through the one-statement path: on PostgreSQL unless
    ``DOCUMENTS_REGISTER_ONE_STATEMENT`` is off (the ORM path then, as on SQLite)."""
    return connection.vendor == "postgresql" and bool(settings.DOCUMENTS_REGISTER_ONE_STATEMENT)


@dataclass(frozen=True)
class Take:
    """What the locked part needs: the register (unit, year, book), the arrival day, the duplicate
    key, the duplicates the clerk confirmed (ids, in the order the check gives them), the version
    of the types the entry was checked with."""

    unit_id: int
    year: int
    secret: bool
    received_on: dt.date
    number: int | None
    notation: str
    issuer_folded: str
    issuer_agency_id: str
    duplicate_year: int
    expected: list[int]
    types_version: int


@dataclass(frozen=True)
class Step:
    """A timeline step; ``after`` set: the note is ``note`` + the arrival number + ``after``."""

    action: str
    note: str
    actor_label: str
    officer_id: int | None
    at: dt.datetime
    after: str | None = None


@dataclass(frozen=True)
class Result:
    outcome: str  # registered, duplicates, closed, no_series, types_changed, no_audit_head
    document_id: int | None = None
    arrival_number: int | None = None
    found: tuple[int, ...] = ()
    closed: tuple[dt.date, dt.date] | None = None


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Json | Jsonb):  # a JSONField's value, adapted for psycopg
        return value.obj
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


# Fields whose attribute is already the value the ORM would insert (the ORM's conversion is the
# identity for them); the others (dates and times, files, auto_now, anything else) go through
# pre_save + get_db_prep_save, as in Model.save().
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


@functools.cache
def _columns(model: type[models.Model], skip: frozenset[str]) -> tuple[tuple[str, str, Any], ...]:
    """(column, attribute, field or None when read as it is) of the columns the statement writes:
    every concrete one but the primary key, generated columns and ``skip``."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False) or field.attname in skip:
            continue
        as_is = isinstance(field, _AS_IS) and not isinstance(field, models.FileField)
        columns.append((str(field.column), field.attname, None if as_is else field))
    return tuple(columns)


def _row(instance: models.Model, skip: frozenset[str]) -> dict[str, Any]:
    """The columns of ``instance`` as the ORM would insert them (defaults, ``auto_now``, file
    names applied), by column name."""
    values = {}
    database = connections[connection.alias]  # the wrapper itself, not the per-thread proxy
    for column, attname, field in _columns(type(instance), skip):
        if field is None:
            value = getattr(instance, attname)
            values[column] = str(value) if isinstance(value, Promise) else value
        else:
            values[column] = field.get_db_prep_save(field.pre_save(instance, True), database)
    return values


_DOCUMENT_SKIP = frozenset({"arrival_number"})
_STEP_SKIP = frozenset({"document_id", "note"})
# The arrival number as the stamp writes it (arrival_display): 05, 12, 123.
_DISPLAY = "(CASE WHEN w.arrival_number < 10 THEN '0' ELSE '' END || w.arrival_number::text)"


@functools.cache
def _statement(audit_sql: str, audit_row: str) -> str:
    quote = connection.ops.quote_name
    documents = quote(IncomingDocument._meta.db_table)
    events = quote(DocumentEvent._meta.db_table)
    document_columns = [column for column, _attname, _field in _columns(IncomingDocument, _DOCUMENT_SKIP)]
    step_columns = [column for column, _attname, _field in _columns(DocumentEvent, _STEP_SKIP)]
    note = quote("note")
    return f"""
WITH input AS MATERIALIZED (SELECT %s::jsonb AS v),
taken AS MATERIALIZED (
    SELECT t.* FROM input CROSS JOIN LATERAL documents_incoming_take(
        (input.v ->> 'unit')::bigint, (input.v ->> 'year')::integer, (input.v ->> 'secret')::boolean,
        (input.v ->> 'received_on')::date, (input.v ->> 'number')::bigint, input.v ->> 'notation',
        input.v ->> 'issuer_folded', input.v ->> 'agency_id', (input.v ->> 'duplicate_year')::integer,
        ARRAY(SELECT jsonb_array_elements_text(input.v -> 'expected')::bigint),
        (input.v ->> 'types_version')::bigint
    ) t
),
doc AS (
    INSERT INTO {documents} ({", ".join(quote(column) for column in document_columns)}, {quote("arrival_number")})
    SELECT {", ".join(f"r.{quote(column)}" for column in document_columns)}, t.arrival_number
    FROM taken t CROSS JOIN input
        CROSS JOIN LATERAL jsonb_populate_record(NULL::{documents}, input.v -> 'document') r
    WHERE t.outcome = 'registered'
    RETURNING id, arrival_number
),
steps AS (
    INSERT INTO {events} ({quote("document_id")}, {quote("note")}, {", ".join(map(quote, step_columns))})
    SELECT w.id, CASE WHEN s.j ->> 'after' IS NULL THEN r.{note} ELSE r.{note} || {_DISPLAY} || (s.j ->> 'after') END,
        {", ".join(f"r.{quote(column)}" for column in step_columns)}
    FROM doc w CROSS JOIN input
        CROSS JOIN LATERAL jsonb_array_elements(input.v -> 'steps') WITH ORDINALITY AS s(j, n)
        CROSS JOIN LATERAL jsonb_populate_record(NULL::{events}, s.j) r
    ORDER BY s.n
    RETURNING 1
),
written AS (SELECT w.id, w.arrival_number, (SELECT count(*) FROM steps) AS steps FROM doc w),
{audit_sql}
SELECT t.outcome, t.arrival_number, t.duplicates, t.closed_from, t.closed_to, w.id,
    documents_require(
        w.id IS NULL OR EXISTS (SELECT 1 FROM {audit_row}),
        'documents.incoming.register: the audit event was not appended (audit chain head missing)'
    )
FROM taken t LEFT JOIN written w ON true
"""  # noqa: S608 - names from the models, values in the one parameter


def run(*, take: Take, document: IncomingDocument, steps: list[Step], event: PendingEvent) -> Result:
    """Run the statement (in its own transaction outside one; inside a savepoint within one, so a
    failure leaves the caller's transaction usable, as ``transaction.atomic`` does on the ORM path)."""
    audit = append_ctes(clean_event(event), source="written", holes=HOLES, data="(SELECT v -> 'audit' FROM input)")
    value = {
        "unit": take.unit_id,
        "year": take.year,
        "secret": take.secret,
        "received_on": take.received_on,
        "number": take.number,
        "notation": take.notation,
        "issuer_folded": take.issuer_folded,
        "agency_id": take.issuer_agency_id,
        "duplicate_year": take.duplicate_year,
        "expected": take.expected,
        "types_version": take.types_version,
        "document": _row(document, _DOCUMENT_SKIP),
        "steps": [
            {
                "at": step.at,
                "action": step.action,
                "note": step.note,
                "after": step.after,
                "actor_label": step.actor_label,
                "officer_id": step.officer_id,
            }
            for step in steps
        ],
        "audit": audit.value,
    }
    params = [json.dumps(value, ensure_ascii=False, default=_json_default)]
    sql = _statement(audit.sql, audit.row_cte)
    if connection.in_atomic_block:
        with transaction.atomic():
            rows = fetch_prepared(sql, params)
    else:
        rows = fetch_prepared(sql, params)
    outcome, arrival_number, found, closed_from, closed_to, document_id, _appended = rows[0]
    return Result(
        outcome=outcome,
        document_id=document_id,
        arrival_number=arrival_number,
        found=tuple(found or ()),
        closed=(closed_from, closed_to) if closed_from is not None else None,
    )


def database_alias() -> str:
    return str(connection.alias)
