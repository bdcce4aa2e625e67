"""No acknowledged call without its audit event: the production server (``congan serve``: granian,
two worker processes) is loaded with identity verifications from several threads and killed with
SIGKILL in the middle of the load; every verification it answered 200 must have its audit event.

On SQLite (``make test``) the server runs on a fresh embedded install; on PostgreSQL (``make
test-pg``) it runs on this test's database, which it sees committed (a transactional test)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from congan.core.testing.redis import free_port
from tests.server_process import congan, server_env, wait_until_up

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEED = """
from congan.core.apikeys import api_key_issue
from congan.core.models import ApiClient
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.population.models import PartnerPolicy
from congan.population.tests.factories import ResidentFactory

unit = unit_create(by="system", code="CA48K9", name="Công an thành phố Đà Nẵng", kind=Unit.Kind.PROVINCE)
resident = ResidentFactory(unit=unit, full_name="Nguyễn Văn An")
issued = api_key_issue(by="system", client=ApiClient.objects.create(name="Ngân hàng kill -9"), name="k",
                       scopes=["identity.verify"], rate_limit_per_minute=1_000_000_000)
PartnerPolicy.objects.create(api_key=issued.key, operations=["verify"], fields=[])
print("SEEDED", issued.raw, resident.personal_id)
"""

THREADS = 6
ANSWERED_BEFORE_KILL = 300


class Load:
    """Threads sending verifications, each with its own request id, until stopped."""

    def __init__(self, base: str, key: str, personal_id: str):
        self.base, self.key, self.personal_id = base, key, personal_id
        self.answered: list[str] = []  # request ids answered 200 with the verification
        self.refused: list[int] = []  # other statuses (a 503 when the audit could not be written)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(THREADS)]

    def _run(self, thread: int) -> None:
        body = json.dumps(
            {
                "personal_id": self.personal_id,
                "full_name": "nguyen van an",
                "purpose": "Mở tài khoản",
                "legal_basis": "Nghị định 69/2024/NĐ-CP",
            }
        ).encode()
        n = 0
        while not self.stop.is_set():
            n += 1
            request_id = f"k9t{thread}n{n}"
            request = urllib.request.Request(
                f"{self.base}/api/v1/identity/verify",
                data=body,
                headers={"X-API-Key": self.key, "Content-Type": "application/json", "X-Request-ID": request_id},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    answer = json.loads(response.read())
                    status = response.status
            except urllib.error.HTTPError as error:
                with self.lock:
                    self.refused.append(error.code)
                continue
            except (OSError, ValueError):
                continue  # the server died under this call: it was never acknowledged
            if status == 200 and answer.get("match") is True:
                with self.lock:
                    self.answered.append(request_id)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def count(self) -> int:
        with self.lock:
            return len(self.answered)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(15)


def _audited_request_ids(env: dict[str, str], request_ids: list[str]) -> set[str]:
    sql = "SELECT request_id FROM core_auditevent WHERE action = 'population.identity.verify'"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql)
            found = {row[0] for row in cursor.fetchall()}
    else:
        with sqlite3.connect(Path(env["CONGAN_DATA_DIR"]) / "congan.sqlite3") as database:
            found = {row[0] for row in database.execute(sql)}
    return found & set(request_ids)


@pytest.mark.parametrize("journal", ["local journal", "database commit"])
def test_every_verification_answered_before_a_kill_9_has_its_audit_event(tmp_path, journal):
    """With the local journal (the default) the events the dead workers had not chained yet are in
    their journals, and ``congan audit recover`` chains them; without one, every answered call's
    batch was committed before the answer."""
    env = server_env(tmp_path)
    if journal == "database commit":
        env["AUDIT_JOURNAL_DIR"] = "off"
    key, personal_id = congan(env, "shell", "-c", SEED).split("SEEDED", 1)[1].split()
    port = free_port()
    env["CONGAN_BIND"] = f"127.0.0.1:{port}"
    base = f"http://127.0.0.1:{port}"
    # Its own process group: granian's main process and its two workers die together.
    server = subprocess.Popen([sys.executable, "-m", "congan.cli", "serve"], env=env, start_new_session=True)
    load = Load(base, key, personal_id)
    try:
        wait_until_up(base, server)
        load.start()
        deadline = time.monotonic() + 120
        while load.count() < ANSWERED_BEFORE_KILL and time.monotonic() < deadline:
            assert server.poll() is None, "the server exited"
            time.sleep(0.05)
    finally:
        with_load = load.count()
        os.killpg(server.pid, signal.SIGKILL)  # under load: calls are in flight in both workers
        server.wait(timeout=30)
        load.finish()

    answered = load.answered
    assert with_load >= ANSWERED_BEFORE_KILL, f"only {with_load} verifications answered before the kill"
    assert not load.refused, f"refused under load: {sorted(set(load.refused))}"
    journals = list((tmp_path / "audit-journal").glob("*.journal"))
    if journal == "local journal":
        assert journals, "the workers wrote no journal"
        assert "events from the journals of stopped processes chained" in congan(env, "audit", "recover")
        assert not list((tmp_path / "audit-journal").glob("*.journal")), "a recovered journal was kept"
    else:
        assert not journals
    missing = set(answered) - _audited_request_ids(env, answered)
    assert len(missing) == 0, f"{len(missing)} of {len(answered)} answered verifications have no audit event"
    congan(env, "audit", "verify")  # recovered events chained once each, with no fork
