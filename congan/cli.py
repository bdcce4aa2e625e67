"""``congan`` console command: ``congan serve`` runs the production server; anything else is a
Django management command (``congan demo``, ``congan createadmin``, ``congan audit verify``…)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def serve(args: list[str]) -> None:
    """Run gunicorn (WhiteNoise serves static files) with the project's configuration."""
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
