"""Suite-wide fixtures: test-speed settings and the persona fixtures (citizen, officer, leader…)."""

from __future__ import annotations

import pytest

from congan.core.audit import buffer


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AUDIT_BUFFER_BACKGROUND = False
    settings.AXES_ENABLED = True
    yield
    buffer.discard_pending()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


pytest_plugins = ["congan.core.testing.fixtures"]


def pytest_collection_modifyitems(config, items):
    """Skip ``postgres_only`` tests on SQLite and ``browser`` tests where Chromium is missing."""
    from pathlib import Path

    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_chromium = Path("/usr/bin/chromium").exists()
    for item in items:
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (make test-pg)"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(pytest.mark.skip(reason="needs Debian's Chromium at /usr/bin/chromium (make browser-deps)"))
