"""Unit-scoped endpoints of the documents module, checked by congan/core/tests/test_scope_leak.py.

An incoming document belongs to the unit whose register it is in. The register (page, CSV, PDF),
the document page, its file, the form that registers a received entry, and the registration form's
choice of recipients (the officers of the clerk's own units) are each checked.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import IncomingDocumentFactory
from congan.org.tests.factories import OfficerFactory


def _incoming(unit):
    return IncomingDocumentFactory(unit=unit, issuer_name=f"TG{unit.code}", subject=f"Văn bản kiểm tra {unit.code}")


def _received(unit):
    return IncomingDocumentFactory(
        unit=unit,
        status=IncomingDocument.Status.RECEIVED,
        issuer_name=f"TG{unit.code}",
        subject=f"Văn bản chờ vào sổ {unit.code}",
    )


def _with_file(unit):
    document = _incoming(unit)
    document.file.save("van-ban.pdf", ContentFile(f"%PDF-1.4 tệp kiểm tra TG{unit.code}".encode()))
    return document


def _issuer(document: IncomingDocument) -> str:
    return document.issuer_name


register(
    ScopedEndpoint(
        name="documents.incoming register page",
        make=_incoming,
        marker=_issuer,
        list_url=lambda: reverse("documents:register"),
        detail_url=lambda document: reverse("documents:incoming", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.incoming register pdf",
        make=_incoming,
        marker=_issuer,
        list_url=lambda: reverse("documents:register_pdf"),
    )
)
register(
    ScopedEndpoint(
        name="documents.incoming received entries",
        make=_received,
        marker=_issuer,
        list_url=lambda: reverse("documents:register") + "?book=received",
        detail_url=lambda document: reverse("documents:register_received", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.incoming file",
        make=_with_file,
        marker=_issuer,
        detail_url=lambda document: reverse("documents:incoming_file", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.registration form recipients",
        make=lambda unit: OfficerFactory(unit=unit, full_name=f"Cán bộ nhận {unit.code}"),
        marker=lambda officer: officer.full_name,
        list_url=lambda: reverse("documents:register_new"),
    )
)
register(
    ScopedEndpoint(
        name="documents.incoming api",
        make=_incoming,
        marker=_issuer,
        list_url=lambda: "/api/v1/documents/incoming",
        detail_url=lambda document: f"/api/v1/documents/incoming/{document.pk}",
    )
)


def _closure(unit):
    from congan.documents.models import RegisterClosure

    marker = hashlib.sha256(f"khoa-so-{unit.code}".encode()).hexdigest()
    today = timezone.localdate()
    closure = RegisterClosure(
        unit=unit,
        year=today.year,
        period_from=today,
        period_to=today,
        closed_by=OfficerFactory(unit=unit),
        file_sha256=marker,
    )
    closure.file.save("so.pdf", ContentFile(f"%PDF-1.4 sổ đã khóa {marker[:12]}".encode()), save=False)
    closure.save()
    return closure


register(
    ScopedEndpoint(
        name="documents.register closures",
        make=_closure,
        marker=lambda closure: closure.file_sha256[:12],
        list_url=lambda: reverse("documents:register"),
        detail_url=lambda closure: reverse("documents:closure_pdf", args=[closure.pk]),
    )
)
