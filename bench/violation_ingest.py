"""Camera violation events through the batch ingestion API against a raw COPY of the same rows, and
the public plate lookup against a pgbench select of the same rows, in the same run.

PostgreSQL only (SQLite is skipped), on a database whose violation table holds nothing but this
benchmark's events (it is emptied twice: ``make bench`` runs it on a throwaway server).
BENCH_VIOLATION_EVENTS events (default 1,000,000) of 40 cameras over the last six months, on
BENCH_PLATES plates (default 200,000); one in five is a speeding event with its measured speed and
limit, and about one in fifty is a second frame of the event before it (same camera, plate and
violation a few seconds later, a new idempotency key), which the API marks as its duplicate.

- baseline: the rows (every column the API writes, ids resolved, the second frames as duplicates
  of their first) sent with one COPY into the empty table, timed from the first byte to the commit;
- ingest: the table emptied again, then the production server (`congan serve`:
  granian) takes the same events as NDJSON, 5,000 per POST /api/v1/violation-events,
  from BENCH_POSTERS (default 4) clients at once: validation per item, idempotency keys, duplicate
  detection, one audit record per call. Every call must answer 200, every event must come back
  created or duplicate and be in the table ("lost": events sent less rows stored);
- lookup: a third of the detected events get a notice or a payment (one UPDATE), then for
  BENCH_SECONDS (default 20) at 32 connections pgbench runs the lookup's own statement for a random
  plate, and wrk calls GET /api/v1/violations/lookup for random plates (partner key, rate limit,
  audit, lookup counter). Where the endpoint answers 404 the lookup is skipped.

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
import urllib.parse
from dataclasses import dataclass

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
SPEED_LIMIT = 60
LETTERS = "ABCDEFGHKLMNPSTUVXYZ"
CODES = ["16824.6.9.b", "16824.6.9.d", "16824.6.5.b", "16824.6.1.a", "16824.6.3.k"]
SPEEDING = "16824.6.5.đ"  # 10 to 20 km/h over the limit
TABLE = ViolationEvent._meta.db_table
PLATE_SQL = "'43' || substr('ABCDEFGHKLMNPSTUVXYZ', :n % 20 + 1, 1) || lpad((:n / 20)::text, 5, '0')"
COPY_COLUMNS = (
    "camera_id, occurred_at, plate_read, plate, read_confidence, vehicle_kind, violation_type_id, measured_speed_kmh, "
    "speed_limit_kmh, evidence_urls, idempotency_key, status, duplicate_of_id, owner_organisation, dismissal_reason, "
    "outcome, created_at, updated_at"
)
COUNTS = ("created", "duplicate", "repeated", "rejected")
NOTICES_SQL = f"""UPDATE {TABLE} SET status = CASE WHEN id % 6 = 0 THEN 'paid' ELSE 'notice_issued' END,
notice_issued_at = occurred_at + interval '3 days' WHERE id % 3 = 0 AND status = 'detected'"""  # noqa: S608


@dataclass(frozen=True)
class Ingested:
    seconds: float
    totals: dict[str, int]
    stored: int
    finished: list[float]  # seconds from the start at which each call was answered

    def tenth_rates(self) -> tuple[float, float]:
        """Events/s over the first and the last tenth of the calls (the table grows in between)."""
        calls = max(1, len(self.finished) // 10)
        first = calls * BATCH / self.finished[calls - 1]
        last = calls * BATCH / (self.finished[-1] - self.finished[-calls - 1]) if len(self.finished) > calls else first
        return first, last


def plate_of(n: int) -> str:
    return f"43{LETTERS[n % 20]}{n // 20:05d}"


def _lookup_statement() -> str:
    """The lookup's own statement (traffic.selectors) for cars, for a plate pgbench computes."""
    return " ".join(LOOKUP_BY_CLASS["car"].split()).replace("%s", PLATE_SQL)


