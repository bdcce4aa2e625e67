"""``congan`` console command: ``congan serve`` runs the production server; anything else is a
Django management command (``congan demo``, ``congan createadmin``, ``congan audit verify``…)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping


def _stop_with_parent() -> None:
    """Linux: deliver SIGTERM to this child when its parent exits (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:  # not Linux: the process group still carries Ctrl+C
        pass


def server_command(args: list[str], env: Mapping[str, str] = os.environ) -> list[str]:
    """The production server: granian (HTTP in Rust, the WSGI application in worker threads), set
    by CONGAN_* variables in ``env`` (docs/operations.md); ``args`` are further granian options."""
    host, _, port = env.get("CONGAN_BIND", "127.0.0.1:8000").rpartition(":")
    access_log = env.get("CONGAN_ACCESS_LOG", "-") not in ("", "0", "off", "/dev/null")
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host or "127.0.0.1",
        "--port",
        port,
        "--workers",
        env.get("CONGAN_WORKERS", "2"),
        "--blocking-threads",
        env.get("CONGAN_THREADS", "4"),
        # A worker that dies is replaced; one stopping gets this long to finish its calls and
        # flush its audit buffer (congan.core.audit.buffer) before it is killed.
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        env.get("CONGAN_GRACEFUL_TIMEOUT", "30"),
        "--log-level",
        env.get("LOG_LEVEL", "INFO").lower(),
        "--access-log" if access_log else "--no-access-log",
        *args,
        "congan.wsgi:application",
    ]


def serve(args: list[str]) -> None:
    """Run the production server (WhiteNoise serves static files), and beside it the background-task
    worker, the report intake completer, the archive's folder watcher and the audit checkpoint
    writer unless CONGAN_TASK_WORKER=0 (production may run them as services of their own: see docs/operations.md)."""
    if os.environ.get("CONGAN_TASK_WORKER", "1") != "0":
        # Same process group as the server: Ctrl+C in `make run` stops both; and the worker is
        # told to stop when the server process (this PID, after exec) goes away.
        # The task worker, and the completer of what the quick report intake accepted
        # (congan.incidents.intake).
        commands = [["db_worker", "--no-reload", "-v", "1"], ["incidents_intake", "--follow"]]
        # The archive's scanning-station folder and the resumption of items a crashed worker left.
        commands.append(["archive_watch", "--follow"])
        if float(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "3600") or 0) > 0:
            commands.append(["audit", "checkpoint", "--follow"])  # signed heads outside the database
        for command in commands:
            subprocess.Popen([sys.executable, "-m", "congan.cli", *command], preexec_fn=_stop_with_parent)  # noqa: S603
    command = server_command(args)
    os.execv(command[0], command)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congan.settings")
    if args and args[0] == "serve":
        serve(args[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["congan", *args])


if __name__ == "__main__":
    main()
