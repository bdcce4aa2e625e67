"""The two statistics pages at the demo's volume and at ten times it (PostgreSQL).

/giao-thong/thong-ke/ (violation figures) and /tin-bao/thong-ke/ (response-time percentiles and
the heat map) read only incremental aggregates, kept by the services at each write (congan.
traffic.aggregates, congan.incidents.aggregates), so their cost should not follow the number of
events and reports: target ≤ 2 for the page's time at 10× over its time at 1×. Each page is
fetched through Django's test client, whole (middleware, layout, figures, template), signed in as
the province's leader (who sees every unit). For contrast, the recount of the same figures from
the raw rows (what ``congan stats rebuild`` does, and about what every view cost before) is timed
at both sizes.

The synthetic rows are inserted with one set-based statement per table, spread like the demo's
(six months, the demo's cameras, communes, kinds and review states), and their aggregates built by
the apps' own rebuild: what the services maintain one write at a time (the test suite proves the
incremental figures equal a recount). Sizes: BENCH_VIOLATIONS (100,000, the demo's) and
BENCH_REPORTS (5,000, the demo's); the large size is BENCH_STATS_FACTOR (10) times those.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.db import connection
from django.test import Client

from bench.pages import page, signed_in, timed_ms
from congan.incidents import aggregates as incident_aggregates
from congan.incidents import lookups
from congan.incidents.demo import demo_build_incidents
from congan.incidents.models import PatrolUnit, ReportKind
from congan.org import demo as org_demo
from congan.org.models import Officer, Unit
from congan.org.selectors import COMMUNE_KINDS
from congan.traffic import aggregates as traffic_aggregates
from congan.traffic.demo import demo_build_traffic
from congan.traffic.models import Camera, ViolationType

REPEATS = 15
PAGES = {"traffic": "/giao-thong/thong-ke/", "incidents": "/tin-bao/thong-ke/"}
DAYS = 182

# Review states of the demo's older violations (demo_violations.OLD_STATES) as ranges of n % 100.
VIOLATIONS_SQL = """
INSERT INTO traffic_violationevent (camera_id, occurred_at, plate_read, plate, read_confidence, vehicle_kind,
    violation_type_id, evidence_urls, idempotency_key, status, owner_organisation, dismissal_reason, outcome,
    resolving_unit_id, fine_amount, created_at, updated_at)
SELECT c.id, t.at, p.plate, p.plate, 0.9, 'car', (%(types)s::bigint[])[1 + (c.i * 5 + (n / %(nc)s) %% 7) %% %(nt)s],
    '[]'::jsonb, 'bench-' || n, s.status, '', '', s.outcome,
    CASE WHEN s.status IN ('notice_issued', 'paid', 'contested', 'closed') THEN c.unit_id
         WHEN s.status = 'forwarded' THEN (%(communes)s::bigint[])[1 + n %% %(nu)s] END,
    CASE WHEN s.status = 'paid' OR s.outcome = 'penalised' THEN 18000000 END, t.at, t.at
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
CROSS JOIN LATERAL (SELECT 1 + n %% %(nc)s AS i) AS k
CROSS JOIN LATERAL (SELECT k.i - 1 AS i, (%(cameras)s::bigint[])[k.i] AS id,
                           (%(camera_units)s::bigint[])[k.i] AS unit_id) AS c
CROSS JOIN LATERAL (SELECT '43A' || lpad((n %% 99991)::text, 5, '0') AS plate) AS p
CROSS JOIN LATERAL (SELECT now() - make_interval(days => ((n * 7) %% %(days)s)::int, hours => ((n * 13) %% 24)::int,
                                                 mins => (n %% 60)::int) AS at) AS t
CROSS JOIN LATERAL (SELECT CASE WHEN n %% 100 < 33 THEN 'paid' WHEN n %% 100 < 65 THEN 'closed'
                                WHEN n %% 100 < 77 THEN 'notice_issued' WHEN n %% 100 < 84 THEN 'forwarded'
                                WHEN n %% 100 < 87 THEN 'contested' WHEN n %% 100 < 93 THEN 'dismissed'
                                WHEN n %% 100 < 97 THEN 'duplicate' WHEN n %% 100 < 99 THEN 'detected'
                                ELSE 'verified' END AS status,
                           CASE WHEN n %% 100 BETWEEN 33 AND 62 THEN 'penalised'
                                WHEN n %% 100 BETWEEN 63 AND 64 THEN 'withdrawn' ELSE '' END AS outcome) AS s
"""

# Reports around their commune's seat (three uniform draws: a bell of about ±0.01°), most handled,
# the newest few still open; four in five with a team sent, on scene minutes later.
REPORTS_SQL = """
INSERT INTO incidents_report (tracking_code, kind_id, description, latitude, longitude, address, commune_code,
    commune_approximate, occurred_at, anonymous, reporter_name, reporter_phone, channel, status, priority,
    priority_rank, unit_id, department_id, received_at, dispatched_at, on_scene_at, closed_at, client_token,
    intake_pending, intake_request_id, created_at, updated_at)
