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
