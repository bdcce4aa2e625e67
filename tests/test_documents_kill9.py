"""Nothing acknowledged is lost: the production server (``congan serve``, two workers) receives
incoming documents with their PDF from a partner system in several threads and is killed with
SIGKILL in the middle; every document it answered 201 is in the register afterwards, its file on
disk with the bytes that were sent, and its audit event chained. A kill between the file and the
row leaves at most one unreferenced file per call in flight, never a row without its file.

On SQLite the server runs on a fresh embedded install; on PostgreSQL on this test's database."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from congan.core.testing.redis import free_port
from tests.server_process import congan, server_env, wait_until_up

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEED = """
from congan.core.apikeys import api_key_issue
from congan.core.models import ApiClient
from congan.documents.models import DocumentType
from congan.documents.types import load_types
from congan.org.models import Unit
from congan.org.services import unit_create

load_types(DocumentType)  # a transactional test before this one may have flushed them
unit = unit_create(by="system", code="CA48K9", name="Công an thành phố Đà Nẵng", kind=Unit.Kind.PROVINCE)
issued = api_key_issue(by="system", client=ApiClient.objects.create(name="Văn phòng UBND kill -9"), name="k",
                       scopes=["documents.receive"], rate_limit_per_minute=1_000_000_000)
print("SEEDED", issued.raw)
"""

# What the register holds after the kill, read by a fresh process: per idempotency key, the SHA-256
# of the stored file's bytes (empty when the row has no file or the file is missing), and the files
# under the documents' folder that no row names.
STORED = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from congan.documents.models import IncomingDocument
rows = {}
for document in IncomingDocument.objects.exclude(client_token=""):
    path = Path(settings.MEDIA_ROOT) / document.file.name if document.file else None
    rows[document.client_token] = hashlib.sha256(path.read_bytes()).hexdigest() if path and path.exists() else ""
named = {document.file.name for document in IncomingDocument.objects.exclude(file="")}
folder = Path(settings.MEDIA_ROOT) / "documents" / "incoming"
on_disk = {str(path.relative_to(settings.MEDIA_ROOT)) for path in folder.rglob("*.pdf")} if folder.exists() else set()
print("STORED", json.dumps({"rows": rows, "unreferenced": len(on_disk - named)}))
"""

THREADS = 4
ANSWERED_BEFORE_KILL = 120


def _pdf(label: str) -> bytes:
    """A small PDF whose bytes differ per call."""
    return b"%PDF-1.4\n% " + label.encode() + b"\n" + os.urandom(2048) + b"\n%%EOF\n"


class Load:
    """Threads sending incoming documents, each with its own idempotency key and file, until stopped."""

    def __init__(self, base: str, key: str):
        self.base, self.key = base, key
        self.answered: dict[str, str] = {}  # idempotency key -> SHA-256 of the file sent, answered 201
        self.refused: list[int] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(THREADS)]

    def _send(self, token: str, content: bytes) -> int:
        body = {
            "issuer_name": "Văn phòng Ủy ban nhân dân thành phố",
            "number_symbol": f"{len(token)}/VP-NC",
            "document_type": "cong-van",
            "subject": f"Về việc phối hợp bảo đảm an ninh trật tự, lần {token}",
            "to_unit": "CA48K9",
            "client_token": token,
            "file": {"filename": f"{token}.pdf", "content_base64": base64.b64encode(content).decode()},
        }
        request = urllib.request.Request(
            f"{self.base}/api/v1/documents/incoming",
            data=json.dumps(body).encode(),
            headers={"X-API-Key": self.key, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def _run(self, thread: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            token, content = f"k9-{thread}-{n}", _pdf(f"{thread}-{n}")
            try:
                status = self._send(token, content)
            except urllib.error.HTTPError as error:
                with self.lock:
                    self.refused.append(error.code)
                continue
            except (OSError, ValueError):
                continue  # the server died under this call: it was never acknowledged
            if status == 201:
                with self.lock:
                    self.answered[token] = hashlib.sha256(content).hexdigest()

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


def test_every_document_received_before_a_kill_9_is_in_the_register_with_its_file(tmp_path: Path):
    env = server_env(tmp_path)
    key = congan(env, "shell", "-c", SEED).split("SEEDED", 1)[1].split()[0]
    port = free_port()
    env["CONGAN_BIND"] = f"127.0.0.1:{port}"
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "congan.cli", "serve"], env=env, start_new_session=True)
    load = Load(base, key)
    try:
        wait_until_up(base, server)
        load.start()
        deadline = time.monotonic() + 180
        while load.count() < ANSWERED_BEFORE_KILL and time.monotonic() < deadline:
            assert server.poll() is None, "the server exited"
            time.sleep(0.05)
    finally:
        with_load = load.count()
        os.killpg(server.pid, signal.SIGKILL)  # calls in flight in both workers
        server.wait(timeout=30)
        load.finish()

    assert with_load >= ANSWERED_BEFORE_KILL, f"only {with_load} documents answered before the kill"
    assert not load.refused, f"refused under load: {sorted(set(load.refused))}"
    stored = json.loads(congan(env, "shell", "-c", STORED).split("STORED", 1)[1])
    rows: dict[str, str] = stored["rows"]
    lost = [token for token in load.answered if token not in rows]
    assert not lost, f"{len(lost)} of {len(load.answered)} acknowledged documents are not in the register"
    changed = [token for token, sha in load.answered.items() if rows[token] != sha]
    assert not changed, f"{len(changed)} acknowledged documents lack their file or its bytes differ"
    assert not [token for token, sha in rows.items() if not sha], "a row without its file"
    assert stored["unreferenced"] <= THREADS, "more unreferenced files than calls in flight"
    congan(env, "audit", "recover")
    congan(env, "audit", "verify")
