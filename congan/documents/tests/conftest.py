"""The registration path a test runs through: on PostgreSQL, suites marked
``usefixtures("registration_path")`` run twice, once through the one-statement path and once
through the ORM path (decision 0032), so every rule they prove holds on both; SQLite has the ORM
path only."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PATHS = ["one_statement", "orm"] if ON_POSTGRES else ["orm"]


@pytest.fixture(params=PATHS)
def registration_path(request, settings):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = request.param == "one_statement"
    return request.param
