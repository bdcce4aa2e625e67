"""Reads of the documents module, unit-scoped: an officer sees the incoming documents of their
unit's subtree, and a classified entry only when their clearance reaches its level (each view of
one is audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, SmallIntegerField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from congan.core.audit import audit_record
from congan.core.errors import NotFound, ValidationFailed
from congan.core.scoping import scope_to_viewer, sees_all_units
from congan.core.text import fold
from congan.documents import symbols
from congan.documents.models import REGISTERED_STATUSES, DocumentType, IncomingDocument, NumberSeries, Urgency
from congan.org.models import Unit

VIEW = "documents.view_incomingdocument"
REGISTER = "documents.add_incomingdocument"


def clearance_of(viewer: Any) -> int:
    return int(getattr(viewer, "clearance", 0) or 0)


def incoming_visible(*, viewer: Any) -> QuerySet[IncomingDocument]:
    """Every incoming document the viewer may read: their units', up to their clearance."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm(VIEW):
        return IncomingDocument.objects.none()
    if sees_all_units(viewer):
        documents = IncomingDocument.objects.all()
    else:
        # The subtree's unit ids, read first: ``unit_id IN (…)`` (``=`` for a commune) lets the
        # register be read in the order of its index; a join on the units' paths would sort.
        documents = IncomingDocument.objects.filter(unit_id__in=subtree_ids(viewer))
    documents = documents.filter(classification__lte=clearance_of(viewer))
    return access_listed(
        documents, viewer=viewer, always=Q(registered_by_id=viewer.pk) | Q(recipient_officer_id=viewer.pk)
    )


def access_listed(documents: QuerySet[Any], *, viewer: Any, always: Q) -> QuerySet[Any]:
    """Leave out the restricted documents (an access list set) that name neither the viewer nor one
    of the viewer's units or the units above it; ``always`` is who sees the document anyway (its
    drafter, its signer, its clerk)."""
    model = documents.model
    officers = model.allowed_officers.through
    units = model.allowed_units.through
    own = f"{model._meta.model_name}_id"
    unit = getattr(viewer, "unit", None)
    paths = []
    if unit is not None:
        segments = unit.path.split(".")[:-1]
        paths = [".".join(segments[: index + 1]) + "." for index in range(len(segments))]
    listed = Q(pk__in=officers.objects.filter(officer_id=viewer.pk).values(own))
    if paths:
        listed |= Q(pk__in=units.objects.filter(unit__path__in=paths).values(own))
    return documents.filter(Q(restricted=False) | always | listed)


def subtree_ids(viewer: Any) -> list[int]:
    return list(scope_to_viewer(Unit.objects.all(), viewer=viewer, unit_field="").values_list("pk", flat=True))


def type_abbreviations() -> list[str]:
    return [
        abbreviation for abbreviation in DocumentType.objects.values_list("abbreviation", flat=True) if abbreviation
    ]


def document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(active=True).order_by("order", "name")


@dataclass(frozen=True)
class RegisterFilters:
    book: str = "ordinary"  # "ordinary", "secret" (the classified register) or "received" (not registered yet)
    year: int | None = None  # the register's year (Decree 30: one register a year); None: every year
    q: str = ""
    issuer: str = ""
    document_type: int | None = None
    urgency: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    mine: bool = False  # handed to the viewer (or their unit), not acknowledged yet
    pending_urgent: bool = False  # urgent, not acknowledged yet


BOOKS = ("ordinary", "secret", "received")


def urgent_pending_first(documents: QuerySet[IncomingDocument]) -> QuerySet[IncomingDocument]:
    """The register's own order: urgent documents nobody has acknowledged yet first (Hỏa tốc before
    Khẩn), then the newest arrivals."""
    return documents.order_by("-pending_urgency", "-received_on", "-arrival_number", "-pk")


def incoming_register(*, viewer: Any, filters: RegisterFilters) -> QuerySet[IncomingDocument]:
    """One register of the viewer's units, filtered; ordered urgent-and-pending first."""
    documents = incoming_visible(viewer=viewer).filter(withdrawn_at__isnull=True)  # a recalled one left
    if filters.book == "received":
        documents = documents.filter(status=IncomingDocument.Status.RECEIVED)
    else:
        # Every status but received (REGISTERED_STATUSES), written so the register_order index serves it.
        documents = documents.exclude(status=IncomingDocument.Status.RECEIVED).filter(secret=filters.book == "secret")
        if filters.year:
            # Typed as the column (smallint), so the year-and-words index (btree_gin) serves it.
            documents = documents.filter(year=Cast(Value(filters.year), SmallIntegerField()))
    if filters.q:
        documents = documents.filter(search_folded__contains=fold(filters.q))
    if filters.issuer:
        documents = documents.filter(issuer_folded__contains=fold(filters.issuer))
    if filters.document_type:
        documents = documents.filter(document_type_id=filters.document_type)
    if filters.urgency is not None:
        documents = documents.filter(urgency=filters.urgency)
    if filters.date_from:
        documents = documents.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(received_on__lte=filters.date_to)
    if filters.mine:
        documents = documents.filter(pk__in=awaiting_acknowledgement(viewer=viewer).values("pk"))
    if filters.pending_urgent:
        documents = documents.filter(urgency__gt=Urgency.NORMAL, acknowledged_at__isnull=True)
    documents = documents.select_related("document_type", "unit", "recipient_unit", "recipient_officer")
    return urgent_pending_first(documents.select_related("acknowledged_by"))


