"""Dashboard of the online public services at 100,000 and at 5,000,000 dossiers (PostgreSQL).

The dashboard reads only the incremental aggregates (one row per unit, procedure and month,
kept by the services), so its cost should not follow the number of dossiers: target ≤ 2 for the
time at 5M over the time at 100k. For contrast the same monthly figures are also computed the
naive way, by grouping the raw dossier rows, at both sizes.

The synthetic dossiers are inserted with one set-based statement and their aggregates built by
one GROUP BY: what the services maintain one transition at a time (the test suite proves the
incremental figures equal a recount from the raw rows). Sizes: BENCH_DOSSIERS_SMALL,
BENCH_DOSSIERS_LARGE.
"""

from __future__ import annotations

import os
import statistics
import time

from django.db import connection

from congan.eservices.catalogue import catalogue_load
from congan.eservices.dashboard import dashboard
from congan.eservices.models import Dossier, Procedure
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.population.models import Resident

COMMUNES = 100
REPEATS = 15
PROVINCE_CODE = "BENCH-ESERVICES"


def _units() -> list[int]:
    province = Unit.objects.filter(code=PROVINCE_CODE).first() or unit_create(
        by="system", code=PROVINCE_CODE, name="Công an tỉnh (benchmark dịch vụ công)", kind=Unit.Kind.PROVINCE
    )
    for index in range(COMMUNES):
        code = f"{PROVINCE_CODE}-{index:03d}"
        if not Unit.objects.filter(code=code).exists():
            unit_create(by="system", code=code, name=f"Công an xã {index}", kind=Unit.Kind.COMMUNE, parent=province)
    return list(Unit.objects.filter(path__startswith=province.path).values_list("pk", flat=True))


def _applicants(unit_id: int, count: int = 1000) -> list[int]:
    existing = list(Resident.objects.filter(unit_id=unit_id).values_list("pk", flat=True)[:count])
    if existing:
        return existing
    Resident.objects.bulk_create(
        Resident(
            personal_id=f"048{n % 2}90{n:06d}",
            full_name="Nguyễn Văn An",
            full_name_folded="nguyen van an",
            birth_year=1990,
            sex="male" if n % 2 == 0 else "female",
            unit_id=unit_id,
        )
        for n in range(count)
    )
    return list(Resident.objects.filter(unit_id=unit_id).values_list("pk", flat=True))


