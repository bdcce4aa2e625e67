"""The Django admin shows the audit log read-only: no add, change or delete, superusers included."""

from __future__ import annotations

import pytest

from congan.core.audit import audit_record
from congan.core.audit.chain import verify
from congan.core.models import AuditEvent

CHANGELIST = "/admin/core/auditevent/"


@pytest.fixture(params=["admin_officer", "superuser"])
def staff_client(request, client, province, make_officer, verified_login):
    if request.param == "superuser":
        user = make_officer(unit=province, is_staff=True, is_superuser=True)
    else:
        user = request.getfixturevalue("admin_officer")
    verified_login(client, user)
    return client


@pytest.fixture
def event(db) -> AuditEvent:
    return audit_record(actor="system", action="test.admin", purpose="Ban đầu", details={"k": "v"})


def _snapshot() -> list[tuple]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "purpose", "details", "hash"))


def test_admin_lists_and_shows_events_read_only(staff_client, event):
    listing = staff_client.get(CHANGELIST)
    detail = staff_client.get(f"{CHANGELIST}{event.pk}/change/")

    assert listing.status_code == 200
    assert "test.admin" in listing.content.decode()
    assert detail.status_code == 200
    body = detail.content.decode()
    assert 'name="_save"' not in body
    assert 'name="purpose"' not in body  # shown as text, not as an input
    assert "/delete/" not in body


def test_admin_refuses_to_change_an_event(staff_client, event):
    before = _snapshot()

    response = staff_client.post(f"{CHANGELIST}{event.pk}/change/", {"purpose": "Đã sửa", "action": "test.admin"})

    assert response.status_code == 403
    assert _snapshot() == before


def test_admin_refuses_to_delete_an_event(staff_client, event):
    before = _snapshot()

    page = staff_client.get(f"{CHANGELIST}{event.pk}/delete/")
    response = staff_client.post(f"{CHANGELIST}{event.pk}/delete/", {"post": "yes"})

    assert page.status_code == 403
    assert response.status_code == 403
    assert _snapshot() == before
    assert verify()[1] is None


def test_admin_bulk_delete_action_is_not_offered_and_deletes_nothing(staff_client, event):
    before = _snapshot()

    listing = staff_client.get(CHANGELIST)
    staff_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})

    assert "delete_selected" not in listing.content.decode()
    assert _snapshot() == before


def test_admin_refuses_to_add_an_event(staff_client, db):
    count = AuditEvent.objects.count()

    page = staff_client.get(f"{CHANGELIST}add/")
    response = staff_client.post(f"{CHANGELIST}add/", {"seq": 999, "action": "forged", "hash": "f" * 64})

    assert page.status_code == 403
    assert response.status_code == 403
    assert AuditEvent.objects.count() == count
