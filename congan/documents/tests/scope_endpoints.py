"""Unit-scoped endpoints of the documents module, checked by congan/core/tests/test_scope_leak.py.

An incoming document belongs to the unit whose register it is in. The register (page, CSV, PDF),
the document page, its file, the form that registers a received entry, and the registration form's
choice of recipients (the officers of the clerk's own units) are each checked.
"""

from __future__ import annotations

import hashlib
from typing import Any

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


# --- outgoing documents ---------------------------------------------------------------------------


def _outgoing(unit):
    from congan.documents.tests.factories import OutgoingDocumentFactory

    return OutgoingDocumentFactory(unit=unit, subject=f"Văn bản đi kiểm tra {unit.code}")


def _outgoing_subject(document) -> str:
    return document.subject


def _outgoing_with_pdf(unit):
    document = _outgoing(unit)
    document.pdf.save("van-ban.pdf", ContentFile(f"%PDF-1.4 bản phát hành {document.subject}".encode()))
    return document


def _version_with_file(unit):
    from congan.documents.models import OutgoingVersion

    document = _outgoing(unit)
    version = OutgoingVersion(document=document, number=1, created_by=document.drafted_by, file_name="du-thao.pdf")
    version.file.save("du-thao.pdf", ContentFile(f"%PDF-1.4 dự thảo {document.subject}".encode()), save=False)
    version.save()
    return version


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
        name="documents.outgoing register page",
        make=_outgoing,
        marker=_outgoing_subject,
        list_url=lambda: reverse("documents:outgoing_register"),
        detail_url=lambda document: reverse("documents:outgoing", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.outgoing issued pdf",
        make=_outgoing_with_pdf,
        marker=_outgoing_subject,
        detail_url=lambda document: reverse("documents:outgoing_pdf", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.outgoing draft file",
        make=_version_with_file,
        marker=lambda version: version.document.subject,
        detail_url=lambda version: reverse("documents:outgoing_version_file", args=[version.document_id, version.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.outgoing draft form choices",
        make=lambda unit: OfficerFactory(unit=unit, full_name=f"Cán bộ được xem {unit.code}"),
        marker=lambda officer: officer.full_name,
        list_url=lambda: reverse("documents:outgoing_new"),
    )
)
register(
    ScopedEndpoint(
        name="documents.outgoing api",
        make=_outgoing,
        marker=_outgoing_subject,
        list_url=lambda: "/api/v1/documents/outgoing",
        detail_url=lambda document: f"/api/v1/documents/outgoing/{document.pk}",
    )
)
register(
    ScopedEndpoint(
        name="documents.register closures",
        make=_closure,
        marker=lambda closure: closure.file_sha256[:12],
        list_url=lambda: reverse("documents:register"),
        detail_url=lambda closure: reverse("documents:closure_pdf", args=[closure.pk]),
    )
)


# --- electronic copies, attachments, signed closures (decision 0031) ----------------------------


def _copy(unit, number: int = 1):
    from congan.documents.models import DocumentCopy
    from congan.documents.tests.factories import document_type

    marker = hashlib.sha256(f"ban-sao-{unit.code}-{number}".encode()).hexdigest()
    now = timezone.now()
    clerk: Any = OfficerFactory(unit=unit)
    copy = DocumentCopy(
        unit=unit,
        form=DocumentCopy.Form.SAO_Y,
        origin=DocumentCopy.Origin.PAPER,
        original_issuer=f"Cơ quan gốc {unit.code}",
        document_type=document_type("QĐ"),
        subject=f"Bản sao kiểm tra {unit.code}" + (f" số {number}" if number > 1 else ""),
        pages=1,
        year=now.year,
        number=number,
        notation=f"SY-{unit.code}",
        copied_on=timezone.localdate(),
        copied_at=now,
        copied_by=clerk,
        file_sha256=marker,
        source_sha256=marker,
    )
    copy.file.save("ban-sao.pdf", ContentFile(f"%PDF-1.4 bản sao {copy.subject}".encode()), save=False)
    copy.save()
    return copy


def _copy_subject(copy) -> str:
    return copy.subject


def _outgoing_attachment(unit):
    from congan.documents.models import OutgoingAttachment

    document = _outgoing(unit)
    attachment = OutgoingAttachment(
        document=document, order=1, title=f"Phụ lục kiểm tra {unit.code}", created_by=document.drafted_by
    )
    attachment.file.save("phu-luc.pdf", ContentFile(f"%PDF-1.4 phụ lục {document.subject}".encode()), save=False)
    attachment.save()
    return attachment


def _incoming_attachment(unit):
    from congan.documents.models import IncomingAttachment

    document = _incoming(unit)
    attachment = IncomingAttachment(document=document, order=1, title=f"Phụ lục đến {unit.code}")
    attachment.file.save("phu-luc.pdf", ContentFile(f"%PDF-1.4 phụ lục đến TG{unit.code}".encode()), save=False)
    attachment.save()
    return attachment


register(
    ScopedEndpoint(
        name="documents.copies page",
        make=_copy,
        marker=_copy_subject,
        list_url=lambda: reverse("documents:copies"),
        detail_url=lambda copy: reverse("documents:copy", args=[copy.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.copy pdf",
        make=_copy,
        marker=_copy_subject,
        detail_url=lambda copy: reverse("documents:copy_pdf", args=[copy.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.copies api",
        make=_copy,
        marker=_copy_subject,
        list_url=lambda: "/api/v1/documents/copies",
        detail_url=lambda copy: f"/api/v1/documents/copies/{copy.pk}",
    )
)
register(
    ScopedEndpoint(
        name="documents.copy file api",
        make=_copy,
        marker=lambda copy: copy.file_sha256,
        detail_url=lambda copy: f"/api/v1/documents/copies/{copy.pk}/file",
    )
)
register(
    ScopedEndpoint(
        name="documents.copy form of an outgoing document",
        make=_outgoing,
        marker=_outgoing_subject,
        detail_url=lambda document: reverse("documents:outgoing_copy", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.copy form of an incoming document",
        make=_incoming,
        marker=lambda document: document.subject,
        detail_url=lambda document: reverse("documents:incoming_copy", args=[document.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.outgoing attachment file",
        make=_outgoing_attachment,
        marker=lambda attachment: attachment.document.subject,
        detail_url=lambda a: reverse("documents:outgoing_attachment", args=[a.document_id, a.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.incoming attachment file",
        make=_incoming_attachment,
        marker=lambda attachment: f"TG{attachment.document.unit.code}",
        detail_url=lambda a: reverse("documents:incoming_attachment", args=[a.document_id, a.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.register closure page",
        make=_closure,
        marker=lambda closure: closure.file_sha256,
        detail_url=lambda closure: reverse("documents:closure", args=[closure.pk]),
    )
)
register(
    ScopedEndpoint(
        name="documents.register closures api",
        make=_closure,
        marker=lambda closure: closure.file_sha256,
        list_url=lambda: "/api/v1/documents/closures",
        detail_url=lambda closure: f"/api/v1/documents/closures/{closure.pk}",
    )
)