def _insert_dossiers(first: int, last: int, units: list[int], applicants: list[int]) -> None:
    """Dossiers first..last over the last 12 months: 90% online, 90% decided (93% of them on time)."""
    procedures = list(
        Procedure.objects.filter(active=True).values_list("pk", "forms__pk").order_by("pk", "-forms__version")
    )
    chosen = dict(reversed(procedures))  # procedure -> its newest form
    proc_ids, form_ids = list(chosen), [chosen[pk] for pk in chosen]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO eservices_dossier (code, procedure_id, form_id, applicant_id, unit_id, status, data, prefilled,
                online, client_token, submitted_at, created_at, updated_at, extension_days, decision_note,
                result_number, verify_token, received_on, due_on, decided_at)
            SELECT 'BENCH-' || n, (%(procs)s::bigint[])[1 + n %% %(np)s], (%(forms)s::bigint[])[1 + n %% %(np)s],
                (%(people)s::bigint[])[1 + n %% %(nr)s], (%(units)s::bigint[])[1 + (n * 7) %% %(nu)s],
                CASE WHEN n %% 10 = 0 THEN 'processing' ELSE 'returned' END, '{}', '[]', n %% 10 <> 9, 'b' || n,
                t.ts, t.ts, t.ts, 0, '', '', '', t.ts::date, (t.ts + interval '7 days')::date,
                CASE WHEN n %% 10 <> 0 THEN t.ts + make_interval(days => CASE WHEN n %% 100 < 7 THEN 9 ELSE n %% 6 END)
                END
            FROM generate_series(%(first)s, %(last)s) AS n,
                LATERAL (SELECT date_trunc('month', now()) - make_interval(months => n %% 11)
                                + make_interval(days => n %% 27, hours => 8 + n %% 9) AS ts) AS t
            """,
            {
                "procs": proc_ids,
                "forms": form_ids,
                "np": len(proc_ids),
                "people": applicants,
                "nr": len(applicants),
                "units": units,
                "nu": len(units),
                "first": first,
                "last": last,
            },
        )


def _build_aggregates() -> int:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM eservices_dossierstat")
        cursor.execute(
            """
            INSERT INTO eservices_dossierstat (unit_id, procedure_id, month, received, online, rejected_at_intake,
                resolved, resolved_on_time, processing_days, suspended, rating_count, rating_sum, satisfied,
                with_attachments)
            SELECT unit_id, procedure_id, month, sum(received), sum(online), 0, sum(resolved), sum(on_time),
                sum(days), 0, 0, 0, 0, 0
            FROM (
                SELECT unit_id, procedure_id, date_trunc('month', submitted_at)::date AS month, count(*) AS received,
                    count(*) FILTER (WHERE online) AS online, 0 AS resolved, 0 AS on_time, 0 AS days
                FROM eservices_dossier GROUP BY 1, 2, 3
                UNION ALL
                SELECT unit_id, procedure_id, date_trunc('month', decided_at)::date, 0, 0, count(*),
                    count(*) FILTER (WHERE decided_at::date <= due_on), sum(decided_at::date - received_on)
                FROM eservices_dossier WHERE decided_at IS NOT NULL GROUP BY 1, 2, 3
            ) AS parts
            GROUP BY 1, 2, 3
            """
        )
        cursor.execute("ANALYZE eservices_dossier; ANALYZE eservices_dossierstat")
        cursor.execute("SELECT count(*) FROM eservices_dossierstat")
        return cursor.fetchone()[0]


def _median_ms(function) -> float:
    function()  # warm the caches once
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _raw_monthly() -> None:
    """The naive dashboard: the same monthly figures grouped from the raw dossier rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT date_trunc('month', submitted_at), count(*), count(*) FILTER (WHERE online),
                count(*) FILTER (WHERE decided_at IS NOT NULL), count(*) FILTER (WHERE decided_at::date <= due_on)
            FROM eservices_dossier WHERE submitted_at >= date_trunc('month', now()) - interval '11 months'
            GROUP BY 1
            """
        )
        cursor.fetchall()


def _measure(size: int) -> tuple[float, float]:
    aggregated = _median_ms(lambda: dashboard(viewer=None, months=12))
    raw = _median_ms(_raw_monthly)
    print(
        f"  {size:>9,} dossiers: dashboard (aggregates) {aggregated:8.1f} ms   naive GROUP BY over dossiers "
        f"{raw:9.1f} ms"
    )
    return aggregated, raw


def run() -> int:
    if connection.vendor != "postgresql":
        print("eservices dashboard: skipped (needs PostgreSQL: make bench)")
        return 0
    small = int(os.environ.get("BENCH_DOSSIERS_SMALL", 100_000))
    large = int(os.environ.get("BENCH_DOSSIERS_LARGE", 5_000_000))
    print(f"eservices dashboard: {small:,} then {large:,} dossiers, {COMMUNES + 1} units, median of {REPEATS} runs")
    catalogue_load(by="system")
    units = _units()
    applicants = _applicants(units[0])
    Dossier.objects.filter(code__startswith="BENCH-").delete()
    started = time.perf_counter()
    _insert_dossiers(1, small, units, applicants)
    rows = _build_aggregates()
    print(f"  loaded {small:,} dossiers and {rows:,} aggregate rows in {time.perf_counter() - started:.1f} s")
    small_time, small_raw = _measure(small)
    started = time.perf_counter()
    for first in range(small + 1, large + 1, 1_000_000):
        _insert_dossiers(first, min(first + 999_999, large), units, applicants)
    rows = _build_aggregates()
    print(
        f"  loaded {large - small:,} more dossiers and rebuilt {rows:,} aggregate rows in "
        f"{time.perf_counter() - started:.1f} s"
    )
    large_time, large_raw = _measure(large)
    ratio = large_time / small_time
    print(
        f"  ratio: dashboard at {large:,} / at {small:,} = {ratio:.2f} (target ≤ 2: "
        f"{'met' if ratio <= 2 else 'NOT met'}); the naive query grew {large_raw / small_raw:.1f}×"
    )
    return 0