def register_years(*, viewer: Any) -> list[int]:
    """The years the viewer's incoming registers hold, newest first (this year always): read from
    the registers' number series, a row per unit and year, not from the entries."""
    this_year = timezone.localdate().year
    series = NumberSeries.objects.filter(book=NumberSeries.Book.INCOMING)
    if not sees_all_units(viewer):
        series = series.filter(unit_id__in=subtree_ids(viewer))
    return sorted({this_year, *series.values_list("year", flat=True).distinct()}, reverse=True)


def incoming_open(*, viewer: Any, document_id: int, purpose: str = "view") -> IncomingDocument:
    """One incoming document the viewer may read (NotFound otherwise, whether it is missing, another
    unit's or above their clearance). Opening a classified entry is audited."""
    try:
        document = (
            incoming_visible(viewer=viewer)
            .select_related(
                "document_type",
                "unit",
                "recipient_unit",
                "recipient_officer",
                "acknowledged_by",
                "registered_by",
            )
            .get(pk=document_id)
        )
    except IncomingDocument.DoesNotExist as exc:
        raise NotFound() from exc
    if document.is_classified:
        audit_record(
            actor=viewer,
            action="documents.incoming.read_classified",
            target=document,
            details={"how": purpose, "classification": document.classification},
        )
    return document


def audit_classified_shown(*, viewer: Any, documents: list[IncomingDocument], how: str) -> None:
    """A list, export or register print that shows classified entries leaves one audit event with
    their ids (ordinary entries are not personal data and are not audited when read)."""
    audit_classified_listed(viewer=viewer, documents=documents, how=how, book="incoming")


def audit_classified_listed(*, viewer: Any, documents: list[Any], how: str, book: str) -> None:
    """One audit event naming the classified documents (of the ``incoming`` or ``outgoing`` book) a
    list, export or print showed."""
    shown = [document.pk for document in documents if document.is_classified]
    if shown:
        audit_record(
            actor=viewer,
            action=f"documents.{book}.list_classified",
            target_type=f"documents.{book}document",
            target_id=str(shown[0]),
            unit=getattr(viewer, "unit", None),
            details={"how": how, "ids": shown},
        )


def possible_duplicates(
    *,
    unit: Any,
    number: int | None,
    notation: str,
    issuer_name: str,
    issuer_agency_id: str,
    year: int,
    exclude_id: int | None = None,
) -> list[IncomingDocument]:
    """Entries of the unit's register with the same number, symbol, issuer and year (Decree 30,
    Appendix VI: the duplicate alarm). An issuer is the same by its folded name or, when both carry
    one, by its agency identifier."""
    if number is None or not notation:
        return []
    same = IncomingDocument.objects.filter(unit=unit, number=number, notation__iexact=notation).filter(
        Q(issued_on__year=year) | Q(issued_on__isnull=True, received_on__year=year)
    )
    same_issuer = Q(issuer_folded=fold(issuer_name))
    if issuer_agency_id:
        same_issuer |= Q(issuer_agency_id=issuer_agency_id)
    if exclude_id:
        same = same.exclude(pk=exclude_id)
    return list(same.filter(same_issuer).order_by("received_on", "pk")[:5])


def by_symbol(*, viewer: Any, text: str) -> QuerySet[IncomingDocument]:
    """The viewer's incoming documents whose number and symbol is ``text`` (read by the grammar);
    none when ``text`` is no symbol."""
    try:
        parsed = symbols.parse(text, abbreviations=type_abbreviations())
    except ValidationFailed:  # what does not read as a symbol finds nothing
        return IncomingDocument.objects.none()
    documents = incoming_visible(viewer=viewer).filter(notation__iexact=parsed.notation)
    if parsed.number is not None:
        documents = documents.filter(number=parsed.number)
    return documents.select_related("document_type").order_by("-received_on", "-pk")


def incoming_counts(*, viewer: Any) -> dict[str, int]:
    """Figures of the viewer's registers: waiting to be registered, registered today, urgent ones
    nobody has acknowledged, and those handed to the viewer awaiting their acknowledgement."""
    documents = incoming_visible(viewer=viewer).filter(withdrawn_at__isnull=True)
    today = timezone.localdate()
    registered = REGISTERED_STATUSES
    received = IncomingDocument.Status.RECEIVED
    # One count per figure, each answered by its own index (incoming_unit_day, the partial
    # incoming_unacknowledged…): one aggregate with FILTERs would read the whole register.
    figures = {
        "received": documents.filter(status=received).count(),
        "received_urgent": documents.filter(status=received, urgency__gt=Urgency.NORMAL).count(),
        "today": documents.filter(status__in=registered, received_on=today).count(),
        "urgent_pending": documents.filter(
            status__in=registered, urgency__gt=Urgency.NORMAL, acknowledged_at__isnull=True
        ).count(),
        "not_handed": documents.filter(
            status__in=registered, acknowledged_at__isnull=True, handed_at__isnull=True
        ).count(),
        "mine": awaiting_acknowledgement(viewer=viewer).count(),
    }
    return figures


def awaiting_acknowledgement(*, viewer: Any) -> QuerySet[IncomingDocument]:
    """Registered documents handed to the viewer (or to their unit, no officer named) that nobody
    has acknowledged yet."""
    unit_id = getattr(viewer, "unit_id", None)
    mine = Q(recipient_officer_id=viewer.pk)
    if unit_id is not None:
        mine |= Q(recipient_officer__isnull=True, recipient_unit_id=unit_id)
    return incoming_visible(viewer=viewer).filter(
        mine,
        status__in=REGISTERED_STATUSES,
        handed_at__isnull=False,
        acknowledged_at__isnull=True,
        withdrawn_at__isnull=True,
    )


def timeline(document: IncomingDocument) -> QuerySet:
    return document.events.select_related("officer").order_by("at", "pk")