def _setup() -> tuple[list[Camera], str]:
    violation_types_load(by="system")
    unit = Unit.objects.filter(code="BENCH-TRAFFIC").first() or unit_create(
        by="system", code="BENCH-TRAFFIC", name="Phòng Cảnh sát giao thông (benchmark)", kind=Unit.Kind.PROVINCE
    )
    cameras = [
        Camera.objects.update_or_create(
            code=f"BENCH-CAM-{index:03d}",
            defaults={
                "name": f"Nút giao benchmark {index}",
                "kind": Camera.Kind.ANPR,
                "latitude": 16.05,
                "longitude": 108.2,
                "road": "Nguyễn Văn Linh",
                "unit": unit,
                "speed_limit_kmh": SPEED_LIMIT,
                "active": True,
            },
        )[0]
        for index in range(CAMERAS)
    ]
    client = ApiClient.objects.create(name=f"Máy chủ camera benchmark {int(time.time())}")
    issued = api_key_issue(
        by="system",
        client=client,
        name="bench",
        scopes=["violations.ingest", "violations.lookup"],
        rate_limit_per_minute=1_000_000_000,
    )
    return cameras, issued.raw


def _event(n: int, rng: random.Random, moment: dt.datetime, plates: int) -> dict:
    speeding = rng.random() < 0.2
    event = {
        "camera": f"BENCH-CAM-{rng.randrange(CAMERAS):03d}",
        "occurred_at": moment.isoformat(),
        "plate": plate_of(rng.randrange(plates)),
        "read_confidence": round(rng.uniform(0.6, 0.99), 2),
        "vehicle_kind": "car",
        "violation_type": SPEEDING if speeding else rng.choice(CODES),
        "evidence_urls": [f"s3://camera-evidence/{n}-0.jpg", f"s3://camera-evidence/{n}-1.jpg"],
        "idempotency_key": f"bench-{n}",
    }
    if speeding:
        event.update(measured_speed_kmh=SPEED_LIMIT + rng.randint(10, 20), speed_limit_kmh=SPEED_LIMIT)
    return event


def _second_frame(n: int, first: dict, rng: random.Random) -> dict:
    moment = dt.datetime.fromisoformat(first["occurred_at"]) + dt.timedelta(seconds=rng.randint(1, 20))
    return {
        **first,
        "occurred_at": moment.isoformat(),
        "idempotency_key": f"bench-{n}",
        "evidence_urls": [f"s3://camera-evidence/{n}-0.jpg"],
    }


def _events(count: int, plates: int) -> tuple[list[dict], dict[int, int]]:
    """The events in the order they happened, as the cameras' servers send them, and the index of
    its first frame for each second frame."""
    rng = random.Random(20261122)
    start = timezone.now() - dt.timedelta(days=180)
    seconds = sorted(rng.randrange(179 * 86400) for _ in range(count))
    events: list[dict] = []
    first_of: dict[int, int] = {}
    for n in range(count):
        if events and n - 1 not in first_of and rng.random() < 0.02:
            first_of[n] = n - 1
            events.append(_second_frame(n, events[n - 1], rng))
        else:
            events.append(_event(n, rng, start + dt.timedelta(seconds=seconds[n]), plates))
    return events, first_of


def _safe_to_empty() -> bool:
    """The table holds only this benchmark's events (it is emptied twice)."""
    return not ViolationEvent.objects.exclude(camera__code__startswith="BENCH-CAM-").exists()


def _truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE} RESTART IDENTITY CASCADE")


def _copy_text(events: list[dict], first_of: dict[int, int], cameras: list[Camera]) -> str:
    """The rows as COPY text with every column the API writes: ids resolved, defaults filled, and
    ids 1..N in event order (the table restarts its identity), so a second frame names its first."""
    limits = {camera.code: camera.speed_limit_kmh for camera in cameras}
    camera_ids = {camera.code: str(camera.pk) for camera in cameras}
    types = {row.code: str(row.pk) for row in ViolationType.objects.filter(valid_to__isnull=True)}
    now = timezone.now().isoformat()
    lines = io.StringIO()
    for n, event in enumerate(events):
        first = first_of.get(n)
        speed, limit = event.get("measured_speed_kmh"), event.get("speed_limit_kmh", limits[event["camera"]])
        values = [
            camera_ids[event["camera"]],
            event["occurred_at"],
            event["plate"],
            event["plate"],
            str(event["read_confidence"]),
            "car",
            types[event["violation_type"]],
            "\\N" if speed is None else str(speed),
            "\\N" if limit is None else str(limit),
            json.dumps(event["evidence_urls"]),
            event["idempotency_key"],
            "detected" if first is None else "duplicate",
            "\\N" if first is None else str(first + 1),
            "",
            "",
            "",
            now,
            now,
        ]
        lines.write("\t".join(values) + "\n")
    return lines.getvalue()


