"""Fixtures of the documents tests.

The registration path a test runs through: on PostgreSQL, suites marked
``usefixtures("registration_path")`` run twice, once through the one-statement path and once
through the ORM path (decision 0032), so every rule they prove holds on both; SQLite has the ORM
path only.

The tests that sign use the loopback PKI of congan.signatures (its root as the only trust root), so
that copies, attachments and closed registers are signed for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from congan.signatures.tests.conftest import pki, trusted  # noqa: F401 - the loopback PKI and its root

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PATHS = ["one_statement", "orm"] if ON_POSTGRES else ["orm"]


@pytest.fixture(params=PATHS)
def registration_path(request, settings):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = request.param == "one_statement"
    return request.param


@pytest.fixture
def signing(settings, tmp_path: Path, trusted) -> None:  # noqa: F811 - the imported fixture
    """Media in a temporary folder, no timestamp authority, verification offline, the test root trusted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_VERIFY_ONLINE = False
