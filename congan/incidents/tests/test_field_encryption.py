"""Sensitive fields are encrypted at rest with the site's field keys, and keys can be rotated."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from congan.incidents import services
from congan.incidents.models import Report

pytestmark = pytest.mark.django_db


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _raw_phone(report: Report) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM incidents_report WHERE id = %s", [report.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def report(province, commune):
    services.kinds_load(by="system")
    return services.report_submit(
        kind_code="GT.TAINAN",
        description="Va chạm xe máy ở ngã tư",
        commune_code="20194",
        client_token="enc",
        reporter_name="Lê Văn Tâm",
        reporter_phone="0905333444",
    ).report


def test_a_reporters_phone_is_stored_encrypted_and_read_back_in_clear(report):
    raw = _raw_phone(report)
    assert "0905333444" not in raw and raw.startswith("gAAAA")  # a Fernet token
    assert Report.objects.get(pk=report.pk).reporter_phone == "0905333444"
    assert Report.objects.filter(reporter_name="").count() == 0  # empty stays empty and comparable


def test_a_new_key_first_still_reads_old_values_and_reencrypting_moves_them(report, settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [_key(), old]
    assert Report.objects.get(pk=report.pk).reporter_phone == "0905333444"
    before = _raw_phone(report)
    call_command("reencrypt_fields", stdout=io.StringIO())
    assert _raw_phone(report) != before
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key removed
    assert Report.objects.get(pk=report.pk).reporter_phone == "0905333444"


def test_a_value_no_key_opens_is_a_configuration_error_not_garbage(report, settings):
    settings.FIELD_ENCRYPTION_KEYS = [_key()]
    with pytest.raises(ImproperlyConfigured):
        Report.objects.get(pk=report.pk)
