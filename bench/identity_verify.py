"""Partner identity verification against a point select by personal ID, in the same run.

PostgreSQL only (SQLite is skipped): BENCH_RESIDENTS residents (default 1,000,000) are loaded,
a partner key with a policy is issued, and the production server (`congan serve`:
granian) serves the API on a free loopback port. Then, each for BENCH_SECONDS
(default 20) at 32 connections:

- baseline: pgbench running a custom script that does the point select the verify path does
  (the same columns, by personal ID, on the same table and server);
- single: wrk POSTing /api/v1/identity/verify with a random person per request (API key,
  policy, rate limit and audit all on), Lua script in bench/identity_verify.lua;
- batch: wrk POSTing /api/v1/identity/verify/batch with 1,000 random people per call.

Personal IDs are a function of n in 0..N-1 that SQL, Python and Lua all compute:
"048" + sex digit ((n // 100) % 2) + two-digit birth year (n % 100) + n on six digits.
"""

from __future__ import annotations

import os
import time

from django.db import connection

from bench.server import ensure_wrk, free_port, run_pgbench, run_wrk, start_server
from congan.core.apikeys import api_key_issue
from congan.core.models import ApiClient
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.population.models import PartnerPolicy, Resident

CONNECTIONS = 32
VERIFY_COLUMNS = (
    "id, personal_id, full_name, full_name_folded, birth_year, birth_month, birth_day, sex, current_commune, "
    "current_street, permanent_commune, permanent_street, partner_lookup_locked"
)
NAMES = [
    ("Nguyễn Văn An", "nguyen van an"),
    ("Trần Thị Bình", "tran thi binh"),
    ("Lê Văn Cường", "le van cuong"),
    ("Phạm Thị Dung", "pham thi dung"),
    ("Hoàng Văn Đức", "hoang van duc"),
    ("Võ Thị Hoa", "vo thi hoa"),
    ("Đặng Văn Hùng", "dang van hung"),
    ("Bùi Thị Lan", "bui thi lan"),
    ("Đỗ Văn Minh", "do van minh"),
    ("Huỳnh Thị Ngọc", "huynh thi ngoc"),
]
PID_SQL = "'048' || (({n} / 100) {mod} 2) || lpad(({n} {mod} 100)::text, 2, '0') || lpad({n}::text, 6, '0')"


