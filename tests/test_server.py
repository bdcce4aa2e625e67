"""The production server (``congan serve``: granian running congan.wsgi) on a fresh embedded install:
pages, static files, the fast lane, and the audit events it holds written when it stops."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from congan.core.testing.redis import free_port
from tests.server_process import congan, wait_until_up

pytestmark = pytest.mark.slow

SEED = """
from congan.core.apikeys import api_key_issue
from congan.core.models import ApiClient
from congan.org.models import Unit
from congan.org.services import unit_create
from congan.population.models import PartnerPolicy
from congan.population.tests.factories import ResidentFactory

unit = unit_create(by="system", code="CA48", name="Công an thành phố Đà Nẵng", kind=Unit.Kind.PROVINCE)
resident = ResidentFactory(unit=unit, full_name="Nguyễn Văn An")
issued = api_key_issue(by="system", client=ApiClient.objects.create(name="Ngân hàng"), name="k",
                       scopes=["identity.verify"])
PartnerPolicy.objects.create(api_key=issued.key, operations=["verify"], fields=[])
print("SEEDED", issued.raw, resident.personal_id)
"""


def _get(url: str, **headers: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_production_server_serves_pages_static_files_and_the_fast_lane_and_flushes_the_audit_when_stopped(
    tmp_path,
):
    port = free_port()
    env = {
        **os.environ,
        "CONGAN_DATA_DIR": str(tmp_path),  # the embedded mode: SQLite under this folder
        "CONGAN_BIND": f"127.0.0.1:{port}",
        "CONGAN_WORKERS": "1",
        "CONGAN_TASK_WORKER": "0",
        "CONGAN_ACCESS_LOG": "off",
        "LOG_LEVEL": "WARNING",
        "AUDIT_BUFFER_FLUSH_SECONDS": "600",  # only the stop may write the buffered events
        "DJANGO_SETTINGS_MODULE": "congan.settings",
    }
    env.pop("DATABASE_URL", None)
    congan(env, "migrate", "--no-input", "-v", "0")
    congan(env, "collectstatic", "--no-input", "-v", "0")
    key, personal_id = congan(env, "shell", "-c", SEED).split("SEEDED", 1)[1].split()
    server = subprocess.Popen([sys.executable, "-m", "congan.cli", "serve"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        status, headers, body = _get(f"{base}/")
        assert status == 200 and headers["Content-Type"].startswith("text/html") and "Công an".encode() in body

        manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())["paths"]
        hashed = next(path for name, path in manifest.items() if name.endswith(".css"))
        status, headers, _ = _get(f"{base}/static/{hashed}")
        assert status == 200 and headers["Content-Type"].startswith("text/css")

        claim = {
            "personal_id": personal_id,
            "full_name": "nguyen van an",
            "purpose": "Mở tài khoản",
            "legal_basis": "Nghị định 69/2024/NĐ-CP",
        }
        request = urllib.request.Request(
            f"{base}/api/v1/identity/verify",
            data=json.dumps(claim).encode(),
            headers={"X-API-Key": key, "Content-Type": "application/json", "X-Request-ID": "smoke1"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Request-ID"] == "smoke1"
            assert json.loads(response.read()) == {
                "personal_id": personal_id,
                "found": True,
                "match": True,
                "fields": {"full_name": "folded"},
            }
        status, _, body = _get(f"{base}/api/v1/identity/verify")  # GET: not a lane route, Django answers
        assert status == 405 and json.loads(body)["code"] == "method_not_allowed"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    # The buffered audit events of the verification (flushed every 600 s here) were written at stop.
    with sqlite3.connect(Path(tmp_path) / "congan.sqlite3") as database:
        actions = [
            row[0]
            for row in database.execute("SELECT action FROM core_auditevent WHERE request_id = 'smoke1' ORDER BY seq")
        ]
    assert actions == ["population.identity.verify"]  # the operation's event stands for the call
    # The worker that held it wrote it to its local journal first, and deleted the journal once chained.
    assert (tmp_path / "audit-journal").is_dir()
    assert not list((tmp_path / "audit-journal").glob("*.journal"))
    assert "verified" in congan(env, "audit", "verify").lower()
