"""One audit event appended by the same PostgreSQL statement as the write it records.

A hot write path (registering an incoming document) writes its rows and its audit event in one
statement: the chain's head row is then locked only for the end of that statement and its commit,
never across a round trip to the client. The link itself (lock the head, number and hash the event
after it, move the head) is ``core_audit_chain_next``, PL/pgSQL from migration core/0008: its
statements read the head with snapshots of their own, so a head moved by another appender since the
write's statement began is simply read, not re-checked through the whole statement's plan.

Some values of the event are known only inside the statement (the id of the row it inserts, a
number it takes): the event holds a :class:`Hole` there, and the statement writes the value of a
column of the row it inserted, both in the stored event and in the canonical form it hashes.
``verify`` recomputes every hash in Python from the stored row, so a difference between the two
computations is found (core/tests/test_audit_in_statement.py).

PostgreSQL only; the caller falls back to ``audit_record`` elsewhere.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from congan.core.audit.chain import HASHED_FIELDS, CleanEvent, _canonical_payload, _dumps
from congan.core.models import AuditEvent

# Per process and unguessable: no text a user sends can contain one by chance or on purpose.
_TOKEN_PREFIX = secrets.token_hex(12)
_SEQ = "seq"


@dataclass(frozen=True)
class Hole:
    """An integer the statement fills in from ``column`` of the row its ``source`` CTE wrote.

    Put :attr:`token` where the value goes: as a whole value where the event holds a number
    (``details={"arrival_number": hole.token}``) with ``text=False``, or as (part of) a string
    (``target_id=hole.token``) with ``text=True``; the digits replace it."""

    column: str
    text: bool = False
    token: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.column):
            raise ValueError(f"not a column name: {self.column!r}")
        object.__setattr__(self, "token", f"{_TOKEN_PREFIX}-{self.column}-{int(self.text)}")


# A text with holes: literal pieces and, between them, the index of the hole whose digits go there
# (-1 for the event's seq).
Pieces = list[str | int]
_SEQ_TOKEN = f"{_TOKEN_PREFIX}-{_SEQ}"


@functools.cache
def _pattern(holes: tuple[Hole, ...], json_text: bool) -> tuple[re.Pattern[str], dict[str, int]]:
    patterns: dict[str, int] = {}
    for index, hole in enumerate(holes):
        quoted = json_text and not hole.text
        patterns[json.dumps(hole.token) if quoted else hole.token] = index
    if json_text:
        patterns[json.dumps(_SEQ_TOKEN)] = -1
    return re.compile("|".join(re.escape(pattern) for pattern in patterns)), patterns


def _split(text: str, holes: tuple[Hole, ...], *, json_text: bool) -> Pieces:
    if _TOKEN_PREFIX not in text:
        return [text]
    pattern, index_of = _pattern(holes, json_text)
    pieces: Pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(text[position : match.start()])
        pieces.append(index_of[match.group(0)])
        position = match.end()
    pieces.append(text[position:])
    if any(_TOKEN_PREFIX in piece for piece in pieces if isinstance(piece, str)):
        raise ValueError("a hole is placed where its digits cannot go (a number hole inside a string?)")
    return pieces


def _shape(pieces: Pieces) -> tuple[int | None, ...]:
    return tuple(piece if isinstance(piece, int) else None for piece in pieces)


@dataclass(frozen=True)
class Appended:
    """CTEs to place after the CTE ``source`` in a statement's WITH clause, and the JSON value the
    statement must give them at ``data``. ``row_cte`` names the CTE that returns the appended
    event (``id``, ``seq``): the statement must fail when it returns no row (no chain head)."""

    sql: str
    value: dict[str, Any]
    row_cte: str = "audit_row"


def append_ctes(event: CleanEvent, *, source: str, holes: Sequence[Hole], data: str) -> Appended:
    """CTEs that take the chain's next link (after ``source`` wrote its row: the head is the last
    thing locked), hashing ``event`` with it, and insert the event. ``source`` is a CTE
    returning exactly one row with the holes' columns; ``data`` an SQL expression of type jsonb
    holding :attr:`Appended.value`.

    The statement's text depends only on where the holes fall (the same for every event of one
    write path): it is built once per shape, and prepared once per connection."""
    holes = tuple(holes)
    values = {name: getattr(event, name) for name in _VALUE_FIELDS}
    payload = _canonical_payload({**values, "seq": 0})
    payload["seq"] = _SEQ_TOKEN
    canonical = _split(_dumps(payload), holes, json_text=True)
    row: dict[str, Any] = {}
    filled: dict[str, Pieces] = {}
    for name, value in values.items():
        if name == "occurred_at":
            row[name] = value.isoformat()
            continue
        if name == "details":
            pieces = _split(json.dumps(value, ensure_ascii=False), holes, json_text=True)
        elif isinstance(value, str):
            pieces = _split(value, holes, json_text=False)
        else:
            row[name] = value
            continue
        if len(pieces) == 1:
            row[name] = value
        else:
            filled[name] = pieces
    sql = _statement(
        source=source,
        holes=holes,
        canonical=_shape(canonical),
        filled=tuple((name, _shape(pieces)) for name, pieces in filled.items()),
        data=data,
    )
    parts = {name: [piece for piece in pieces if isinstance(piece, str)] for name, pieces in filled.items()}
    canonical_parts = [piece for piece in canonical if isinstance(piece, str)]
    return Appended(sql=sql, value={"row": row, "canonical": canonical_parts, "parts": parts})


_VALUE_FIELDS = tuple(name for name in HASHED_FIELDS if name != "seq")


def _concat(shape: tuple[int | None, ...], *, literal: str, hole_value: dict[int, str], first: int = 0) -> str:
    """The SQL concatenation of a text of this shape: its n-th literal piece read from
    ``literal % (first + n)``, a hole's digits from ``hole_value``."""
    terms = []
    n = first
    for piece in shape:
        if piece is None:
            terms.append(literal % n)
            n += 1
        else:
            terms.append(f"({hole_value[piece]})::text")
    return " || ".join(terms) if terms else "''"


