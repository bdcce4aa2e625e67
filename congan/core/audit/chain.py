"""The chain itself: canonical serialisation, hashing, appending a batch, verifying.

An event's ``hash`` is SHA-256(prev_hash || canonical(event)). The canonical form must give the
same bytes for the values an appender holds in memory and for what SQLite or PostgreSQL hand
back later, so every value is brought to one form on both sides:

- ``occurred_at``: UTC, ISO 8601 with microseconds (PostgreSQL answers in the connection's zone);
- ``ip``: the address as ``ipaddress`` reads it (PostgreSQL's ``inet`` reformats IPv6);
- ``details``: JSON with sorted keys, and a float holding a whole number written as that integer
  (``jsonb`` stores numbers as ``numeric`` and gives ``1e+20`` back as ``100000000000000000000``).

What cannot be stored faithfully is cleaned *before* hashing (:func:`clean_event`): NUL
characters and lone surrogates (refused by PostgreSQL), NaN and infinities (refused by ``jsonb``
and by SQLite's ``JSON_VALID``), invalid IP addresses (refused by ``inet``) and strings longer
than their column.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from congan.core.models import AuditChainHead, AuditEvent
from congan.core.prepared import fetch_prepared

GENESIS_HASH = "0" * 64
HEAD_PK = 1
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_type",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "unit_id",
    "purpose",
    "ip",
    "request_id",
    "details",
)
_TEXT_FIELDS = (
    "actor_type",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "purpose",
    "request_id",
)


class ChainHeadMissing(RuntimeError):
    """Events exist but the head row is gone: appending would fork the chain, so nothing is appended."""


@dataclass(frozen=True)
class PendingEvent:
    """An event not yet on the chain: everything but seq and hashes."""

    occurred_at: datetime
    actor_type: str
    actor_id: str
    actor_label: str
    action: str
    target_type: str
    target_id: str
    unit_id: int | None
    purpose: str
    ip: str | None
    request_id: str
    details: dict[str, Any]


# --- canonical form -------------------------------------------------------------------------


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes hashed for one event (``values`` holds every name in ``HASHED_FIELDS``)."""
    return _dumps(_canonical_payload(values)).encode()


def canonical_around_seq(values: dict[str, Any]) -> tuple[bytes, bytes]:
    """``canonical(values)`` cut around the value of ``seq``: (before, after), so that the canonical
    form of the event numbered ``n`` is ``before + str(n).encode() + after``. PostgreSQL chains a
    batch with it in one statement, numbering the events after the head it locks (``append``)."""
    payload = _canonical_payload({**values, "seq": 0})
    # The keys are sorted: the object is those before "seq", then "seq", then those after it.
    before = _dumps({name: value for name, value in payload.items() if name < "seq"})
    after = _dumps({name: value for name, value in payload.items() if name > "seq"})
    return f'{before[:-1]},"seq":'.encode(), f",{after[1:]}".encode()


def _canonical_payload(values: dict[str, Any]) -> dict[str, Any]:
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["seq"] = int(payload["seq"])
    payload["occurred_at"] = canonical_time(payload["occurred_at"])
    payload["unit_id"] = None if payload["unit_id"] is None else int(payload["unit_id"])
    payload["ip"] = canonical_ip(payload["ip"])
    payload["details"] = _canonical_json(payload["details"])
    return payload


def _dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)


def event_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(values)).hexdigest()