SELECT 'BENCH' || n, k.kind, 'Tin báo tổng hợp cho benchmark', round((u.lat + j.dy)::numeric, 6),
    round((u.lon + j.dx)::numeric, 6), '', u.code, false, r.at - interval '5 minutes', true, '', '', 'web',
    CASE WHEN n %% 500 = 0 THEN 'received' WHEN n %% 10 < 3 THEN 'resolved' ELSE 'closed' END,
    k.priority, k.rank, u.id, k.department, r.at, d.dispatched, d.on_scene,
    CASE WHEN n %% 500 <> 0 THEN r.at + make_interval(mins => (60 + (n * 37) %% 900)::int) END,
    'bench-' || n, false, '', r.at, r.at
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
CROSS JOIN LATERAL (SELECT 1 + (n * 7) %% %(nu)s AS i) AS ui
CROSS JOIN LATERAL (SELECT (%(communes)s::bigint[])[ui.i] AS id, (%(codes)s::text[])[ui.i] AS code,
                           (%(lats)s::float8[])[ui.i] AS lat, (%(lons)s::float8[])[ui.i] AS lon) AS u
CROSS JOIN LATERAL (SELECT 1 + n %% %(nk)s AS i) AS ki
CROSS JOIN LATERAL (SELECT (%(kinds)s::bigint[])[ki.i] AS kind, (%(priorities)s::text[])[ki.i] AS priority,
                           (%(ranks)s::int[])[ki.i] AS rank,
                           NULLIF((%(departments)s::bigint[])[ki.i], 0) AS department) AS k
CROSS JOIN LATERAL (SELECT 0.04 * (((n * 7919) %% 1000 + (n * 104729) %% 1000 + (n * 1299709) %% 1000) / 3000.0
                                   - 0.5) AS dy,
                           0.04 * (((n * 15485863) %% 1000 + (n * 32452843) %% 1000 + (n * 49979687) %% 1000)
                                   / 3000.0 - 0.5) AS dx) AS j
CROSS JOIN LATERAL (SELECT now() - make_interval(days => (2 + (n * 11) %% %(days)s)::int, hours => ((n * 5) %% 24)::int,
                                                 mins => ((n * 3) %% 60)::int) AS at) AS r
CROSS JOIN LATERAL (SELECT CASE WHEN n %% 5 <> 0 THEN r.at + make_interval(secs => 60 + (n * 17) %% 900) END
                               AS dispatched,
                           CASE WHEN n %% 5 <> 0 THEN r.at + make_interval(secs => 600 + (n * 29) %% 2400) END
                               AS on_scene) AS d
"""

ASSIGNMENTS_SQL = """
INSERT INTO incidents_assignment (report_id, patrol_unit_id, dispatched_at, acknowledged_at, en_route_at, on_scene_at,
    cleared_at)
SELECT r.id, (%(teams)s::bigint[])[1 + r.id %% %(nteams)s], r.dispatched_at, r.dispatched_at + interval '30 seconds',
    r.dispatched_at + make_interval(secs => 60 + r.id %% 240), r.on_scene_at, r.on_scene_at + interval '35 minutes'
