"""Report intake through the public API against single-row INSERT commits, and the nearest-team
query with 1,000 teams against the same query with 10.

PostgreSQL only (SQLite is skipped). The production server (`congan serve`: granian)
serves the API; for each concurrency in BENCH_INTAKE_LEVELS (default 1, 8, 32), for BENCH_SECONDS
(default 20) each:

- baseline: pgbench inserting the same report row (same table, same columns, a fresh tracking
  code and client token per row), one transaction per row, at the same concurrency;
- intake: wrk POSTing /api/v1/reports, a new client token per request (the full path: rate limit,
  idempotency check, routing, priority, the row; its timeline entry and its audit record written
  by the intake completer process that `congan serve` runs beside the server, running here too).

After each run the rows are counted: every 201 answer must have its row ("lost" counts those that
do not), and every row its receive entry once the completer caught up ("incomplete"). Then the
nearest-team recommendation (`dispatch.nearest_units`) is timed with 10 teams
and with 1,000 teams spread over the province.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from bench.server import ROOT, ensure_wrk, free_port, run_pgbench, run_wrk, start_server
from congan.incidents import dispatch, services
from congan.incidents.models import PRIORITY_RANK, PatrolUnit, Report, ReportEvent, ReportKind
from congan.org import roles
from congan.org.models import Officer, Unit
from congan.org.services import officer_create, unit_create

COMMUNE_CODE = "99901"
NEAREST_CALLS = 300
INSERT_SQL = """\\set n random(1, 2000000000)
INSERT INTO incidents_report (tracking_code, kind_id, description, latitude, longitude, address, commune_code,
    occurred_at, anonymous, reporter_name, reporter_phone, channel, status, priority, priority_rank, unit_id,
    received_at, client_token, intake_pending, intake_request_id, created_at, updated_at, commune_approximate)
VALUES ('PB' || substr(md5(random()::text || clock_timestamp()::text), 1, 12), {kind},
    'Va chạm giữa xe máy và ô tô tại ngã tư, một người bị thương.', 16.06, 108.22, '', '{commune}', NULL, false,
    'Người dân', '0905123456', 'app', 'received', '{priority}', {rank}, {unit}, now(),
    'pgbench-' || :client_id || '-' || :n || '-' || md5(clock_timestamp()::text), false, '', now(), now(), false);
