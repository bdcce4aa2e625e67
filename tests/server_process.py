"""Shared by the tests that run the real server in a process of its own (``congan serve``): the
``congan`` command in a given environment, and waiting for the server's /healthz."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request


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