def _load_residents(count: int, unit: Unit) -> None:
    """Insert residents 0..count-1 with one set-based statement (skipped when already there)."""
    if Resident.objects.filter(unit=unit).count() >= count:
        return
    names = "ARRAY[" + ", ".join(f"'{name}'" for name, _ in NAMES) + "]"
    folded = "ARRAY[" + ", ".join(f"'{fold}'" for _, fold in NAMES) + "]"
    text_columns = (
        "other_names, birth_registration_place, hometown, ethnicity, religion, permanent_street, temporary_commune, "
        "temporary_street, relationship, id_card_number, id_card_authority, phone, email"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM population_resident WHERE unit_id = %s", [unit.pk])
        cursor.execute(
            f"""
            INSERT INTO population_resident (personal_id, full_name, full_name_folded, sort_name, birth_year,
                birth_month, birth_day, sex, nationality, permanent_commune, current_commune, current_street,
                status, partner_lookup_locked, enriched, unit_id, created_at, updated_at, {text_columns})
            SELECT {PID_SQL.format(n="n", mod="%%")}, ({names})[1 + n %% 10], ({folded})[1 + n %% 10],
                ({folded})[1 + n %% 10], 1900 + n %% 100, 1 + n %% 12, 1 + n %% 28,
                CASE WHEN (n / 100) %% 2 = 0 THEN 'male' ELSE 'female' END,
                'VN', '20194', '20194', 'Số ' || (n %% 300 + 1) || ' Lê Duẩn', 'alive', false, '{{}}', %s, now(),
                now(), {", ".join("''" for _ in text_columns.split(","))}
            FROM generate_series(0, %s) AS n
            """,  # noqa: S608
            [unit.pk, count - 1],
        )
        cursor.execute("ANALYZE population_resident")


def _partner_key() -> str:
    client = ApiClient.objects.create(name=f"Ngân hàng benchmark {int(time.time())}")
    issued = api_key_issue(
        by="system",
        client=client,
        name="bench",
        scopes=["identity.verify", "identity.verify_batch"],
        rate_limit_per_minute=1_000_000_000,
    )
    PartnerPolicy.objects.create(api_key=issued.key, operations=["verify", "verify_batch"], fields=["full_name"])
    return issued.raw


def _pgbench(count: int, seconds: int) -> float:
    script = f"\\set n random(0, {count - 1})\nSELECT {VERIFY_COLUMNS} FROM population_resident WHERE personal_id = "
    script += PID_SQL.format(n=":n", mod="%") + ";\n"
    return run_pgbench(script, connections=CONNECTIONS, seconds=seconds)


def run() -> int:
    if connection.vendor != "postgresql":
        print("identity verify: skipped (needs PostgreSQL: make bench)")
        return 0
    count = int(os.environ.get("BENCH_RESIDENTS", 1_000_000))
    seconds = int(os.environ.get("BENCH_SECONDS", 20))
    if count > 1_000_000:
        raise ValueError("BENCH_RESIDENTS: the ID scheme of this benchmark holds 1,000,000 people at most")
    print(f"identity verification: {count:,} residents, {CONNECTIONS} connections, {seconds} s per measurement")
    unit = Unit.objects.filter(code="BENCH-IDENTITY").first() or unit_create(
        by="system", code="BENCH-IDENTITY", name="Công an tỉnh (benchmark xác thực)", kind=Unit.Kind.PROVINCE
    )
    started = time.perf_counter()
    _load_residents(count, unit)
    key = _partner_key()
    print(f"  prepared in {time.perf_counter() - started:.1f} s")
    wrk = ensure_wrk()
    baseline = _pgbench(count, seconds)
    print(f"  baseline: pgbench point select by personal ID        {baseline:>10,.0f} selects/s")
    port = free_port()
    server = start_server(port)
    env = {"BENCH_KEY": key, "BENCH_N": str(count)}
    try:
        single = run_wrk(
            wrk,
            script="identity_verify.lua",
            path="/api/v1/identity/verify",
            port=port,
            seconds=seconds,
            connections=CONNECTIONS,
            env=env,
        )
        batch = run_wrk(
            wrk,
            script="identity_verify.lua",
            path="/api/v1/identity/verify/batch",
            port=port,
            seconds=seconds,
            connections=4,
            env={**env, "BENCH_BATCH": "1000"},
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
    return _report(baseline, single, batch)


def _report(baseline: float, single: dict, batch: dict) -> int:
    rate = single["requests"] / (single["duration_us"] / 1e6)
    errors = single["non2xx"] + single["socket_errors"]
    p50, p99 = single["p50_us"] / 1000, single["p99_us"] / 1000
    print(
        f"  POST /identity/verify (key, policy, rate limit, audit) {rate:>10,.0f} requests/s  "
        f"p50 {p50:.1f} ms  p99 {p99:.1f} ms  errors {errors}"
    )
    met = rate / baseline >= 0.10 and p99 <= 50 and errors == 0
    print(
        f"  ratio: {rate / baseline:.3f} of the baseline (target ≥ 0.10 with p99 ≤ 50 ms and zero errors: "
        f"{'met' if met else 'NOT met'})"
    )
    calls = batch["requests"] / (batch["duration_us"] / 1e6)
    batch_errors = batch["non2xx"] + batch["socket_errors"]
    print(
        f"  POST /identity/verify/batch, 1,000 per call            {calls * 1000:>10,.0f} verifications/s  "
        f"({calls:,.1f} calls/s, p99 {batch['p99_us'] / 1000:.0f} ms, errors {batch_errors})"
    )
    batch_met = calls * 1000 / baseline >= 1.0 and batch_errors == 0
    print(f"  ratio: {calls * 1000 / baseline:.3f} of the baseline (target ≥ 1.0: {'met' if batch_met else 'NOT met'})")
    return 0 if errors == 0 and batch_errors == 0 else 1
