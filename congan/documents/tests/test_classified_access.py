"""Classified entries (Mật, Tối mật, Tuyệt mật) are read only by officers whose clearance reaches
their level, and every reading of one is audited."""

from __future__ import annotations

import pytest

from congan.core.errors import NotFound
from congan.core.models import AuditEvent
from congan.documents import selectors
from congan.documents.models import Classification
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org import roles
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _reader(unit, clearance):
    return OfficerFactory(unit=unit, roles=[roles.SPECIALIST], clearance=clearance)


def test_an_officer_sees_entries_up_to_their_clearance(commune):
    ordinary = IncomingDocumentFactory(unit=commune)
    secret = IncomingDocumentFactory(unit=commune, classification=Classification.SECRET)
    top = IncomingDocumentFactory(unit=commune, classification=Classification.TOP_SECRET)
    assert set(selectors.incoming_visible(viewer=_reader(commune, Clearance.NONE))) == {ordinary}
    assert set(selectors.incoming_visible(viewer=_reader(commune, Clearance.SECRET))) == {ordinary, secret}
    assert set(selectors.incoming_visible(viewer=_reader(commune, Clearance.ULTRA_SECRET))) == {
        ordinary,
        secret,
        top,
    }


def test_an_entry_above_the_clearance_is_as_missing(commune):
    top = IncomingDocumentFactory(unit=commune, classification=Classification.TOP_SECRET)
    with pytest.raises(NotFound):
        selectors.incoming_open(viewer=_reader(commune, Clearance.SECRET), document_id=top.pk)


def test_opening_a_classified_entry_is_audited_an_ordinary_one_is_not(commune):
    reader = _reader(commune, Clearance.SECRET)
    secret = IncomingDocumentFactory(unit=commune, classification=Classification.SECRET)
    ordinary = IncomingDocumentFactory(unit=commune)
    selectors.incoming_open(viewer=reader, document_id=secret.pk)
    selectors.incoming_open(viewer=reader, document_id=ordinary.pk)
    events = AuditEvent.objects.filter(action="documents.incoming.read_classified")
    assert [(event.target_id, event.actor_id) for event in events] == [(str(secret.pk), str(reader.pk))]


def test_a_list_showing_classified_entries_is_audited_with_their_ids(commune):
    reader = _reader(commune, Clearance.SECRET)
    secret = IncomingDocumentFactory(unit=commune, classification=Classification.SECRET)
    ordinary = IncomingDocumentFactory(unit=commune)
    selectors.audit_classified_shown(viewer=reader, documents=[ordinary], how="list")
    assert not AuditEvent.objects.filter(action="documents.incoming.list_classified").exists()
    selectors.audit_classified_shown(viewer=reader, documents=[ordinary, secret], how="export")
    event = AuditEvent.objects.get(action="documents.incoming.list_classified")
    assert event.details == {"how": "export", "ids": [secret.pk]}


def test_ordinary_entries_follow_the_unit_scope(commune, other_commune, province):
    own = IncomingDocumentFactory(unit=commune)
    IncomingDocumentFactory(unit=other_commune)
    assert list(selectors.incoming_visible(viewer=_reader(commune, Clearance.NONE))) == [own]
    assert selectors.incoming_visible(viewer=_reader(province, Clearance.NONE)).count() == 2


def test_an_officer_without_the_read_permission_sees_nothing(commune):
    IncomingDocumentFactory(unit=commune)
    assert not selectors.incoming_visible(viewer=OfficerFactory(unit=commune)).exists()
