"""The documents module in the platform's full-text search (congan.search, decision 0034): incoming
and outgoing documents are two kinds of entries. What is searchable: the number and symbol, the
abstract (trích yếu), the issuer, the note, and the text layer of the PDF (an incoming entry's file;
an outgoing draft's text, or its PDF when it was uploaded as one). What is never indexed: a
classified document (Mật and above: not one word of its metadata), a withdrawn incoming entry.

The module's write paths call ``index_incoming`` / ``index_outgoing`` in their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.documents import outgoing_selectors, selectors
from congan.documents.models import Classification, DocumentType, IncomingDocument, OutgoingDocument, OutgoingVersion
from congan.search import providers, services
from congan.search.pdftext import pdf_text
from congan.search.providers import Attachment, Entry, Grants

INCOMING = "documents.incoming"
OUTGOING = "documents.outgoing"


def index_incoming(*ids: int) -> None:
    services.index_upsert(kind=INCOMING, ids=ids)


def index_outgoing(*ids: int) -> None:
    services.index_upsert(kind=OUTGOING, ids=ids)


def _title(number_symbol: str, subject: str) -> str:
    return f"{number_symbol} · {subject}" if number_symbol else subject


def _pdf(field_file: Any, sha256: str) -> Attachment | None:
    if not field_file or not sha256 or not field_file.name.lower().endswith(".pdf"):
        return None
    return Attachment(sha256=sha256, read_text=lambda: pdf_text(field_file))


def _types() -> list[tuple[str, str]]:
    return list(DocumentType.objects.order_by("order", "name").values_list("code", "name"))


class IncomingDocuments(providers.Provider):
    kind = INCOMING
    label = _("Văn bản đến")
    permission = selectors.VIEW

    def entries(self, ids: Iterable[int]) -> Iterator[tuple[int, Entry | None]]:
        ids = list(ids)
        found = {
            document.pk: document
            for document in IncomingDocument.objects.filter(pk__in=list(ids))
            .select_related("document_type")
            .prefetch_related("allowed_officers", "allowed_units")
        }
        for pk in ids:
            document = found.get(pk)
            yield pk, (self.entry(document) if document is not None else None)

    def entry(self, document: IncomingDocument) -> Entry | None:
        if document.classification > Classification.NORMAL or document.withdrawn_at is not None:
            return None
        officers = {officer.pk for officer in document.allowed_officers.all()}
        officers |= {pk for pk in (document.registered_by_id, document.recipient_officer_id) if pk}
        return Entry(
            source_id=document.pk,
            unit_id=document.unit_id,
            title=_title(document.number_symbol, document.subject),
            url_name="documents:incoming",
            day=document.received_on,
            type_code=document.document_type.code,
            type_label=document.document_type.name,
            subtitle=document.issuer_name,
            body="\n".join(part for part in (document.issuer_name, document.note) if part),
            attachment=_pdf(document.file, document.file_sha256),
            restricted=document.restricted,
            grants=Grants(
                officers=frozenset(officers),
                units=frozenset(unit.pk for unit in document.allowed_units.all()),
            ),
        )

    def all_ids(self) -> Iterator[int]:
        documents = IncomingDocument.objects.filter(classification=Classification.NORMAL, withdrawn_at__isnull=True)
        return documents.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)

    def visible_ids(self, viewer: Any, ids: list[int]) -> set[int]:
        visible = selectors.incoming_visible(viewer=viewer).filter(pk__in=ids, withdrawn_at__isnull=True)
        return set(visible.values_list("pk", flat=True))

    def types(self) -> list[tuple[str, str]]:
        return _types()


class OutgoingDocuments(providers.Provider):
    kind = OUTGOING
    label = _("Văn bản đi")
    permission = outgoing_selectors.VIEW
    grant_permissions = (outgoing_selectors.ISSUE,)

    def entries(self, ids: Iterable[int]) -> Iterator[tuple[int, Entry | None]]:
        ids = list(ids)
        latest = OutgoingVersion.objects.order_by("-number")
        found = {
            document.pk: document
            for document in OutgoingDocument.objects.filter(pk__in=list(ids))
            .select_related("document_type", "signer")
            .prefetch_related("allowed_officers", "allowed_units", Prefetch("versions", queryset=latest))
        }
        for pk in ids:
            document = found.get(pk)
            yield pk, (self.entry(document) if document is not None else None)

    def entry(self, document: OutgoingDocument) -> Entry | None:
        if document.classification > Classification.NORMAL:
            return None
        versions = list(document.versions.all())  # newest first
        text = next((version.body for version in versions if version.body), "")
        attachment = None
        if versions and not versions[0].body:
            attachment = _pdf(versions[0].file, versions[0].file_sha256)
        officers = {officer.pk for officer in document.allowed_officers.all()}
        officers |= {pk for pk in (document.drafted_by_id, document.signer_id, document.issued_by_id) if pk}
        signed = document.status == OutgoingDocument.Status.SIGNED
        return Entry(
            source_id=document.pk,
            unit_id=document.unit_id,
            title=_title(document.number_symbol, document.subject),
            url_name="documents:outgoing",
            day=document.issued_on or timezone.localdate(document.created_at),
            type_code=document.document_type.code,
            type_label=document.document_type.name,
            subtitle=" ".join(part for part in (document.signer_title, _name(document.signer)) if part),
            body=text,
            attachment=attachment,
            restricted=document.restricted,
            grants=Grants(
                officers=frozenset(officers),
                units=frozenset(unit.pk for unit in document.allowed_units.all()),
                permissions=frozenset({outgoing_selectors.ISSUE} if signed else set()),
            ),
        )

    def all_ids(self) -> Iterator[int]:
        documents = OutgoingDocument.objects.filter(classification=Classification.NORMAL)
        return documents.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)

    def visible_ids(self, viewer: Any, ids: list[int]) -> set[int]:
        visible = outgoing_selectors.outgoing_visible(viewer=viewer).filter(pk__in=ids)
        return set(visible.values_list("pk", flat=True))

    def types(self) -> list[tuple[str, str]]:
        return _types()


def _name(officer: Any) -> str:
    return getattr(officer, "full_name", "") if officer is not None else ""


providers.register(IncomingDocuments())
providers.register(OutgoingDocuments())
