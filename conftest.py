"""Suite-wide fixtures: test-speed settings and the persona fixtures (citizen, officer, leader…)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from congan.core.audit import buffer


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AUDIT_BUFFER_BACKGROUND = False
    settings.AUDIT_JOURNAL_DIR = None  # the journal's own tests set one; the rest commit in the database
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.AUDIT_CHECKPOINT_KEY_FILE = tmp_path / "audit_checkpoint_key"
    settings.INCIDENTS_INTAKE_BACKGROUND = False  # a quickly accepted report is completed at once
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EXCHANGE_SIGNING_FILE = Path(tempfile.gettempdir()) / "congan-test-exchange-signing.pem"
    settings.SIGNING_DIR = tmp_path / "signing"  # the demo PKI of `congan demo` (congan.signatures)
    settings.IMPORT_ROOT = tmp_path / "imports"
    settings.IMPORT_PIPELINE = False  # a second connection would not see the test's transaction
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.AXES_ENABLED = True
    settings.TRAFFIC_LOOKUP_COUNT_SECONDS = 0  # each public lookup written at once (the test's transaction)
    yield
    buffer.discard_pending()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request made with Accept-Language: en leaves
    English active in its thread, and the next test on that worker would read English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from congan.core.apikeys import clear_key_cache
    from congan.core.limits import forget_leases
    from congan.incidents import lookups
    from congan.traffic import lookups as traffic_lookups

    cache.clear()
    clear_key_cache()
    forget_leases()  # rate-limit counters roll back with each test; leases of them must go too
    lookups.clear()  # rows a rolled-back test created must not be remembered by the next one
    traffic_lookups.clear()
    yield
    cache.clear()
    clear_key_cache()
    lookups.clear()
    traffic_lookups.clear()


pytest_plugins = ["congan.core.testing.fixtures", "congan.org.tests.fixtures"]


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


def _restore_roles() -> None:
    """Transactional tests flush every table, taking the roles created by data migrations with
    them. Re-apply each ``ROLE_PERMISSIONS`` mapping found in a migration module when missing."""
    import importlib
    from pathlib import Path

    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group

    from congan.org import roles

    if Group.objects.filter(name__in=roles.ALL_ROLES).count() == len(roles.ALL_ROLES):
        return
    for migration in sorted(Path(__file__).parent.glob("congan/*/migrations/0*.py")):
        module = importlib.import_module(".".join(migration.relative_to(Path(__file__).parent).with_suffix("").parts))
        if hasattr(module, "ROLE_PERMISSIONS"):
            roles.grant_role_permissions(django_apps, module.ROLE_PERMISSIONS)


@pytest.fixture
def db(db):
    _restore_roles()
    return db


@pytest.fixture
def transactional_db(transactional_db):
    _restore_roles()
    return transactional_db