def canonical_time(value: datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_ip(value: str | None) -> str | None:
    """The address as ``ipaddress`` writes it; a value it cannot read is kept as it is."""
    if value is None or value == "":
        return None
    return _canonical_address(str(value))


@functools.lru_cache(maxsize=4096)  # callers come from few addresses; parsing one costs more than hashing the event
def _canonical_address(value: str) -> str:
    try:
        address = ipaddress.ip_address(str(value).split("%", 1)[0])
    except ValueError:
        return str(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        # Spelled out so the form does not depend on the Python version (3.13 changed str()).
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def _canonical_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _canonical_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_json(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        if value.is_integer():
            # Through the shortest decimal form: 1e+300 is 10**300 here and in PostgreSQL's numeric.
            return int(Decimal(repr(value)))
    return value


# --- cleaning before the hash -----------------------------------------------------------------


class _DetailsEncoder(DjangoJSONEncoder):
    """Dates, decimals, UUIDs and lazy strings as DjangoJSONEncoder writes them; anything else as str()."""

    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def clean_text(value: Any) -> str:
    """A string PostgreSQL and SQLite both store unchanged: no NUL, no lone surrogate."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def clean_ip(value: Any) -> str | None:
    """A valid address in the form Django stores, or None (an invalid X-Real-IP must not fail a write)."""
    if value is None or value == "":
        return None
    return _valid_address(str(value).strip())


@functools.lru_cache(maxsize=4096)
def _valid_address(value: str) -> str | None:
    address = canonical_ip(value)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def clean_details(details: Any) -> dict[str, Any]:
    """Details as the database will give them back: plain JSON, no NaN, no NUL, string keys."""
    if details is None:
        return {}
    text = json.dumps(details, cls=_DetailsEncoder, ensure_ascii=False)
    plain = json.loads(text)
    if not isinstance(plain, dict):
        plain = {"value": plain}
    # Only NaN/Infinity tokens and escaped NUL or surrogates need the walk; the JSON text shows them.
    if any(token in text for token in ("NaN", "Infinity", "\\u0000", "\\ud")):
        plain = _clean_json(plain)
    return plain


def _clean_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {clean_text(key): _clean_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_json(item) for item in value]
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


@functools.cache
def _max_lengths() -> dict[str, int]:
    return {name: AuditEvent._meta.get_field(name).max_length for name in _TEXT_FIELDS}


@dataclass(frozen=True)
class CleanEvent(PendingEvent):
    """A ``PendingEvent`` already passed through :func:`clean_event` (not cleaned twice)."""


def clean_event(event: PendingEvent) -> CleanEvent:
    """The event exactly as it will be stored, so that what is hashed is what is read back."""
    if isinstance(event, CleanEvent):
        return event
    occurred_at = event.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    limits = _max_lengths()
    fields: dict[str, Any] = {name: clean_text(getattr(event, name))[: limits[name]] for name in _TEXT_FIELDS}
    return CleanEvent(
        **fields,
        occurred_at=occurred_at.astimezone(UTC),
        unit_id=None if event.unit_id in (None, "") else int(event.unit_id),
        ip=clean_ip(event.ip),
        details=clean_details(event.details),
    )


# --- appending ----------------------------------------------------------------------------------

_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")


def append(events: Sequence[PendingEvent], *, returning: bool = True) -> list[AuditEvent]:
    """Append events to the chain in one transaction (the caller's, when there is one).

    The head row is read with SELECT ... FOR UPDATE: on PostgreSQL concurrent appenders queue on
    its row lock until the holder commits, then read the head it left. SQLite has no row locks;
    there the transaction holds the database write lock from its start (settings open
    transactions with BEGIN IMMEDIATE, which the chain relies on). Either way two appenders never
    read the same head: no fork. The lock is held until the *outermost* transaction commits, so
    write services call ``audit_record`` as their last statement.

    With ``returning=False`` (the buffered writer) the rows go in through one prepared INSERT
    run for the whole batch, without model instances, and an empty list is returned.
    """
    if not events:
        return []
    cleaned = [clean_event(event) for event in events]
    if connection.vendor == "postgresql" and len(cleaned) <= _STATEMENT_ROWS:
        created = _append_in_one_statement(cleaned)
        if created is not None:
            return created if returning else []
    # No savepoint: an append that fails fails the caller's transaction anyway, and the savepoint
    # would cost two more round trips on every audited write.
    with transaction.atomic(savepoint=False):
        seq, prev = _lock_head()
        rows: list[dict[str, Any]] = []
        for pending in cleaned:
            seq += 1
            values = {name: getattr(pending, name) for name in HASHED_FIELDS if name != "seq"}
            values["seq"] = seq
            digest = event_hash(prev, values)
            rows.append({**values, "prev_hash": prev, "hash": digest})
            prev = digest
        if returning:
            created = AuditEvent.objects.bulk_create([AuditEvent(**row) for row in rows])
        else:
            _insert(rows)
            created = []
        AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=seq, hash=prev)
    return created


# Up to this many events (a write service's own, usually one, or a group commit of the buffered
# writer) are chained by PostgreSQL in one statement; a bigger batch is COPYed after the head is
# locked. The head row stays locked until the caller commits, so every round trip saved here is time
# other writers do not wait; outside a transaction the statement commits by itself, in one round trip.
_STATEMENT_ROWS = 20
_INPUT_COLUMNS = tuple(name for name in HASHED_FIELDS if name != "seq")
_CASTS = {"occurred_at": "::timestamptz", "unit_id": "::bigint", "ip": "::inet", "details": "::jsonb"}


_ONE_STATEMENT = """
WITH RECURSIVE head AS (SELECT seq, hash FROM {head} WHERE id = %s FOR UPDATE),
incoming (n, pre, post, {names}) AS (VALUES {{rows}}),
chained (n, seq, prev_hash, hash) AS (
    SELECT 0, seq, NULL::text, hash::text FROM head
    UNION ALL
    SELECT i.n, c.seq + 1, c.hash,
        encode(sha256(convert_to(c.hash, 'UTF8') || i.pre || convert_to((c.seq + 1)::text, 'UTF8') || i.post), 'hex')
    FROM chained c JOIN incoming i ON i.n = c.n + 1
),
inserted AS (
    INSERT INTO {table} ({columns})
    SELECT {selected}, i.details, c.prev_hash, c.hash FROM chained c JOIN incoming i ON i.n = c.n
    RETURNING id, seq, prev_hash, hash
),
moved AS (
    UPDATE {head} SET seq = last.seq, hash = last.hash
    FROM (SELECT seq, hash FROM chained WHERE n > 0 ORDER BY n DESC LIMIT 1) AS last WHERE id = %s
)
SELECT id, seq, prev_hash, hash FROM inserted ORDER BY seq
"""


@functools.cache
def _one_statement_parts() -> tuple[str, str, str]:
    """The statement that locks the head, numbers and hashes the events after it (SHA-256 of the
    previous hash and the event's canonical form, its seq put between the two parts that
    ``canonical_around_seq`` gives), inserts them and moves the head: (start, row, end)."""
    ops = connection.ops
    table = ops.quote_name(AuditEvent._meta.db_table)
    head = ops.quote_name(AuditChainHead._meta.db_table)
    names = ", ".join(_INPUT_COLUMNS)
    columns = ", ".join(ops.quote_name(name) for name in (*HASHED_FIELDS, "prev_hash", "hash"))
    selected = ", ".join(["c.seq", *(f"i.{name}" for name in _INPUT_COLUMNS[:-1])])
    row = "(%s::int, %s::bytea, %s::bytea, " + ", ".join(f"%s{_CASTS.get(name, '')}" for name in _INPUT_COLUMNS) + ")"
    sql = _ONE_STATEMENT.format(head=head, table=table, names=names, columns=columns, selected=selected)
    start, end = sql.split("{rows}")
    return start, row, end


def _append_in_one_statement(events: list[CleanEvent]) -> list[AuditEvent] | None:
    """Chain ``events`` in one statement (PostgreSQL); None when there is no head row yet."""
    start, row, end = _one_statement_parts()
    params: list[Any] = [HEAD_PK]
    for n, event in enumerate(events, start=1):
        values = {name: getattr(event, name) for name in _INPUT_COLUMNS}
        before, after = canonical_around_seq({**values, "seq": 0})
        params.extend([n, before, after])
        params.extend(json.dumps(values[name]) if name == "details" else values[name] for name in _INPUT_COLUMNS)
    params.append(HEAD_PK)
    stored = fetch_prepared(start + ", ".join([row] * len(events)) + end, params)
    if not stored:
        return None  # no head row: the first event ever (or a removed head), on the general path
    return [
        AuditEvent(
            id=pk, seq=seq, prev_hash=prev_hash, hash=digest, **{name: getattr(event, name) for name in _INPUT_COLUMNS}
        )
        for (pk, seq, prev_hash, digest), event in zip(stored, events, strict=True)
    ]


def _insert(rows: list[dict[str, Any]]) -> None:
    ops = connection.ops
    table = ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in _COLUMNS)
    if connection.vendor == "postgresql":
        # COPY: a tenth of the cost of a prepared INSERT per row, on the buffered writer's path.
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[name]) if name == "details" else row[name] for name in _COLUMNS])
        return
    params = []
    for row in rows:
        values = dict(row)
        values["occurred_at"] = ops.adapt_datetimefield_value(row["occurred_at"])
        values["ip"] = ops.adapt_ipaddressfield_value(row["ip"])
        values["details"] = ops.adapt_json_value(row["details"], None)
        params.append([values[name] for name in _COLUMNS])
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", params)  # noqa: S608 - names from the model


def _lock_head() -> tuple[int, str]:
    """Lock the head row and return its seq and hash (creating it for the very first event)."""
    head = _locked_head()
    if head is None:
        _create_head()
        head = _locked_head()
        if head is None:
            raise AuditChainHead.DoesNotExist("audit chain head row could not be created")
    return head


@functools.cache
def _lock_sql() -> str:
    ops = connection.ops
    table = ops.quote_name(AuditChainHead._meta.db_table)
    return f"SELECT seq, hash FROM {table} WHERE id = %s FOR UPDATE"  # noqa: S608 - names from the model


def _locked_head() -> tuple[int, str] | None:
    # SQLite has no FOR UPDATE (Django leaves it out there): its transaction already holds the
    # database write lock (BEGIN IMMEDIATE), so a plain select is the same thing.
    sql = _lock_sql() if connection.vendor == "postgresql" else _lock_sql().removesuffix(" FOR UPDATE")
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEAD_PK])
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), row[1])


def _create_head() -> None:
    """Create the head row for the first event ever; a concurrent creator's row wins."""
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_PK, seq=0, hash=GENESIS_HASH)
            # We created it, so nobody else has appended since; events now mean the head was removed.
            if AuditEvent.objects.exists():
                raise ChainHeadMissing("audit chain head row is missing while events exist; run 'congan audit verify'")
    except IntegrityError:
        pass  # created by a concurrent appender (PostgreSQL waited for its commit): lock that one


# --- verifying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return (events checked, first break or None).

    Safe on a live database: events appended while the walk runs are checked if seen, and the
    head is read before and after so that events committed meanwhile are not taken for removed
    ones. Detects altered content, altered or reordered links, events removed anywhere
    (including the last ones, through the head) and events inserted behind the head's back.
    """
    head_before = read_head()
    prev = GENESIS_HASH
    checked = 0
    for row in _iter_events(batch_size):
        seq = row["seq"]
        expected = checked + 1
        if seq < expected:
            return checked, ChainBreak(seq, f"event #{seq} is out of sequence (expected #{expected})")
        if seq > expected:
            return checked, ChainBreak(expected, f"event #{expected} is missing (next event found is #{seq})")
        if row["prev_hash"] != prev:
            return checked, ChainBreak(seq, f"prev_hash does not match the hash of event #{seq - 1}")
        if event_hash(prev, row) != row["hash"]:
            return checked, ChainBreak(seq, "content does not match its hash (event altered)")
        if head_before is not None and seq == head_before[0] and row["hash"] != head_before[1]:
            return checked, ChainBreak(seq, "hash does not match the chain head")
        prev = row["hash"]
        checked += 1
    head_after = read_head()
    if head_after is None:
        if checked:
            return checked, ChainBreak(checked, "the chain head row is missing")
        return checked, None
    head_seq, head_hash = head_after
    seq_before = head_before[0] if head_before is not None else 0
    if head_seq < checked:
        return checked, ChainBreak(head_seq + 1, f"event #{head_seq + 1} is not recorded in the chain head (inserted?)")
    if seq_before > checked:
        # The head counted these events before the walk began, yet the walk did not find them.
        return checked, ChainBreak(checked + 1, f"events #{checked + 1} to #{seq_before} are missing (removed)")
    if head_seq == checked and head_hash != prev:
        return checked, ChainBreak(checked, "hash does not match the chain head")
    return checked, None


def read_head() -> tuple[int, str] | None:
    return AuditChainHead.objects.filter(pk=HEAD_PK).values_list("seq", "hash").first()


def _iter_events(batch_size: int) -> Iterator[dict[str, Any]]:
    events = AuditEvent.objects.order_by("seq").values(*HASHED_FIELDS, "prev_hash", "hash")
    batch = list(events[:batch_size])
    while batch:
        yield from batch
        batch = list(events.filter(seq__gt=batch[-1]["seq"])[:batch_size])
