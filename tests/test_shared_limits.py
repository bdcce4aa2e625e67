"""Rate limits and one-time proofs are shared by every server process: two real servers (``congan
serve``, one granian worker each) on the same database, called in turn, let a limit of N through
exactly N times and accept a proof-of-work proof once. On the embedded default (SQLite), on
PostgreSQL when the suite runs there (``make test-pg``), and through Redis when REDIS_URL is set
(a redis-server started on loopback for the test, skipped where Debian's redis-server is missing)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from urllib.parse import urlsplit, urlunsplit

import pytest

from congan.core.testing.redis import free_port, redis_server
from tests.server_process import congan, wait_until_up

pytestmark = pytest.mark.slow

KEY_LIMIT = 5  # the partner key's calls per minute: one counter statement per call
LEASED_LIMIT = 80  # another key's: above congan.core.limits.LEASE_ABOVE, served from leases
LOOKUP_LIMIT = 4  # public plate lookups per minute from one address

SEED = f"""
from congan.core.apikeys import api_key_issue
from congan.core.models import ApiClient
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.population.models import PartnerPolicy
from congan.population.tests.factories import ResidentFactory

unit = unit_create(by="system", code="CA48", name="Công an thành phố Đà Nẵng", kind=Unit.Kind.PROVINCE)
resident = ResidentFactory(unit=unit, full_name="Nguyễn Văn An")
issued = api_key_issue(by="system", client=ApiClient.objects.create(name="Ngân hàng"), name="k",
                       scopes=["identity.verify"], rate_limit_per_minute={KEY_LIMIT})
PartnerPolicy.objects.create(api_key=issued.key, operations=["verify"], fields=[])
leased = api_key_issue(by="system", client=issued.key.client, name="k2", scopes=["identity.verify"],
                       rate_limit_per_minute={LEASED_LIMIT})
PartnerPolicy.objects.create(api_key=leased.key, operations=["verify"], fields=[])
print("SEEDED", issued.raw, leased.raw, resident.personal_id)
"""


def _call(url: str, body: dict | None = None, **headers: str) -> tuple[int, Message, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def database_url() -> Iterator[str | None]:
    """A database of this module's own on the suite's PostgreSQL server, or None for SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    name = f"congan_limits_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory, database_url) -> tuple[dict[str, str], list[str], str]:
    """A migrated install with two partner keys and a resident: (environment, raw keys, personal ID)."""
    env = {
        **os.environ,
        "CONGAN_DATA_DIR": str(tmp_path_factory.mktemp("site")),
        "CONGAN_WORKERS": "1",
        "CONGAN_TASK_WORKER": "0",
        "CONGAN_ACCESS_LOG": "off",
        "LOG_LEVEL": "WARNING",
        "TRAFFIC_CHALLENGE_BITS": "4",
        "TRAFFIC_LOOKUP_PER_MINUTE": str(LOOKUP_LIMIT),
        "DJANGO_SETTINGS_MODULE": "congan.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("LIMITS_STORE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    congan(env, "migrate", "--no-input", "-v", "0")
    *keys, personal_id = congan(env, "shell", "-c", SEED).split("SEEDED", 1)[1].split()
    return env, keys, personal_id


@contextmanager
def _two_servers(env: dict[str, str]) -> Iterator[list[str]]:
    """Two ``congan serve`` servers (one process each) on the same install: their base URLs."""
    servers, bases = [], []
    try:
        for _index in range(2):
            port = free_port()
            command = [sys.executable, "-m", "congan.cli", "serve"]
            servers.append(subprocess.Popen(command, env={**env, "CONGAN_BIND": f"127.0.0.1:{port}"}))
            bases.append(f"http://127.0.0.1:{port}")
        for base, server in zip(bases, servers, strict=True):
            wait_until_up(base, server)
        yield bases
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=60)


def _solve(base: str) -> str:
    from congan.traffic.challenge import proof_solve

    status, _headers, body = _call(f"{base}/api/v1/violations/challenge")
    assert status == 200, body
    issued = json.loads(body)
    return proof_solve(issued["challenge"], issued["bits"])


def _check_limits_are_shared(bases: list[str], keys: list[str], personal_id: str) -> None:
    key, leased_key = keys
    claim = {
        "personal_id": personal_id,
        "full_name": "nguyen van an",
        "purpose": "Mở tài khoản",
        "legal_basis": "NĐ 69",
    }
    answers = [
        _call(f"{bases[n % 2]}/api/v1/identity/verify", claim, **{"X-API-Key": key}) for n in range(2 * KEY_LIMIT)
    ]
    verify_statuses = [status for status, _headers, _body in answers]
    leased_statuses = [
        _call(f"{bases[n % 2]}/api/v1/identity/verify", claim, **{"X-API-Key": leased_key})[0]
        for n in range(LEASED_LIMIT + 40)
    ]

    lookup = "/api/v1/violations/lookup?plate=43A12345&vehicle_kind=car"
    first = _solve(bases[0])
    proofs = [first, first, _solve(bases[1]), _solve(bases[0]), _solve(bases[1]), _solve(bases[0])]
    lookup_statuses = [
        _call(f"{bases[n % 2]}{lookup}", **{"X-Challenge-Proof": proof})[0] for n, proof in enumerate(proofs)
    ]

    # Exactly the key's limit, across both servers; the proof is good once, on either server, and
    # every lookup counts against the address's limit.
    assert (verify_statuses, lookup_statuses) == (
        [200] * KEY_LIMIT + [429] * KEY_LIMIT,
        [200, 401, 200, 200, 429, 429],
    ), f"verify {verify_statuses}, lookup {lookup_statuses}"
    assert leased_statuses == [200] * LEASED_LIMIT + [429] * 40, leased_statuses
    _status, headers, body = answers[-1]
    assert json.loads(body)["code"] == "rate_limited" and 0 < int(headers["Retry-After"]) <= 60


def test_two_server_processes_share_rate_limits_and_spent_proofs_in_the_database(site):
    env, keys, personal_id = site
    with _two_servers(env) as bases:
        _check_limits_are_shared(bases, keys, personal_id)


def test_two_server_processes_share_rate_limits_and_spent_proofs_through_redis(site, tmp_path):
    env, keys, personal_id = site
    with redis_server(tmp_path) as redis_url, _two_servers({**env, "REDIS_URL": redis_url}) as bases:
        _check_limits_are_shared(bases, keys, personal_id)
