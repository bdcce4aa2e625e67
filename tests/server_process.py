"""Shared by the tests that run the real server in a process of its own (``congan serve``): the
``congan`` command in a given environment, and waiting for the server's /healthz."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection


def congan(env: dict[str, str], *args: str) -> str:
    """Run ``congan ARGS`` in ``env``; its standard output (the test fails on a non-zero exit)."""
    done = subprocess.run(
        [sys.executable, "-m", "congan.cli", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def wait_until_up(base: str, server: subprocess.Popen, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or not ready (an HTTPError is an OSError)
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer /healthz within {seconds} s")


def server_env(tmp_path: Path) -> dict[str, str]:
    """The server's environment: this run's PostgreSQL test database (which a transactional test
    sees committed), or a fresh embedded install migrated under ``tmp_path``."""
    env = {
        **os.environ,
        "CONGAN_DATA_DIR": str(tmp_path),
        "CONGAN_WORKERS": "2",
        "CONGAN_TASK_WORKER": "0",
        "CONGAN_ACCESS_LOG": "off",
        "LOG_LEVEL": "WARNING",
        # The buffer's timer alone would leave seconds of events in memory: only what the answer
        # waits for may save them.
        "AUDIT_BUFFER_FLUSH_SECONDS": "5",
        "DJANGO_SETTINGS_MODULE": "congan.settings",
    }
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        congan(env, "migrate", "--no-input", "-v", "0")
    return env
