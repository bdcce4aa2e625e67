"""Reads of outgoing documents (văn bản đi), unit-scoped like the incoming register: an officer
sees the outgoing documents of their unit's subtree, a classified one only up to their clearance
(each view of one audited), and a restricted one only when its access list names them, one of
their units, or they drafted or sign it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from congan.core.audit import audit_record
from congan.core.errors import NotFound
from congan.core.scoping import scope_to_viewer
from congan.core.text import fold
from congan.documents.models import OutgoingComment, OutgoingDocument, OutgoingVersion
from congan.documents.selectors import access_listed, clearance_of

VIEW = "documents.view_outgoingdocument"
DRAFT = "documents.add_outgoingdocument"
SIGN = "documents.sign_outgoingdocument"
ISSUE = "documents.issue_outgoingdocument"
RECALL = "documents.recall_outgoingdocument"


def outgoing_visible(*, viewer: Any) -> QuerySet[OutgoingDocument]:
    """Every outgoing document the viewer may read."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm(VIEW):
        return OutgoingDocument.objects.none()
    documents = scope_to_viewer(OutgoingDocument.objects.all(), viewer=viewer)
    documents = documents.filter(classification__lte=clearance_of(viewer))
    always = Q(drafted_by_id=viewer.pk) | Q(signer_id=viewer.pk) | Q(issued_by_id=viewer.pk)
    if viewer.has_perm(ISSUE):  # the records clerk numbers and issues what was signed off
        always |= Q(status=OutgoingDocument.Status.SIGNED)
    return access_listed(documents, viewer=viewer, always=always)


@dataclass(frozen=True)
class OutgoingFilters:
    status: str = ""
    q: str = ""
    document_type: int | None = None
    urgency: int | None = None
    date_from: dt.date | None = None  # issued on, from
    date_to: dt.date | None = None
    secret: bool = False  # the register of classified documents
    mine: bool = False  # waiting for the viewer's approval or signature


def outgoing_register(*, viewer: Any, filters: OutgoingFilters) -> QuerySet[OutgoingDocument]:
    """The viewer's units' outgoing documents, filtered: the not yet issued first (most urgent
    first), then the issued ones newest first."""
    documents = outgoing_visible(viewer=viewer).filter(secret=filters.secret)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.q:
        documents = documents.filter(search_folded__contains=fold(filters.q))
    if filters.document_type:
        documents = documents.filter(document_type_id=filters.document_type)
    if filters.urgency is not None:
        documents = documents.filter(urgency=filters.urgency)
    if filters.date_from:
        documents = documents.filter(issued_on__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(issued_on__lte=filters.date_to)
    if filters.mine:
        documents = documents.filter(awaiting_me(viewer))
    return documents.select_related("document_type", "unit", "signer", "drafted_by").order_by(
        F("issued_on").desc(nulls_first=True), "-urgency", "-number", "-pk"
    )


def awaiting_me(viewer: Any) -> Q:
    """Drafts waiting for the viewer: to approve (in review, they sign) or to sign (approved)."""
    return Q(signer_id=viewer.pk, status__in=[OutgoingDocument.Status.IN_REVIEW, OutgoingDocument.Status.APPROVED])


def outgoing_open(*, viewer: Any, document_id: int, purpose: str = "view") -> OutgoingDocument:
    """One outgoing document the viewer may read (NotFound otherwise); a classified one is audited."""
    try:
        document = (
            outgoing_visible(viewer=viewer)
            .select_related("document_type", "unit", "unit__parent", "signer", "drafted_by", "approved_by")
            .get(pk=document_id)
        )
    except OutgoingDocument.DoesNotExist as exc:
        raise NotFound() from exc
    if document.is_classified:
        audit_record(
            actor=viewer,
            action="documents.outgoing.read_classified",
            target=document,
            details={"how": purpose, "classification": document.classification},
        )
    return document


def audit_classified_shown(*, viewer: Any, documents: list[OutgoingDocument], how: str) -> None:
    from congan.documents.selectors import audit_classified_listed

    audit_classified_listed(viewer=viewer, documents=documents, how=how, book="outgoing")


def versions(document: OutgoingDocument) -> list[OutgoingVersion]:
    comments = OutgoingComment.objects.select_related("author").order_by("at", "pk")
    return list(
        document.versions.select_related("created_by").prefetch_related(Prefetch("comments", queryset=comments))
    )


def deliveries(document: OutgoingDocument) -> QuerySet:
    return document.deliveries.select_related("unit").order_by("pk")


def timeline(document: OutgoingDocument) -> QuerySet:
    return document.events.select_related("officer").order_by("at", "pk")