@functools.cache
def _statement(
    *,
    source: str,
    holes: tuple[Hole, ...],
    canonical: tuple[int | None, ...],
    filled: tuple[tuple[str, tuple[int | None, ...]], ...],
    data: str,
) -> str:
    ops = connection.ops
    table = ops.quote_name(AuditEvent._meta.db_table)
    carried = "".join(f", s.{ops.quote_name(hole.column)} AS audit_h{index}" for index, hole in enumerate(holes))
    in_source = {index: f"s.{ops.quote_name(hole.column)}" for index, hole in enumerate(holes)}
    in_row = {index: f"n.audit_h{index}" for index in range(len(holes))}
    # The canonical form around its seq, which core_audit_chain_next puts between the two.
    cut = canonical.index(-1)
    before, after = canonical[:cut], canonical[cut + 1 :]
    literal = "(i.a -> 'canonical' ->> %d)"
    hashed_before = _concat(before, literal=literal, hole_value=in_source)
    hashed_after = _concat(after, literal=literal, hole_value=in_source, first=before.count(None))
    selected = []
    shapes = dict(filled)
    for name in HASHED_FIELDS:
        if name == "seq":
            selected.append("n.seq")
        elif name in shapes:
            expression = _concat(shapes[name], literal=f"(i.a -> 'parts' -> '{name}' ->> %d)", hole_value=in_row)
            selected.append(f"({expression})::jsonb" if name == "details" else f"({expression})")
        else:
            selected.append(f"r.{ops.quote_name(name)}")
    columns = ", ".join(ops.quote_name(name) for name in (*HASHED_FIELDS, "prev_hash", "hash"))
    return f"""
audit_in AS MATERIALIZED (SELECT {data} AS a),
audit_new AS (
    SELECT c.next_seq AS seq, c.prev AS prev_hash, c.digest AS hash{carried}
    FROM {source} s CROSS JOIN audit_in i
        CROSS JOIN LATERAL core_audit_chain_next({hashed_before}, {hashed_after}) c
),
audit_row AS (
    INSERT INTO {table} ({columns})
    SELECT {", ".join(selected)}, n.prev_hash, n.hash
    FROM audit_new n CROSS JOIN audit_in i CROSS JOIN jsonb_populate_record(NULL::{table}, i.a -> 'row') r
    RETURNING id, seq
)"""  # noqa: S608 - names from the models, values in the statement's parameter
