"""Enrichment import throughput against a raw load of the same file, measured in the same run.

The file: BENCH_IMPORT_ROWS rows (default 1,000,000 on PostgreSQL, 100,000 on SQLite) × 40
columns (the personal ID, 22 resident fields and 17 enriched fields). Half the rows are residents
already in the registry (each changes its phone, email and three enriched values, the rest equal
to what is stored); half are new residents.

- PostgreSQL baseline: ``COPY`` of the same file into an empty table of 40 text columns.
- SQLite baseline: ``executemany`` of the same rows (parsed by the csv module) into such a table.
- Ours: ``run_import`` end to end: parse, validate every cell, upsert with field history and
  provenance, checkpoint per chunk, the batch's counters and audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

from congan.core.text import fold, vietnamese_name_sort_string
from congan.org.demo import vietnamese_name
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.population.importing.batches import import_batch_create
from congan.population.importing.engine import run_import
from congan.population.models import ImportBatch, Resident, ResidentChange

CORE = [
    "personal_id",
    "full_name",
    "birth_date",
    "sex",
    "other_names",
    "birth_registration_place",
    "hometown",
    "ethnicity",
    "religion",
    "nationality",
    "permanent_commune",
    "permanent_street",
    "temporary_commune",
    "temporary_street",
    "current_commune",
    "current_street",
    "id_card_number",
    "id_card_issued_on",
    "id_card_expires_on",
    "id_card_authority",
    "phone",
    "email",
    "status",
]
ENRICHED = [
    "social_insurance_number",
    "health_insurance_card",
    "tax_code",
    "education_level",
    "occupation",
    "employer",
    "blood_type",
    "marital_status",
    "driving_licence",
    "vaccination_status",
    "bank_account_verified",
    "vneid_level",
    "telecom_operator",
    "electricity_customer_code",
    "water_customer_code",
    "student_code",
    "veteran_status",
]
HEADER = CORE + [f"enriched.{name}" for name in ENRICHED]
COMMUNES = ["20194", "20197", "20200", "20203", "20206", "20209", "20212", "20215"]
STREETS = ["Lê Duẩn", "Nguyễn Văn Linh", "Hùng Vương", "Trần Phú", "Bạch Đằng", "Ông Ích Khiêm", "Hoàng Diệu"]
OCCUPATIONS = ["Giáo viên", "Công nhân", "Kỹ sư", "Nông dân", "Kinh doanh", "Bác sĩ", "Lái xe", "Sinh viên"]
CHUNK = 20_000


def _personal_id(n: int, male: bool, year: int) -> str:
    return f"048{(0 if male else 1) + 2 * ((year - 1900) // 100)}{year % 100:02d}{n:06d}"


class People:
    """Deterministic people: person ``n`` is the same in the registry and in the file."""

    def __init__(self) -> None:
        rng = random.Random(2026)
        self.names = {male: [vietnamese_name(rng, female=not male) for _ in range(5000)] for male in (True, False)}

    def person(self, n: int, *, version: int) -> list[str]:
        male = n % 2 == 0
        year = 1940 + n % 80
        name = self.names[male][n % 5000]
        commune = COMMUNES[n % len(COMMUNES)]
        street = f"Số {n % 300 + 1} {STREETS[n % len(STREETS)]}, tổ {n % 40 + 1}"
        pid = _personal_id(n, male, year)
        phone = f"09{(n * 7 + version) % 100_000_000:08d}"
        core = [
            pid,
            name,
            f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/{year}",
            "Nam" if male else "Nữ",
            "",
            "Thành phố Đà Nẵng",
            "Quảng Nam",
            "Kinh",
            "Không",
            "VN",
            commune,
            street,
            "",
            "",
            commune,
            street,
            pid,
            f"{n % 28 + 1:02d}/03/2022",
            f"{n % 28 + 1:02d}/03/2037",
            "Cục Cảnh sát QLHC về TTXH",
            phone,
            f"nguoidan{n}.{version}@thudientu.vn",
            "Còn sống",
        ]
        enriched = [
            f"48{n:08d}",
            f"DN{n:013d}",
            f"8{n:09d}",
            "12/12",
            OCCUPATIONS[(n + version) % len(OCCUPATIONS)],
            f"Công ty số {(n + version) % 9000}",
            "O",
            "Đã kết hôn",
            f"48{n:010d}",
            "Đã tiêm 3 mũi",
            "Có",
            f"Mức {1 + (n + version) % 2}",
            "Viettel",
            f"PC05{n:09d}",
            f"NS{n:08d}",
            "",
            "",
        ]
        return core + enriched


def write_file(path: Path, rows: int, people: People) -> None:
    """Half the rows update existing residents (version 1 of the data), half are new."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(people.person(n, version=1))


