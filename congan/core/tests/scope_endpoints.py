"""Unit-scoped pages of the kernel, checked by congan/core/tests/test_scope_leak.py.

See congan.core.testing.scope_leak for what is checked and how to add an endpoint.
"""

from __future__ import annotations

from django.urls import reverse

from congan.core.audit import audit_record
from congan.core.testing.scope_leak import ScopedEndpoint, register


def _event(unit):
    return audit_record(actor=None, action="scope.check", target_type="kiem-tra", target_id=f"{unit.code}.1", unit=unit)


register(
    ScopedEndpoint(
        name="core.audit_list page",
        make=_event,
        marker=lambda event: f"kiem-tra #{event.target_id}",
        list_url=lambda: reverse("core:audit_list"),
        permissions=("core.view_audit_log",),
    )
)
register(
    ScopedEndpoint(
        name="core.audit_list csv export",
        make=_event,
        marker=lambda event: f"kiem-tra #{event.target_id}",
        list_url=lambda: reverse("core:audit_list") + "?export=csv",
        permissions=("core.view_audit_log",),
    )
)