"""


def _setup() -> tuple[Unit, ReportKind]:
    services.kinds_load(by="system")
    province = Unit.objects.filter(code="BENCH-INCIDENTS").first() or unit_create(
        by="system", code="BENCH-INCIDENTS", name="Công an tỉnh (benchmark tin báo)", kind=Unit.Kind.PROVINCE
    )
    commune = Unit.objects.filter(code="BENCH-INCIDENTS-XA").first() or unit_create(
        by="system",
        code="BENCH-INCIDENTS-XA",
        name="Công an phường Benchmark",
        kind=Unit.Kind.WARD,
        parent=province,
        area_code=COMMUNE_CODE,
        latitude=Decimal("16.06"),
        longitude=Decimal("108.22"),
    )
    return commune, ReportKind.objects.get(code="GT.TAINAN")


def _pgbench(connections: int, seconds: int, commune: Unit, kind: ReportKind) -> float:
    priority = services.priority_for(kind, "Va chạm giữa xe máy và ô tô tại ngã tư, một người bị thương.")
    script = INSERT_SQL.format(
        kind=kind.pk, commune=COMMUNE_CODE, priority=priority, rank=PRIORITY_RANK[priority], unit=commune.pk
    )
    return run_pgbench(script, connections=connections, seconds=seconds, threads=min(connections, 2))


def _intake(wrk: str, port: int, connections: int, seconds: int) -> dict:
    prefix = f"bench-{connections}-{int(time.time())}"
    result = run_wrk(
        wrk,
        script="incident_intake.lua",
        path="/api/v1/reports",
        port=port,
        seconds=seconds,
        connections=connections,
        env={"BENCH_PREFIX": prefix},
        threads=min(connections, 2),
    )
    time.sleep(1)  # answers in flight when wrk stopped may still commit
    mine = Report.objects.filter(address=prefix)  # the lua script's address; the stored key is a hash
    result["rows"] = mine.count()
    deadline = time.monotonic() + 60  # the completer writes the last receive entries and audit records
    while mine.filter(intake_pending=True).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    result["incomplete"] = mine.filter(intake_pending=True).count()
    result["received"] = ReportEvent.objects.filter(report__in=mine, action="receive").count()
    return result


def _nearest_seconds(report: Report, viewer: Officer, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        dispatch.nearest_units(report=report, viewer=viewer)
    return (time.perf_counter() - started) / calls


def _teams(commune: Unit, count: int) -> None:
    """``count`` available teams of every kind spread over about 60 × 60 km around the commune."""
    PatrolUnit.objects.filter(call_sign__startswith="BENCH-").delete()
    rng = random.Random(count)
    kinds = list(PatrolUnit.Kind.values)
    PatrolUnit.objects.bulk_create(
        [
            PatrolUnit(
                call_sign=f"BENCH-{index:04d}",
                kind=kinds[index % len(kinds)],
                unit=commune,
                latitude=Decimal(f"{16.06 + rng.uniform(-0.27, 0.27):.6f}"),
                longitude=Decimal(f"{108.22 + rng.uniform(-0.28, 0.28):.6f}"),
                position_at=timezone.now(),
            )
            for index in range(count)
        ]
    )


def _dispatcher(commune: Unit) -> Officer:
    return Officer.objects.filter(username="bench-incidents-dispatcher").first() or officer_create(
        by="system",
        username="bench-incidents-dispatcher",
        full_name="Điều phối viên Benchmark",
        unit=commune,
        roles=[roles.DISPATCHER],
    )


def _nearest(commune: Unit) -> tuple[float, float]:
    report = services.report_submit(
        kind_code="GT.TAINAN",
        description="Va chạm giao thông, một người bị thương.",
        commune_code=COMMUNE_CODE,
        client_token=f"bench-nearest-{time.time()}",
        latitude=Decimal("16.06"),
        longitude=Decimal("108.22"),
        anonymous=True,
    ).report
    PatrolUnit.objects.exclude(call_sign__startswith="BENCH-").update(active=False)
    viewer = _dispatcher(commune)  # the recommendations list the teams of the viewer's units
    _teams(commune, 10)
    _nearest_seconds(report, viewer, 20)  # warm up
    ten = _nearest_seconds(report, viewer, NEAREST_CALLS)
    _teams(commune, 1000)
    _nearest_seconds(report, viewer, 20)
    thousand = _nearest_seconds(report, viewer, NEAREST_CALLS)
    PatrolUnit.objects.filter(call_sign__startswith="BENCH-").delete()
    return ten, thousand


def run() -> int:
    if connection.vendor != "postgresql":
        print("incident intake: skipped (needs PostgreSQL: make bench)")
        return 0
    seconds = int(os.environ.get("BENCH_SECONDS", 20))
    levels = [int(level) for level in os.environ.get("BENCH_INTAKE_LEVELS", "1,8,32").split(",")]
    commune, kind = _setup()
    print(f"incident intake: {seconds} s per measurement at {', '.join(map(str, levels))} connections")
    wrk, port = ensure_wrk(), free_port()
    server = start_server(port, env={"INCIDENTS_SUBMISSIONS_PER_10_MINUTES": "1000000000"})
    completer = _start_completer()  # as `congan serve` runs it beside the web server
    status = 0
    try:
        for level in levels:
            baseline = _pgbench(level, seconds, commune, kind)
            intake = _intake(wrk, port, level, seconds)
            status |= _report(level, baseline, intake)
    finally:
        for process in (server, completer):
            process.terminate()
            process.wait(timeout=60)
    ten, thousand = _nearest(commune)
    ratio = thousand / ten
    print(
        f"  nearest team: 10 teams {ten * 1000:.2f} ms, 1,000 teams {thousand * 1000:.2f} ms per call; "
        f"ratio {ratio:.2f} (target ≤ 3: {'met' if ratio <= 3 else 'NOT met'})"
    )
    return status


def _start_completer() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "congan.settings", "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "congan.cli", "incidents_intake", "--follow"]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603


def _report(level: int, baseline: float, intake: dict) -> int:
    rate = intake["created"] / (intake["duration_us"] / 1e6)
    errors = intake["non2xx"] + intake["socket_errors"]
    lost = max(0, intake["created"] - intake["rows"])
    p99 = intake["p99_us"] / 1000
    complete = intake["incomplete"] == 0 and intake["received"] == intake["rows"]
    met = rate / baseline >= 0.10 and p99 <= 100 and lost == 0 and complete
    print(
        f"  {level:>2} connections: pgbench INSERT {baseline:>8,.0f} rows/s | POST /reports {rate:>7,.0f} accepted/s "
        f"p50 {intake['p50_us'] / 1000:.1f} ms  p99 {p99:.1f} ms  errors {errors}  rows {intake['rows']:,} for "
        f"{intake['created']:,} accepted (lost {lost}), receive entries {intake['received']:,}, "
        f"incomplete {intake['incomplete']} | ratio {rate / baseline:.3f} "
        f"(target ≥ 0.10, p99 ≤ 100 ms, none lost: {'met' if met else 'NOT met'})"
    )
    return 0 if lost == 0 and errors == 0 and complete else 1
