"""The embedded SQLite database runs in WAL mode with the pragmas from settings."""

from __future__ import annotations

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def test_sqlite_file_database_uses_wal_and_immediate_transactions(tmp_path, django_db_blocker):
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": tmp_path / "embedded.sqlite3",
            "OPTIONS": settings.SQLITE_OPTIONS,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "TIME_ZONE": None,
        },
        alias="wal_check",
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 10000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()
