"""Registering incoming documents through the service against pgbench inserting the same row.

PostgreSQL only (SQLite is skipped). For BENCH_SECONDS (default 10) each, in the same run:

- baseline: pgbench at 8 clients inserting a registered entry's row, one transaction per row,
  into a plain table of the same shape (``CREATE TABLE … (LIKE documents_incomingdocument)``: the
  same columns, no constraint, no index, no lock);
- registration: ``documents.services.incoming_register`` (checks, number taken from the series row
  under its lock, the duplicate check, the entry, its timeline, the chained audit event) from 8
  processes, each with its own database connection and its own records clerk: one clerk in each of
  8 communes (each register its own series), then 8 clerks in one commune (one register: its
  series row makes them queue, by design).

Afterwards the arrival numbers of every register written are checked: 1…N with no gap and no
duplicate, else the benchmark fails loudly. Target: registrations/s ÷ pgbench rows/s ≥ 0.10.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from django.db import connection
from django.utils import timezone

from bench import documents_workers
from bench.server import run_pgbench
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


def _registrations(clerks: list[Officer], seconds: int, first_worker: int = 0) -> float:
    # ProcessPoolExecutor, not multiprocessing.Pool: a worker that dies breaks the run with
    # BrokenProcessPool instead of leaving Pool.map waiting forever (seen once in six runs).
    with ProcessPoolExecutor(
        len(clerks), mp_context=multiprocessing.get_context("spawn"), initializer=documents_workers.setup
    ) as pool:
        list(pool.map(documents_workers.ready, range(len(clerks)), timeout=120))  # workers up and connected
        deadline = time.time() + seconds
        jobs = [(clerk.pk, first_worker + index, deadline) for index, clerk in enumerate(clerks)]
        counts = list(pool.map(documents_workers.register_until, jobs, timeout=seconds + 300))
    return sum(counts) / seconds


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
    print(f"documents register: {seconds} s per measurement, {CONNECTIONS} connections")
    baseline = _baseline(units[0], one_per_unit[0], seconds)
    spread = _registrations(one_per_unit, seconds)
    one_register = _registrations(same_unit, seconds, first_worker=CONNECTIONS)
    problems = _check_numbers(units)
    registered = IncomingDocument.objects.filter(unit__in=units).count()
    ratio = spread / baseline
    print(
        f"  pgbench INSERT of the same row {baseline:>8,.0f} rows/s | incoming_register, 8 clerks in 8 units "
        f"{spread:>6,.0f} documents/s, 8 clerks in one unit {one_register:>6,.0f} documents/s"
    )
    print(
        f"  ratio {ratio:.3f} (8 units; one unit {one_register / baseline:.3f}) (target ≥ 0.10: "
        f"{'met' if ratio >= 0.10 else 'NOT met'}); {registered:,} entries in {len(units)} registers, "
        f"{'no gap, no duplicate' if not problems else 'NUMBERING BROKEN'}"
    )
    for problem in problems:
        print(f"  !! {problem}")
    return 1 if problems else 0
