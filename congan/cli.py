"""``congan`` console command: ``congan serve`` runs the production server; anything else is a
Django management command (``congan demo``, ``congan createadmin``, ``congan audit verify``…)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _stop_with_parent() -> None:
    """Linux: deliver SIGTERM to this child when its parent exits (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:  # not Linux: the process group still carries Ctrl+C
        pass


def serve(args: list[str]) -> None:
    """Run gunicorn (WhiteNoise serves static files) with the project's configuration, and the
    background-task worker beside it unless CONGAN_TASK_WORKER=0 (production runs the worker as
    its own service: see docs/operations.md)."""
    if os.environ.get("CONGAN_TASK_WORKER", "1") != "0":
        # Same process group as the server: Ctrl+C in `make run` stops both; and the worker is
        # told to stop when the server process (this PID, after exec) goes away.
        subprocess.Popen(
            [sys.executable, "-m", "congan.cli", "db_worker", "--no-reload", "-v", "1"], preexec_fn=_stop_with_parent
        )
    config = Path(__file__).with_name("gunicorn_conf.py")
    os.execv(
        sys.executable,
        [sys.executable, "-m", "gunicorn", "-c", str(config), *args, "congan.wsgi:application"],
    )


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