def _copy(text: str) -> float:
    _truncate()
    started = time.perf_counter()
    with connection.cursor() as cursor, cursor.copy(f"COPY {TABLE} ({COPY_COLUMNS}) FROM STDIN") as copy:
        for offset in range(0, len(text), 1 << 20):
            copy.write(text[offset : offset + (1 << 20)])
    return time.perf_counter() - started


def _bodies(events: list[dict]) -> list[tuple[int, bytes]]:
    """NDJSON bodies of BATCH events, each with its number of events."""
    chunks = [events[offset : offset + BATCH] for offset in range(0, len(events), BATCH)]
    return [
        (len(chunk), "\n".join(json.dumps(event, ensure_ascii=False) for event in chunk).encode()) for chunk in chunks
    ]


def _add_answer(totals: dict[str, int], status: int, payload: bytes, sent: int) -> None:
    if status != 200:
        totals["failed_calls"] += 1
        return
    counts = json.loads(payload)
    for name in COUNTS:
        totals[name] += counts[name]
    totals["miscounted_calls"] += sum(counts[name] for name in COUNTS) != sent


def _post_all(port: int, key: str, bodies: list[tuple[int, bytes]], posters: int) -> tuple[dict[str, int], list[float]]:
    """POST every body from ``posters`` threads, each on one keep-alive connection; sum the answers
    and note when each call was answered."""
    totals = dict.fromkeys((*COUNTS, "failed_calls", "miscounted_calls"), 0)
    lock, queue = threading.Lock(), list(reversed(bodies))
    finished: list[float] = []
    started = time.perf_counter()
    headers = {"Content-Type": "application/x-ndjson", "X-API-Key": key}

    def poster() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                if not queue:
                    break
                sent, body = queue.pop()
            conn.request("POST", "/api/v1/violation-events", body=body, headers=headers)
            answer = conn.getresponse()
            payload = answer.read()
            with lock:
                _add_answer(totals, answer.status, payload, sent)
                finished.append(time.perf_counter() - started)
        conn.close()

    threads = [threading.Thread(target=poster) for _ in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return totals, finished


def _ingest(port: int, key: str, bodies: list[tuple[int, bytes]], posters: int) -> Ingested:
    _truncate()
    started = time.perf_counter()
    totals, finished = _post_all(port, key, bodies, posters)
    return Ingested(time.perf_counter() - started, totals, ViolationEvent.objects.count(), finished)


def _give_notices() -> int:
    """A third of the detected events get a notice (one in two of those is paid), in one UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(NOTICES_SQL)
        updated = cursor.rowcount
        cursor.execute(f"ANALYZE {TABLE}")
    return updated


def _lookup_probe(port: int, key: str) -> tuple[int, int]:
    """(HTTP status, violations shown) of one lookup of a plate that has a notice."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT plate FROM {TABLE} WHERE status = 'notice_issued' LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    query = urllib.parse.urlencode({"plate": row[0] if row else plate_of(0), "vehicle_kind": "car"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/api/v1/violations/lookup?{query}", headers={"X-API-Key": key})
    answer = conn.getresponse()
    payload = answer.read()
    conn.close()
    return answer.status, len(json.loads(payload).get("violations", [])) if answer.status == 200 else 0


def _lookup(port: int, key: str, plates: int, seconds: int) -> int:
    """Give notices, then the lookup against pgbench; 0 when it ran without errors or was skipped."""
    print(f"  {_give_notices():,} events given a notice or a payment for the lookup")
    status, shown = _lookup_probe(port, key)
    if status == 404:
        print("  lookup: endpoint not available yet — skipped")
        return 0
    if status != 200 or shown == 0:
        print(f"  lookup: a plate with a notice answered {status} with {shown} violations — NOT measured")
        return 1
    script = f"\\set n random(0, {plates - 1})\n{_lookup_statement()};\n"
    baseline = run_pgbench(script, connections=CONNECTIONS, seconds=seconds)
    print(f"  baseline: pgbench select of a plate's violations      {baseline:>10,.0f} selects/s")
    env = {"BENCH_KEY": key, "BENCH_N": str(plates)}
    lookup = run_wrk(
        ensure_wrk(),
        script="violation_lookup.lua",
        path="/api/v1/violations/lookup",
        port=port,
        seconds=seconds,
        connections=CONNECTIONS,
        env=env,
    )
    return _report_lookup(baseline, lookup)