def preload(existing: int, people: People, unit: Unit) -> None:
    """Put residents 0..existing-1 (version 0) in the registry by a bulk path, outside the timing."""
    from congan.population.importing.engine import CleanRow, plan_columns, validate_row
    from congan.population.importing.writers import writer_for

    plan = plan_columns(HEADER, {})
    batch = ImportBatch.objects.create(
        source_agency="bench-preload", file_name="-", file_path="-", file_sha256="-", file_format="csv", unit=unit
    )
    writer = writer_for(connection)
    rows: list[CleanRow] = []
    for n in range(existing):
        row = validate_row((n + 2, people.person(n, version=0), None), plan)
        assert isinstance(row, CleanRow), row
        row.values["full_name_folded"] = fold(row.values["full_name"])
        row.values["sort_name"] = vietnamese_name_sort_string(row.values["full_name"])
        row.unit_id = unit.pk
        rows.append(row)
        if len(rows) == CHUNK:
            writer.write_chunk(batch, rows, [], checkpoint=n)
            rows = []
    writer.write_chunk(batch, rows, [], checkpoint=existing, final=True)


def _baseline_postgres(path: Path) -> float:
    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(f"CREATE TABLE bench_raw_copy ({columns})")
        started = time.perf_counter()
        copy_sql = "COPY bench_raw_copy FROM STDIN (FORMAT csv, HEADER true)"
        with transaction.atomic(), cursor.cursor.copy(copy_sql) as copy, path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_copy")
    return elapsed


def _baseline_sqlite(path: Path) -> float:
    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    placeholders = ", ".join(["%s"] * len(HEADER))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(f"CREATE TABLE bench_raw_copy ({columns})")
        started = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            while True:
                batch = [row for _, row in zip(range(CHUNK), reader, strict=False)]
                if not batch:
                    break
                with transaction.atomic():
                    cursor.executemany(f"INSERT INTO bench_raw_copy VALUES ({placeholders})", batch)  # noqa: S608
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_copy")
    return elapsed


def run() -> int:
    on_postgres = connection.vendor == "postgresql"
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", 1_000_000 if on_postgres else 100_000))
    existing = rows // 2
    print(f"enrichment import: {rows:,} rows × {len(HEADER)} columns ({existing:,} updates, {rows - existing:,} new)")
    unit = Unit.objects.filter(code="BENCH-IMPORT").first() or unit_create(
        by="system", code="BENCH-IMPORT", name="Công an tỉnh (benchmark)", kind=Unit.Kind.PROVINCE
    )
    _clear(unit)
    people = People()
    with tempfile.TemporaryDirectory(prefix="congan-bench-import-") as folder:
        path = Path(folder) / "enrichment.csv"
        started = time.perf_counter()
        write_file(path, rows, people)
        preload(existing, people, unit)
        prep = time.perf_counter() - started
        print(f"  prepared {path.stat().st_size / 1e6:,.0f} MB file and {existing:,} residents in {prep:.1f} s")

        baseline = _baseline_postgres(path) if on_postgres else _baseline_sqlite(path)
        history_before = ResidentChange.objects.count()
        batch = import_batch_create(
            by="system", unit=unit, path=path, file_name=path.name, source_agency="Bench agency", mapping={}
        )
        started = time.perf_counter()
        batch = run_import(batch, chunk_rows=CHUNK)
        ours = time.perf_counter() - started
        history = ResidentChange.objects.count() - history_before
    label = "raw COPY into a 40-text-column table" if on_postgres else "raw executemany into a 40-text-column table"
    print(f"  baseline: {label:<50} {rows / baseline:>10,.0f} rows/s ({baseline:.1f} s)")
    print(f"  congan import (validate, upsert, history, provenance)  {rows / ours:>10,.0f} rows/s ({ours:.1f} s)")
    print(
        f"  counts: created {batch.created_count:,}, updated {batch.updated_count:,}, unchanged "
        f"{batch.unchanged_count:,}, rejected {batch.rejected_count:,}; history rows {history:,}"
    )
    ratio = baseline / ours
    target = " (target ≥ 0.30)" if on_postgres else ""
    print(f"  ratio: {ratio:.3f} of the baseline{target} — measured {dt.datetime.now(dt.UTC).date().isoformat()}")
    ok = batch.created_count == rows - existing and batch.updated_count == existing and batch.rejected_count == 0
    if not ok:
        print("  UNEXPECTED COUNTS: the import did not do what the benchmark expects")
    _clear(unit)
    return 0 if ok else 1


def _clear(unit: Unit) -> None:
    """Remove what a previous run left (raw SQL: the ORM would collect a million rows in memory)."""
    residents = Resident._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ResidentChange._meta.db_table} WHERE resident_id IN "  # noqa: S608
            f"(SELECT id FROM {residents} WHERE unit_id = %s)",
            [unit.pk],
        )
        cursor.execute(f"DELETE FROM {residents} WHERE unit_id = %s", [unit.pk])  # noqa: S608
