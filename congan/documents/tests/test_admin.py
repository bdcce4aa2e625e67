"""The documents admin: types are edited (and audited); incoming entries are read-only, scoped and
never classified."""

from __future__ import annotations

import pytest

from congan.core.models import AuditEvent
from congan.documents.models import Classification, DocumentType
from congan.documents.tests.factories import IncomingDocumentFactory, types_loaded
from congan.org.tests.otp import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(province):
    from congan.org.tests.factories import OfficerFactory

    return OfficerFactory(unit=province, is_staff=True, is_superuser=True)


def test_an_administrator_retires_a_type_and_it_is_audited(client, superuser):
    types_loaded()
    verified_login(client, superuser)
    notice = DocumentType.objects.get(abbreviation="TB")
    data = {"code": notice.code, "abbreviation": "TB", "name": "Thông báo", "kind": "document", "order": 7}
    response = client.post(f"/admin/documents/documenttype/{notice.pk}/change/", data)
    assert response.status_code == 302, response.content
    notice.refresh_from_db()
    assert notice.active is False
    assert AuditEvent.objects.filter(action="documents.type.change", target_id=str(notice.pk)).exists()


def test_the_admin_lists_no_classified_entry(client, superuser, commune):
    IncomingDocumentFactory(unit=commune, subject="Văn bản thường trong quản trị")
    IncomingDocumentFactory(unit=commune, subject="Văn bản mật trong quản trị", classification=Classification.SECRET)
    verified_login(client, superuser)
    page = client.get("/admin/documents/incomingdocument/").content.decode()
    assert "Văn bản thường trong quản trị" in page
    assert "Văn bản mật trong quản trị" not in page


def test_the_admin_lists_outgoing_documents_read_only_without_classified_or_restricted_ones(client, superuser, commune):
    from congan.documents.tests.factories import OutgoingDocumentFactory

    shown = OutgoingDocumentFactory(unit=commune, subject="Văn bản đi thường trong quản trị")
    OutgoingDocumentFactory(unit=commune, subject="Văn bản đi mật trong quản trị", classification=Classification.SECRET)
    OutgoingDocumentFactory(unit=commune, subject="Văn bản đi giới hạn trong quản trị", restricted=True)
    verified_login(client, superuser)
    page = client.get("/admin/documents/outgoingdocument/").content.decode()
    assert "Văn bản đi thường trong quản trị" in page
    assert "mật trong quản trị" not in page and "giới hạn trong quản trị" not in page
    detail = client.get(f"/admin/documents/outgoingdocument/{shown.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()


def test_the_admin_shows_copies_read_only_without_those_of_restricted_documents(client, superuser, commune):
    """Electronic copies (decision 0031) are made by the clerk's service only; a copy of a document
    behind an access list is not listed; the closures list shows who signed."""
    from congan.documents.tests.factories import OutgoingDocumentFactory
    from congan.documents.tests.scope_endpoints import _closure, _copy

    shown = _copy(commune)
    hidden = _copy(commune, number=2)
    hidden.subject = "Bản sao của văn bản giới hạn"
    hidden.source_outgoing = OutgoingDocumentFactory(unit=commune, restricted=True)
    hidden.origin = "outgoing"
    hidden.save()
    _closure(commune)
    verified_login(client, superuser)
    page = client.get("/admin/documents/documentcopy/").content.decode()
    assert shown.subject in page and hidden.subject not in page
    detail = client.get(f"/admin/documents/documentcopy/{shown.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get("/admin/documents/documentcopy/add/").status_code == 403
    assert client.get("/admin/documents/registerclosure/").status_code == 200
