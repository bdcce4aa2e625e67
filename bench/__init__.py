"""Benchmarks: ``python -m bench`` (``make bench`` runs it against a throwaway PostgreSQL).

Each benchmark prints absolute figures and the ratio to a baseline measured in the same run on
the same database, so results from different machines can be compared by their ratios. Speed is
measured here, never asserted in the test suite.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def setup_django() -> str:
    """Configure Django, migrate the database if needed; return a one-line description of it.

    Without ``DATABASE_URL`` the benchmark runs on a fresh SQLite file in a temporary folder,
    never on the developer's ``data/`` database.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congan.settings")
    if not os.environ.get("DATABASE_URL") and "CONGAN_DATA_DIR" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="congan-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["CONGAN_DATA_DIR"] = data_dir
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    settings.AUDIT_BUFFER_BACKGROUND = False  # the benchmark flushes explicitly
    call_command("migrate", interactive=False, verbosity=0)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return connection.vendor
