"""Camera violation events through the batch ingestion API against a raw COPY of the same rows, and
the public plate lookup against a pgbench select of the same rows, in the same run.

PostgreSQL only (SQLite is skipped). BENCH_VIOLATION_EVENTS events (default 1,000,000) of 40
cameras over six months, on BENCH_PLATES plates (default 200,000):

- baseline: the rows (every column the API writes, ids resolved) sent with one COPY into the empty
  table, timed from the first byte to the commit;
- ingest: the table emptied again, then the production server (gunicorn with
  congan/gunicorn_conf.py) takes the same events as NDJSON, 5,000 per POST /api/v1/violation-events,
  from BENCH_POSTERS (default 4) clients at once: validation per item, idempotency keys, duplicate
  detection, one audit record per call. Every event must come back created or duplicate and be in
  the table ("lost" counts those that are not);
- lookup: a third of the events get a notice (one UPDATE), then for BENCH_SECONDS (default 20) at
  32 connections pgbench runs the lookup's own statement for a random plate, and wrk calls
  GET /api/v1/violations/lookup for random plates (partner key, rate limit, audit, lookup counter).

Plates are a function of n in 0..P-1 that SQL, Python and Lua all compute: "43" + the letter
"ABCDEFGHKLMNPSTUVXYZ"[n % 20] + (n // 20) on five digits.
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import os
import random
import threading
import time

from django.db import connection
from django.utils import timezone

from bench.server import ensure_wrk, free_port, run_pgbench, run_wrk, start_server
from congan.core.apikeys import api_key_issue
from congan.core.models import ApiClient
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.traffic.models import Camera, ViolationEvent, ViolationType
from congan.traffic.selectors import LOOKUP_BY_CLASS
from congan.traffic.services import violation_types_load

CONNECTIONS = 32
BATCH = 5000
CAMERAS = 40
LETTERS = "ABCDEFGHKLMNPSTUVXYZ"
CODES = ["16824.6.9.b", "16824.6.9.d", "16824.6.5.b", "16824.6.1.a", "16824.6.3.k"]
# pgbench runs the lookup's own statement (traffic.selectors) for a random plate of the scheme.
PLATE_SQL = "'43' || substr('ABCDEFGHKLMNPSTUVXYZ', :n % 20 + 1, 1) || lpad((:n / 20)::text, 5, '0')"


def _lookup_script(plates: int) -> str:
    statement = " ".join(LOOKUP_BY_CLASS["car"].split()).replace("%s", PLATE_SQL)
    return f"\\set n random(0, {plates - 1})\n{statement};\n"


def plate_of(n: int) -> str:
    return f"43{LETTERS[n % 20]}{n // 20:05d}"


def _setup() -> tuple[list[Camera], str]:
    violation_types_load(by="system")
    unit = Unit.objects.filter(code="BENCH-TRAFFIC").first() or unit_create(
        by="system", code="BENCH-TRAFFIC", name="Phòng Cảnh sát giao thông (benchmark)", kind=Unit.Kind.PROVINCE
    )
    cameras = [Camera.objects.get_or_create(code=f"BENCH-CAM-{index:03d}", defaults={
        "name": f"Nút giao benchmark {index}", "kind": Camera.Kind.ANPR, "latitude": 16.05, "longitude": 108.2,
        "road": "Nguyễn Văn Linh", "unit": unit})[0] for index in range(CAMERAS)]  # fmt: skip
    client = ApiClient.objects.create(name=f"Máy chủ camera benchmark {int(time.time())}")
    issued = api_key_issue(by="system", client=client, name="bench", scopes=["violations.ingest", "violations.lookup"],
                           rate_limit_per_minute=1_000_000_000)  # fmt: skip
    return cameras, issued.raw


def _events(count: int, plates: int, cameras: list[Camera]) -> list[dict]:
    rng = random.Random(20261122)
    start = timezone.now() - dt.timedelta(days=180)
    span = 179 * 86400
    return [{
        "camera": cameras[n % CAMERAS].code,
        "occurred_at": (start + dt.timedelta(seconds=rng.randrange(span))).isoformat(),
        "plate": plate_of(rng.randrange(plates)), "read_confidence": 0.93, "vehicle_kind": "car",
        "violation_type": CODES[n % len(CODES)], "evidence_urls": [f"s3://camera-evidence/{n}.jpg"],
        "idempotency_key": f"bench-{n}",
    } for n in range(count)]  # fmt: skip


def _truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE traffic_violationevent RESTART IDENTITY CASCADE")


def _copy_text(events: list[dict], cameras: list[Camera]) -> str:
    """The rows as COPY text, with every column the API writes (ids resolved, defaults filled)."""
    camera_ids = {camera.code: camera.pk for camera in cameras}
    on = timezone.localdate()
    types = {row.code: row.pk for row in ViolationType.objects.filter(valid_from__lte=on, valid_to__isnull=True)}
    now = timezone.now().isoformat()
    lines = io.StringIO()
    for event in events:
        values = [str(camera_ids[event["camera"]]), event["occurred_at"], event["plate"], event["plate"], "0.93",
                  "car", str(types[event["violation_type"]]), json.dumps(event["evidence_urls"]),
                  event["idempotency_key"], "detected", "", "", "", now, now]  # fmt: skip
        lines.write("\t".join(values) + "\n")
    return lines.getvalue()


COPY_COLUMNS = (
    "camera_id, occurred_at, plate_read, plate, read_confidence, vehicle_kind, violation_type_id, evidence_urls, "
    "idempotency_key, status, owner_organisation, dismissal_reason, outcome, created_at, updated_at"
)


def _copy(text: str) -> float:
    _truncate()
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY traffic_violationevent ({COPY_COLUMNS}) FROM STDIN") as copy,
    ):
        for offset in range(0, len(text), 1 << 20):
            copy.write(text[offset : offset + (1 << 20)])
    return time.perf_counter() - started


def _bodies(events: list[dict]) -> list[bytes]:
    return ["\n".join(json.dumps(event) for event in events[offset:offset + BATCH]).encode()
            for offset in range(0, len(events), BATCH)]  # fmt: skip


def _post_all(port: int, key: str, bodies: list[bytes], posters: int) -> dict[str, int]:
    """POST every body from ``posters`` threads (keep-alive); sum the answers."""
    totals = {"created": 0, "duplicate": 0, "repeated": 0, "rejected": 0, "failed_calls": 0}
    lock, queue = threading.Lock(), list(reversed(bodies))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        headers = {"Content-Type": "application/x-ndjson", "X-API-Key": key}
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            conn.request("POST", "/api/v1/violation-events", body=body, headers=headers)
            answer = conn.getresponse()
            payload = answer.read()
            with lock:
                if answer.status != 200:
                    totals["failed_calls"] += 1
                    continue
                counts = json.loads(payload)
                for name in ("created", "duplicate", "repeated", "rejected"):
                    totals[name] += counts[name]
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return totals


def _give_notices() -> int:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE traffic_violationevent SET status = CASE WHEN id % 6 = 0 THEN 'paid' "
                       "ELSE 'notice_issued' END WHERE id % 3 = 0")  # fmt: skip
        updated = cursor.rowcount
        cursor.execute("ANALYZE traffic_violationevent")
    return updated


def run() -> int:
    if connection.vendor != "postgresql":
        print("violation ingest: skipped (needs PostgreSQL: make bench)")
        return 0
    count = int(os.environ.get("BENCH_VIOLATION_EVENTS", 1_000_000))
    plates = int(os.environ.get("BENCH_PLATES", 200_000))
    posters = int(os.environ.get("BENCH_POSTERS", 4))
    seconds = int(os.environ.get("BENCH_SECONDS", 20))
    if plates > 20 * 100_000:
        raise ValueError("BENCH_PLATES: the plate scheme of this benchmark holds 2,000,000 plates at most")
    print(f"violation ingest: {count:,} events, {plates:,} plates, {posters} posters; lookup {CONNECTIONS} "
          f"connections, {seconds} s per measurement")  # fmt: skip
    cameras, key = _setup()
    events = _events(count, plates, cameras)
    text, bodies = _copy_text(events, cameras), _bodies(events)
    copy_seconds = _copy(text)
    print(f"  baseline: COPY of the same rows                    {count / copy_seconds:>10,.0f} rows/s  "
          f"({copy_seconds:.1f} s)")  # fmt: skip
    _truncate()
    port = free_port()
    server = start_server(port)
    try:
        started = time.perf_counter()
        totals = _post_all(port, key, bodies, posters)
        ingest_seconds = time.perf_counter() - started
        stored = ViolationEvent.objects.count()
        status = _report_ingest(count, copy_seconds, ingest_seconds, totals, stored)
        noticed = _give_notices()
        print(f"  {noticed:,} events given a notice for the lookup")
        baseline = run_pgbench(_lookup_script(plates), connections=CONNECTIONS, seconds=seconds)
        print(f"  baseline: pgbench select of a plate's violations  {baseline:>10,.0f} selects/s")
        env = {"BENCH_KEY": key, "BENCH_N": str(plates)}
        lookup = run_wrk(ensure_wrk(), script="violation_lookup.lua", path="/api/v1/violations/lookup", port=port,
                         seconds=seconds, connections=CONNECTIONS, env=env)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=60)
    return status | _report_lookup(baseline, lookup)


def _report_ingest(count: int, copy_seconds: float, ingest_seconds: float, totals: dict, stored: int) -> int:
    rate = count / ingest_seconds
    accepted = totals["created"] + totals["duplicate"]
    lost = accepted - stored
    print(f"  POST /violation-events, {BATCH:,} per call            {rate:>10,.0f} events/s  "
          f"({ingest_seconds:.1f} s; created {totals['created']:,}, duplicate {totals['duplicate']:,}, "
          f"rejected {totals['rejected']:,}, failed calls {totals['failed_calls']}, lost {lost})")  # fmt: skip
    ratio = rate / (count / copy_seconds)
    met = ratio >= 0.3 and lost == 0 and accepted == count
    print(f"  ratio: {ratio:.3f} of COPY (target ≥ 0.3 with every event stored: {'met' if met else 'NOT met'})")
    return 0 if lost == 0 and accepted == count and totals["failed_calls"] == 0 else 1


def _report_lookup(baseline: float, lookup: dict) -> int:
    rate = lookup["requests"] / (lookup["duration_us"] / 1e6)
    errors = lookup["non2xx"] + lookup["socket_errors"]
    p50, p99 = lookup["p50_us"] / 1000, lookup["p99_us"] / 1000
    print(f"  GET /violations/lookup (key, rate limit, audit, count) {rate:>8,.0f} requests/s  p50 {p50:.1f} ms  "
          f"p99 {p99:.1f} ms  errors {errors}")  # fmt: skip
    met = rate / baseline >= 0.10 and p99 <= 50 and errors == 0
    print(f"  ratio: {rate / baseline:.3f} of the baseline (target ≥ 0.10 with p99 ≤ 50 ms and zero errors: "
          f"{'met' if met else 'NOT met'})")  # fmt: skip
    return 0 if errors == 0 else 1
