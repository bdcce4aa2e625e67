"""Registering incoming documents through the service against pgbench inserting the same row.

PostgreSQL only (SQLite is skipped). For BENCH_SECONDS (default 10) each, in the same run:

- baseline: pgbench at 8 clients inserting a registered entry's row, one transaction per row,
  into a plain table of the same shape (``CREATE TABLE … (LIKE documents_incomingdocument)``: the
  same columns, no constraint, no index, no lock);
- registration: ``documents.services.incoming_register`` (checks, number taken from the series row
  under its lock, the duplicate check, the entry, its timeline, the chained audit event) from 8
  processes, each with its own database connection and its own records clerk: one clerk in each of
  8 communes (each register its own series), then 8 clerks in one commune (one register: its
  series row makes them queue, by design). Each is measured on the one-statement path
  (``registration``, decision 0032) and on the ORM path (DOCUMENTS_REGISTER_ONE_STATEMENT off, what
  PostgreSQL ran before), alternately;
- the registration statement alone: pgbench at 8 clients running the prepared statement the
  service sends (8 registers, a new document number each time): what the database does per
  registration, without Python;
- one process, one register: CPU per registration in the client and in its PostgreSQL backend
  (read from /proc: the throwaway server of ``scripts/with-postgres.sh`` runs on this machine).

Afterwards the arrival numbers of every register written are checked: 1…N with no gap and no
duplicate, and the audit chain is verified, else the benchmark fails loudly. Target:
registrations/s ÷ pgbench rows/s ≥ 0.10.
"""

from __future__ import annotations

import base64
import contextlib
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from bench import documents_workers
from bench.server import run_pgbench
from congan.core.audit.chain import verify
from congan.documents import registration, services
from congan.documents.models import DocumentType, IncomingDocument, NumberSeries
from congan.documents.types import load_types
from congan.org import roles
from congan.org.models import Officer, Unit
from congan.org.services import officer_create, unit_create

PROVINCE_CODE = "BENCH-DOCUMENTS"
CONNECTIONS = 8
PLAIN_TABLE = "bench_incoming_plain"


def _units() -> list[Unit]:
    province = Unit.objects.filter(code=PROVINCE_CODE).first() or unit_create(
        by="system", code=PROVINCE_CODE, name="Công an tỉnh (benchmark văn bản)", kind=Unit.Kind.PROVINCE
    )
    units = []
    for index in range(CONNECTIONS):
        code = f"{PROVINCE_CODE}-{index}"
        unit = Unit.objects.filter(code=code).first() or unit_create(
            by="system", code=code, name=f"Công an xã Benchmark {index}", kind=Unit.Kind.COMMUNE, parent=province
        )
        Unit.objects.filter(pk=unit.pk).update(symbol="CAX")
        units.append(unit)
    return units


def _clerk(unit: Unit, index: int) -> Officer:
    username = f"bench-docs-{unit.pk}-{index}"
    return Officer.objects.filter(username=username).first() or officer_create(
        by="system", username=username, full_name=f"Văn thư Benchmark {index}", unit=unit, roles=[roles.CLERK]
    )


def _registrations(clerks: list[Officer], seconds: int, *, first_worker: int, one_statement: bool) -> float:
    # ProcessPoolExecutor, not multiprocessing.Pool: a worker that dies breaks the run with
    # BrokenProcessPool instead of leaving Pool.map waiting forever (seen once in six runs).
    with ProcessPoolExecutor(
        len(clerks), mp_context=multiprocessing.get_context("spawn"), initializer=documents_workers.setup
    ) as pool:
        list(pool.map(documents_workers.ready, range(len(clerks)), timeout=120))  # workers up and connected
        deadline = time.time() + seconds
        jobs = [(clerk.pk, first_worker + index, deadline, one_statement) for index, clerk in enumerate(clerks)]
        counts = list(pool.map(documents_workers.register_until, jobs, timeout=seconds + 300))
    return sum(counts) / seconds