def run() -> int:
    if connection.vendor != "postgresql":
        print("violation ingest: skipped (needs PostgreSQL: make bench)")
        return 0
    if not _safe_to_empty():
        print("violation ingest: skipped (the violation table holds other events; it is emptied: make bench)")
        return 0
    count = int(os.environ.get("BENCH_VIOLATION_EVENTS", 1_000_000))
    plates = int(os.environ.get("BENCH_PLATES", 200_000))
    posters = int(os.environ.get("BENCH_POSTERS", 4))
    seconds = int(os.environ.get("BENCH_SECONDS", 20))
    if plates > 20 * 100_000:
        raise ValueError("BENCH_PLATES: the plate scheme of this benchmark holds 2,000,000 plates at most")
    print(
        f"violation ingest: {count:,} events on {plates:,} plates, {posters} posters of {BATCH:,} per call; "
        f"lookup at {CONNECTIONS} connections, {seconds} s per measurement"
    )
    started = time.perf_counter()
    cameras, key = _setup()
    events, first_of = _events(count, plates)
    text, bodies = _copy_text(events, first_of, cameras), _bodies(events)
    del events
    print(f"  prepared in {time.perf_counter() - started:.1f} s ({len(first_of):,} second frames)")
    copy_seconds = _copy(text)
    print(
        f"  baseline: COPY of the same rows                        {count / copy_seconds:>10,.0f} rows/s  "
        f"({copy_seconds:.1f} s)"
    )
    port = free_port()
    server = start_server(port)
    try:
        status = _report_ingest(count, copy_seconds, _ingest(port, key, bodies, posters))
        status |= _lookup(port, key, plates, seconds)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return status


def _report_ingest(count: int, copy_seconds: float, ingested: Ingested) -> int:
    totals, rate = ingested.totals, count / ingested.seconds
    accepted = totals["created"] + totals["duplicate"]
    lost = count - ingested.stored
    failed = totals["failed_calls"] + totals["miscounted_calls"]
    print(
        f"  POST /violation-events, NDJSON of {BATCH:,}                {rate:>10,.0f} events/s  "
        f"({ingested.seconds:.1f} s; created {totals['created']:,}, duplicate {totals['duplicate']:,}, "
        f"repeated {totals['repeated']:,}, rejected {totals['rejected']:,}, failed calls {failed}; "
        f"rows {ingested.stored:,}, lost {lost})"
    )
    if len(ingested.finished) >= 50:
        first, last = ingested.tenth_rates()
        print(f"  first tenth of the calls {first:,.0f} events/s, last tenth {last:,.0f} events/s")
    ratio = rate / (count / copy_seconds)
    met = ratio >= 0.3 and lost == 0 and accepted == count and failed == 0
    print(
        f"  ratio: {ratio:.3f} of COPY (target ≥ 0.3 with every event accepted and stored: "
        f"{'met' if met else 'NOT met'})"
    )
    return 0 if lost == 0 and accepted == count and failed == 0 else 1


def _report_lookup(baseline: float, lookup: dict) -> int:
    rate = lookup["requests"] / (lookup["duration_us"] / 1e6)
    errors = lookup["non2xx"] + lookup["socket_errors"]
    p50, p99 = lookup["p50_us"] / 1000, lookup["p99_us"] / 1000
    print(
        f"  GET /violations/lookup (key, rate limit, audit, count) {rate:>10,.0f} requests/s  p50 {p50:.1f} ms  "
        f"p99 {p99:.1f} ms  errors {errors}"
    )
    met = rate / baseline >= 0.10 and p99 <= 50 and errors == 0
    print(
        f"  ratio: {rate / baseline:.3f} of the baseline (target ≥ 0.10 with p99 ≤ 50 ms and zero errors: "
        f"{'met' if met else 'NOT met'})"
    )
    return 0 if errors == 0 else 1
