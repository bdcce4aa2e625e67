"""Factories of the documents module: rows made directly (fast, for lists and scope checks) and
entries registered through the service (for the rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congan.core.text import fold
from congan.documents import services
from congan.documents.models import DocumentType, IncomingDocument
from congan.documents.types import load_types
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def types_loaded() -> None:
    """The types the data migration loads; a transactional test (flushed tables) before this one
    on the same worker takes them away."""
    if not DocumentType.objects.exists():
        load_types(DocumentType)


def document_type(abbreviation: str = "QĐ") -> DocumentType:
    types_loaded()
    if not abbreviation:
        return DocumentType.objects.get(code="cong-van")
    return DocumentType.objects.get(abbreviation=abbreviation)


def pdf_upload(name: str = "quyet-dinh.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def clerk(unit, **fields: Any):
    return OfficerFactory(unit=unit, roles=[roles.CLERK], position="Văn thư", **fields)


class IncomingDocumentFactory(factory.django.DjangoModelFactory):
    """A registered entry written directly (no service, no audit): for pages and lists."""

    class Meta:
        model = IncomingDocument

    unit = None
    status = IncomingDocument.Status.REGISTERED
    received_on = factory.LazyFunction(timezone.localdate)
    year = factory.LazyAttribute(lambda o: o.received_on.year)
    arrival_number = factory.Sequence(lambda n: n + 1)
    issuer_name = "Công an thành phố Đà Nẵng"
    number = factory.Sequence(lambda n: 100 + n)
    notation = "QĐ-CATP-PV01"
    issued_on = factory.LazyAttribute(lambda o: o.received_on - dt.timedelta(days=1))
    document_type = factory.LazyFunction(lambda: document_type("QĐ"))
    subject = factory.Sequence(lambda n: f"Về việc triển khai kế hoạch bảo đảm an ninh trật tự số {n}")
    registered_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document.secret = document.classification > 0
        document.issuer_folded = fold(document.issuer_name)
        document.search_folded = fold(f"{document.subject} {document.issuer_name} {document.number_symbol}")
        if document.status == IncomingDocument.Status.RECEIVED:
            document.year = document.arrival_number = None
        document.save()
        return document


def entry(**overrides: Any) -> services.IncomingInput:
    """What a clerk types for a decision of the provincial police (overridable)."""
    values: dict[str, Any] = {
        "issuer_name": "Công an thành phố Đà Nẵng",
        "subject": "Quyết định thành lập tổ công tác bảo đảm an ninh Tết Nguyên đán",
        "document_type": document_type("QĐ"),
        "number_symbol": "15/QĐ-CATP-PV01",
        "received_on": timezone.localdate(),
        "issued_on": timezone.localdate() - dt.timedelta(days=2),
    }
    values.update(overrides)
    return services.IncomingInput(**values)


def register(by, **overrides: Any) -> services.Outcome:
    """Register an entry through the service; ``recipient_unit``, ``recipient_officer`` and
    ``confirm_not_duplicate`` go to the service, the rest to the entry."""
    options = {
        name: overrides.pop(name)
        for name in ("recipient_unit", "recipient_officer", "confirm_not_duplicate", "received_id")
        if name in overrides
    }
    return services.incoming_register(by=by, data=entry(**overrides), **options)


# --- outgoing documents ---------------------------------------------------------------------------


def leader_of(unit, **fields: Any):
    fields.setdefault("position", "Trưởng Công an phường")
    return OfficerFactory(unit=unit, roles=[roles.LEADER], **fields)


def drafter_of(unit, **fields: Any):
    return OfficerFactory(unit=unit, roles=[roles.SPECIALIST], position="Cán bộ", **fields)


def outgoing_input(**overrides: Any):
    from congan.documents import outgoing_services

    values: dict[str, Any] = {
        "document_type": document_type("QĐ"),
        "subject": "Quyết định thành lập tổ công tác bảo đảm an ninh Tết Nguyên đán",
        "body": "Căn cứ Luật Công an nhân dân;\nĐiều 1. Thành lập tổ công tác.\nĐiều 2. Có hiệu lực từ ngày ký.",
    }
    values.update(overrides)
    return outgoing_services.OutgoingInput(**values)


def outgoing_draft(by, **overrides: Any):
    from congan.documents import outgoing_services

    return outgoing_services.outgoing_draft(by=by, data=outgoing_input(**overrides))


def outgoing_signed(by, signer, **overrides: Any):
    """A draft taken through review, approval and the signer's sign-off (ready to issue)."""
    from congan.documents import outgoing_services

    overrides.setdefault("signer", signer)
    document = outgoing_draft(by, **overrides)
    outgoing_services.outgoing_submit(by=by, document_id=document.pk)
    outgoing_services.outgoing_approve(by=signer, document_id=document.pk)
    return outgoing_services.outgoing_sign(by=signer, document_id=document.pk)


class OutgoingDocumentFactory(factory.django.DjangoModelFactory):
    """An issued outgoing document written directly (no service, no audit): for pages and lists."""

    class Meta:
        model = "documents.OutgoingDocument"

    unit = None
    status = "issued"
    document_type = factory.LazyFunction(lambda: document_type("QĐ"))
    subject = factory.Sequence(lambda n: f"Về việc tăng cường tuần tra kiểm soát địa bàn số {n}")
    drafted_by = factory.LazyAttribute(lambda o: OfficerFactory(unit=o.unit))
    issued_on = factory.LazyFunction(timezone.localdate)
    year = factory.LazyAttribute(lambda o: o.issued_on.year if o.issued_on else None)
    number = factory.Sequence(lambda n: n + 1)
    notation = "QĐ-CAP"
    issued_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document.secret = document.classification > 0
        if document.status not in ("issued", "recalled"):
            document.number = document.year = document.issued_on = None
            document.notation = ""
        document.search_folded = fold(f"{document.subject} {document.number_symbol} {document.unit.name}")
        document.save()
        return document