FROM incidents_report r
WHERE r.client_token LIKE 'bench-%%' AND r.dispatched_at IS NOT NULL AND r.id > %(after)s
"""


def _setup() -> tuple[Unit, Officer]:
    result = org_demo.demo_build(officers=0)
    demo_build_traffic(province=result.province)  # violation types and cameras, no events
    demo_build_incidents(province=result.province, reports=0)  # kinds, routing, teams, no reports
    leader = Officer.objects.get(username="lanhdao")
    return result.province, leader


def _insert_violations(first: int, last: int) -> None:
    cameras = list(Camera.objects.filter(active=True).order_by("code").values_list("pk", "unit_id"))
    types = list(ViolationType.objects.filter(valid_to__isnull=True).order_by("code").values_list("pk", flat=True))
    communes = list(Unit.objects.filter(kind__in=COMMUNE_KINDS).order_by("code").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            VIOLATIONS_SQL,
            {
                "cameras": [pk for pk, _unit in cameras],
                "camera_units": [unit for _pk, unit in cameras],
                "nc": len(cameras),
                "types": types,
                "nt": len(types),
                "communes": communes,
                "nu": len(communes),
                "days": DAYS,
                "first": first,
                "last": last,
            },
        )


def _insert_reports(first: int, last: int) -> None:
    communes = list(
        Unit.objects.filter(kind__in=COMMUNE_KINDS)
        .exclude(area_code="")
        .order_by("code")
        .values_list("pk", "area_code", "latitude", "longitude")
    )
    kinds = list(ReportKind.objects.filter(parent__isnull=False, active=True).order_by("code"))
    teams = list(PatrolUnit.objects.order_by("pk").values_list("pk", flat=True))
    rank = {"urgent": 0, "high": 1, "normal": 2}
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM incidents_report")
        after = cursor.fetchone()[0]
        cursor.execute(
            REPORTS_SQL,
            {
                "communes": [row[0] for row in communes],
                "codes": [row[1] for row in communes],
                "lats": [float(row[2] or 16.0544) for row in communes],
                "lons": [float(row[3] or 108.2022) for row in communes],
                "nu": len(communes),
                "kinds": [kind.pk for kind in kinds],
                "priorities": [kind.default_priority for kind in kinds],
                "ranks": [rank[kind.default_priority] for kind in kinds],
                "departments": [getattr(lookups.department_for(kind), "pk", 0) for kind in kinds],
                "nk": len(kinds),
                "days": DAYS - 2,
                "first": first,
                "last": last,
            },
        )
        cursor.execute(ASSIGNMENTS_SQL, {"teams": teams, "nteams": len(teams), "after": after})


def _load(violations: tuple[int, int], reports: tuple[int, int]) -> str:
    started = time.perf_counter()
    _insert_violations(*violations)
    _insert_reports(*reports)
    rows = traffic_aggregates.rebuild() + incident_aggregates.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return f"{rows:,} aggregate rows, in {time.perf_counter() - started:.0f} s"


def _measure(label: str, client: Client) -> dict[str, float]:
    times = {name: timed_ms(page(client, url), REPEATS) for name, url in PAGES.items()}
    recounts = {
        "traffic": timed_ms(traffic_aggregates.recount, repeats=3)[0],
        "incidents": timed_ms(incident_aggregates.recount, repeats=3)[0],
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM traffic_violationevent), (SELECT count(*) FROM incidents_report), "
            "(SELECT count(*) FROM traffic_violationstat) + (SELECT count(*) FROM traffic_violationhourstat), "
            "(SELECT count(*) FROM incidents_reportstat) + (SELECT count(*) FROM incidents_reportintervalstat)"
            " + (SELECT count(*) FROM incidents_reportheatcell)"
        )
        events, reports, traffic_rows, incident_rows = cursor.fetchone()
    print(
        f"  {label}: {events:,} violation events ({traffic_rows:,} aggregate rows), {reports:,} reports "
        f"({incident_rows:,} aggregate rows)"
    )
    for name, url in PAGES.items():
        median, fastest = times[name]
        print(
            f"    {url:22} page {median:7.1f} ms (fastest {fastest:6.1f})   recount from raw rows "
            f"{recounts[name]:9.1f} ms"
        )
    return {
        **{name: median for name, (median, _fastest) in times.items()},
        **{f"{name}_fastest": fastest for name, (_median, fastest) in times.items()},
        **{f"{name}_recount": value for name, value in recounts.items()},
    }


def run() -> int:
    if connection.vendor != "postgresql":
        print("stats pages: skipped (needs PostgreSQL: make bench)")
        return 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    violations = int(os.environ.get("BENCH_VIOLATIONS", 100_000))
    reports = int(os.environ.get("BENCH_REPORTS", 5_000))
    factor = int(os.environ.get("BENCH_STATS_FACTOR", 10))
    print(
        f"stats pages: {violations:,} violations and {reports:,} reports, then {factor}× that; the province "
        f"leader's page, median of {REPEATS} fetches"
    )
    _province, leader = _setup()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM incidents_assignment WHERE report_id IN "
            "(SELECT id FROM incidents_report WHERE client_token LIKE 'bench-%%')"
        )
        cursor.execute("DELETE FROM incidents_report WHERE client_token LIKE 'bench-%%'")
        cursor.execute("DELETE FROM traffic_violationevent WHERE idempotency_key LIKE 'bench-%%'")
    print(f"  loaded 1×: {_load((1, violations), (1, reports))}")
    client = signed_in(leader)
    small = _measure("1×", client)
    print(
        f"  loaded {factor - 1}× more: {_load((violations + 1, factor * violations), (reports + 1, factor * reports))}"
    )
    large = _measure(f"{factor}×", client)
    for name, url in PAGES.items():
        ratio = large[name] / small[name]
        verdict = "met" if ratio <= 2 else "NOT met"
        fastest = large[f"{name}_fastest"] / small[f"{name}_fastest"]
        recount = large[f"{name}_recount"] / small[f"{name}_recount"]
        print(
            f"  ratio {url}: page at {factor}× / at 1× = {ratio:.2f} (target ≤ 2: {verdict}; fastest runs "
            f"{fastest:.2f}); the recount from raw rows grew {recount:.1f}×"
        )
    return 0