@contextlib.contextmanager
def _statement_seen() -> Iterator[dict[str, object]]:
    """The statement (and its parameter) the next one-statement registration sends."""
    seen: dict[str, object] = {}
    send = registration.fetch_prepared

    def spy(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        seen["sql"], seen["param"] = sql, params[0]
        return send(sql, params)

    registration.fetch_prepared = spy
    try:
        yield seen
    finally:
        registration.fetch_prepared = send


def _statement_alone(units: list[Unit], clerk: Officer, seconds: int) -> float:
    """pgbench at 8 clients running the prepared registration statement: client n registers in
    unit n, a new document number each time (a repeat would be a duplicate alarm, no entry)."""
    with _statement_seen() as seen:
        services.incoming_register(by=clerk, data=documents_workers.entry(99, 1))
    value = base64.b64encode(str(seen["param"]).encode()).decode()
    ids = "ARRAY[" + ",".join(str(unit.pk) for unit in units) + "]::bigint[]"
    unit = f"to_jsonb(({ids})[(:client_id)::int % {len(units)} + 1])"
    data = f"convert_from(decode('{value}', 'base64'), 'UTF8')::jsonb"
    data = f"jsonb_set(jsonb_set({data}, '{{number}}', to_jsonb((:n)::bigint)), '{{unit}}', {unit})"
    data = f"jsonb_set({data}, '{{document,unit_id}}', {unit})"
    statement = " ".join(str(seen["sql"]).replace("%s::jsonb", f"({data})").split())
    script = f"\\set n random(1000000000, 99999999999)\n{statement};\n"
    return run_pgbench(script, connections=CONNECTIONS, seconds=seconds, threads=2, mode="prepared")


def _cpu_per_registration(clerk: Officer, *, one_statement: bool, count: int = 400) -> tuple[float, float] | None:
    """(client, server) CPU milliseconds per registration in this process and its backend."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    if not stat.exists():
        return None  # the database runs elsewhere

    def server() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    from django.conf import settings

    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = one_statement
    try:
        worker = 200 + int(one_statement)
        for n in range(30):  # warm: prepared statement, cached types, permissions
            services.incoming_register(by=clerk, data=documents_workers.entry(worker, n + 1))
        client_before, server_before = time.process_time(), server()
        for n in range(count):
            services.incoming_register(by=clerk, data=documents_workers.entry(worker, 1000 + n))
        return (
            (time.process_time() - client_before) / count * 1000,
            (server() - server_before) / count * 1000,
        )
    finally:
        settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True


def _plain_row_sql(unit: Unit, clerk: Officer) -> str:
    """The INSERT of one registered entry's row into the plain table, built from the model's own
    columns (whatever fields other slices add), values as the service would store them."""
    from psycopg import sql

    now = timezone.now()
    document = IncomingDocument(
        unit=unit,
        status=IncomingDocument.Status.REGISTERED,
        received_on=timezone.localdate(),
        year=timezone.localdate().year,
        arrival_number=1,
        issuer_name="Ủy ban nhân dân thành phố",
        number=15,
        notation="UBND-NC",
        document_type=DocumentType.objects.get(code="cong-van"),
        subject="Về việc tăng cường công tác bảo đảm an ninh, trật tự trên địa bàn",
        registered_at=now,
        registered_by=clerk,
        issuer_folded="uy ban nhan dan thanh pho",
        search_folded="ve viec tang cuong cong tac bao dam an ninh, trat tu tren dia ban uy ban nhan dan thanh pho",
    )
    names, values = [], []
    raw = connection.connection
    for field in IncomingDocument._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        value = field.get_db_prep_save(field.pre_save(document, add=True), connection)
        names.append(sql.Identifier(str(field.column)).as_string(raw))
        values.append(sql.Literal(value).as_string(raw))
    return f"INSERT INTO {PLAIN_TABLE} ({', '.join(names)}) VALUES ({', '.join(values)});\n"  # noqa: S608 - quoted by psycopg


def _baseline(unit: Unit, clerk: Officer, seconds: int) -> float:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")
        cursor.execute(
            f"CREATE TABLE {PLAIN_TABLE} (LIKE documents_incomingdocument "
            "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)"
        )
    script = _plain_row_sql(unit, clerk)
    try:
        return run_pgbench(script, connections=CONNECTIONS, seconds=seconds, threads=2)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")


def _check_numbers(units: list[Unit]) -> list[str]:
    """Each register's arrival numbers are 1…N: no gap, no duplicate, and its series row says N."""
    problems = []
    year = timezone.localdate().year
    for unit in units:
        numbers = [
            int(number or 0)
            for number in IncomingDocument.objects.filter(unit=unit, year=year, secret=False).values_list(
                "arrival_number", flat=True
            )
        ]
        duplicates = sorted(number for number, seen in Counter(numbers).items() if seen > 1)
        missing = sorted(set(range(1, len(set(numbers)) + 1)) - set(numbers))
        last = (
            NumberSeries.objects.filter(unit=unit, year=year, book=NumberSeries.Book.INCOMING, secret=False)
            .values_list("last", flat=True)
            .first()
        )
        if duplicates or missing or (numbers and last != max(numbers)):
            problems.append(
                f"{unit.code}: {len(numbers)} entries, duplicates {duplicates[:10]}, gaps {missing[:10]}, "
                f"series at {last}, highest {max(numbers, default=0)}"
            )
    return problems


def run() -> int:
    if connection.vendor != "postgresql":
        print("documents register: skipped (needs PostgreSQL: make bench)")
        return 0
    seconds = int(os.environ.get("BENCH_SECONDS", 10))
    load_types(DocumentType)
    units = _units()
    IncomingDocument.objects.filter(unit__in=units).delete()
    NumberSeries.objects.filter(unit__in=units).delete()
    one_per_unit = [_clerk(unit, 0) for unit in units]
    same_unit = [_clerk(units[0], index) for index in range(1, CONNECTIONS + 1)]
    print(f"documents register: {seconds} s per measurement, {CONNECTIONS} connections, load average {_load()}")
    baseline = _baseline(units[0], one_per_unit[0], seconds)
    figures: dict[tuple[bool, str], float] = {}
    for one_statement in (True, False):  # new, then old, in each shape
        figures[one_statement, "spread"] = _registrations(
            one_per_unit, seconds, first_worker=0 + 100 * int(one_statement), one_statement=one_statement
        )
    for one_statement in (True, False):
        figures[one_statement, "one"] = _registrations(
            same_unit, seconds, first_worker=CONNECTIONS + 100 * int(one_statement), one_statement=one_statement
        )
    alone = _statement_alone(units, Officer.objects.select_related("unit").get(pk=one_per_unit[1].pk), seconds)
    clerk = Officer.objects.select_related("unit").get(pk=one_per_unit[2].pk)
    cpu = {one_statement: _cpu_per_registration(clerk, one_statement=one_statement) for one_statement in (True, False)}
    problems = _check_numbers(units)
    checked, broken = verify()
    if broken is not None:
        problems.append(f"audit chain broken at #{broken.seq}: {broken.reason}")
    registered = IncomingDocument.objects.filter(unit__in=units).count()
    print(f"  pgbench INSERT of the same row {baseline:>8,.0f} rows/s (load average now {_load()})")
    for one_statement, label in ((True, "one statement (new)"), (False, "ORM path (before)")):
        spread, one = figures[one_statement, "spread"], figures[one_statement, "one"]
        print(
            f"  incoming_register, {label:<19}: 8 clerks in 8 units {spread:>6,.0f} documents/s, "
            f"8 clerks in one unit {one:>6,.0f} documents/s, ratio {spread / baseline:.3f} (one unit "
            f"{one / baseline:.3f})"
        )
    print(
        f"  the registration statement alone (pgbench, 8 clients, 8 units) {alone:>6,.0f} /s, "
        f"ratio {alone / baseline:.3f}"
    )
    for one_statement, label in ((True, "one statement"), (False, "ORM path")):
        measured = cpu[one_statement]
        if measured is not None:
            print(
                f"  CPU per registration, {label}: client {measured[0]:.2f} ms, PostgreSQL backend {measured[1]:.2f} ms"
            )
    ratio = figures[True, "spread"] / baseline
    print(
        f"  ratio {ratio:.3f} (target ≥ 0.10: {'met' if ratio >= 0.10 else 'NOT met'}); {registered:,} entries in "
        f"{len(units)} registers, {'no gap, no duplicate' if not problems else 'NUMBERING OR CHAIN BROKEN'}; "
        f"audit chain verified ({checked:,} events)"
    )
    for problem in problems:
        print(f"  !! {problem}")
    return 1 if problems else 0


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())
