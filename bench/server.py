"""Shared by the HTTP benchmarks: the production server (``congan serve``'s granian command) on
a free loopback port, and wrk driven by a Lua script that prints one RESULT line."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from congan.cli import server_command

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        **(env or {}),
        "CONGAN_BIND": f"127.0.0.1:{port}",
        "CONGAN_ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "congan.settings",
    }
    if env.get("AUDIT_JOURNAL_DIR", "").lower() not in ("off", "0"):
        # Each benchmark's throwaway database gets its own audit journals: a journal kept by one run
        # must not be chained into the next run's database.
        env["AUDIT_JOURNAL_DIR"] = tempfile.mkdtemp(prefix="congan-bench-journal-")
    server = subprocess.Popen(server_command([], env), cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("the server did not answer /healthz within 60 s")


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)  # noqa: S607
        wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return wrk


def run_wrk(
    wrk: str, *, script: str, path: str, port: int, seconds: int, connections: int, env: dict, threads: int = 2
) -> dict:
    output = subprocess.run(  # noqa: S603
        [
            wrk,
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(HERE / script),
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    ).stdout
    match = re.search(r"RESULT (.*)", output)
    if not match:
        raise RuntimeError(f"wrk output not understood:\n{output}")
    return {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}


def run_pgbench(script: str, *, connections: int, seconds: int, threads: int = 2, mode: str = "simple") -> float:
    """Transactions per second of pgbench running ``script`` (a custom script) on DATABASE_URL;
    ``mode`` is pgbench's query mode (simple, extended, prepared)."""
    pgbench = Path(os.environ.get("PGBINDIR", "/usr/bin")) / "pgbench"
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(  # noqa: S603
            [
                str(pgbench),
                "-n",
                "-M",
                mode,
                "-c",
                str(connections),
                "-j",
                str(threads),
                "-T",
                str(seconds),
                "-f",
                handle.name,
                os.environ["DATABASE_URL"],
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(handle.name).unlink()
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", output)
    if not match:
        raise RuntimeError(f"pgbench output not understood:\n{output}")
    return float(match.group(1))
