"""Unit-scoped endpoints of the warnings module, checked by congan/core/tests/test_scope_leak.py.

Drafts and the officers' views of alerts belong to the unit that composed them; the public list,
page, CAP XML and feed show published alerts to everyone and are not registered here.
"""

from __future__ import annotations

from django.urls import reverse

from congan.alerts import services
from congan.alerts.tests.conftest import alert_data
from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.org import roles
from congan.org.tests.factories import OfficerFactory


def _draft(unit):
    author = OfficerFactory(unit=unit, roles=[roles.DISPATCHER])
    data = alert_data(headline=f"Cảnh báo kiểm tra {unit.code}", commune_codes=[unit.area_code])
    return services.alert_save(by=author, data=data)


def _headline(alert) -> str:
    return alert.headline


register(
    ScopedEndpoint(
        name="alerts.manage pages",
        make=_draft,
        marker=_headline,
        list_url=lambda: reverse("alerts:manage"),
        detail_url=lambda alert: reverse("alerts:manage_detail", args=[alert.pk]),
    )
)
register(
    ScopedEndpoint(
        name="alerts.edit page",
        make=_draft,
        marker=_headline,
        detail_url=lambda alert: reverse("alerts:edit", args=[alert.pk]),
    )
)
register(
    ScopedEndpoint(
        name="alerts.alert_drafts api",
        make=_draft,
        marker=_headline,
        detail_url=lambda alert: f"/api/v1/alert-drafts/{alert.pk}",
    )
)
