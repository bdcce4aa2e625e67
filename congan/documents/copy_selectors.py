"""Reads of electronic copies (bản sao điện tử, decision 0031), unit-scoped: an officer sees the copies
their unit's subtree made, and a copy of a document behind an access list only when they may read
that document. Opening a copy's file is audited (every download)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from congan.core.audit import audit_record
from congan.core.errors import NotFound
from congan.core.scoping import scope_to_viewer
from congan.core.text import fold
from congan.documents.models import DocumentCopy, IncomingDocument, OutgoingDocument

VIEW = "documents.view_documentcopy"
MAKE = "documents.add_documentcopy"


def copies_visible(*, viewer: Any) -> QuerySet[DocumentCopy]:
    """Every copy the viewer may read."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm(VIEW):
        return DocumentCopy.objects.none()
    from congan.documents.outgoing_selectors import outgoing_visible
    from congan.documents.selectors import incoming_visible

    copies = scope_to_viewer(DocumentCopy.objects.all(), viewer=viewer)
    outgoing = OutgoingDocument.objects.filter(restricted=True).exclude(pk__in=outgoing_visible(viewer=viewer))
    incoming = IncomingDocument.objects.filter(restricted=True).exclude(pk__in=incoming_visible(viewer=viewer))
    # A copy of a restricted document follows the document's access list.
    return copies.exclude(Q(source_outgoing__in=outgoing) | Q(source_incoming__in=incoming))


@dataclass(frozen=True)
class CopyFilters:
    form: str = ""
    origin: str = ""
    q: str = ""
    date_from: dt.date | None = None  # copied on, from
    date_to: dt.date | None = None


def copy_list(*, viewer: Any, filters: CopyFilters) -> QuerySet[DocumentCopy]:
    """The viewer's units' copies, newest first."""
    copies = copies_visible(viewer=viewer)
    if filters.form:
        copies = copies.filter(form=filters.form)
    if filters.origin:
        copies = copies.filter(origin=filters.origin)
    if filters.q:
        copies = copies.filter(search_folded__contains=fold(filters.q))
    if filters.date_from:
        copies = copies.filter(copied_on__gte=filters.date_from)
    if filters.date_to:
        copies = copies.filter(copied_on__lte=filters.date_to)
    return copies.select_related("unit", "document_type", "copied_by").order_by("-copied_at", "-pk")


def copy_open(*, viewer: Any, copy_id: int) -> DocumentCopy:
    """One copy the viewer may read (NotFound otherwise)."""
    copy = (
        copies_visible(viewer=viewer)
        .select_related("unit", "document_type", "copied_by", "source_outgoing", "source_incoming")
        .filter(pk=copy_id)
        .first()
    )
    if copy is None:
        raise NotFound()
    return copy


def copy_download(*, viewer: Any, copy_id: int, how: str) -> DocumentCopy:
    """The copy whose file the viewer takes (page or API): every download is audited."""
    copy = copy_open(viewer=viewer, copy_id=copy_id)
    audit_record(
        actor=viewer,
        action="documents.copy.download",
        target=copy,
        unit=copy.unit,
        details={"how": how, "number_symbol": copy.number_symbol, "sha256": copy.file_sha256},
    )
    return copy


def copies_of(*, viewer: Any, document: OutgoingDocument | IncomingDocument) -> list[DocumentCopy]:
    """The copies made of one document (shown on its page)."""
    field = "source_outgoing" if isinstance(document, OutgoingDocument) else "source_incoming"
    return list(
        copies_visible(viewer=viewer)
        .filter(**{field: document})
        .select_related("copied_by", "unit")
        .order_by("-copied_at", "-pk")
    )


def received_entries(copy: DocumentCopy) -> QuerySet[IncomingDocument]:
    """Where the copy was sent inside the platform: each unit's incoming entry (received, registered
    with its arrival number, acknowledged), the copy's read receipts."""
    return copy.received_entries.select_related("unit").order_by("pk")
