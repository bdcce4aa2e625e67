"""Reads of the population registry — unit-scoped; a profile read is audited with its purpose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from congan.core.audit import audit_read
from congan.core.models import AuditEvent
from congan.core.scoping import get_scoped_or_404, scope_to_viewer
from congan.core.text import fold
from congan.population.models import CitizenAccount, Household, HouseholdChange, ImportBatch, Resident
from congan.population.validation import PERSONAL_ID_RE

RESIDENT_TARGET = "population.resident"
# Opening the edit form shows the whole record: it is a read the citizen sees in "who viewed".
EDIT_VIEW_ACTION = "population.resident.edit_view"
SEARCH_COLUMNS = (
    "pk",
    "personal_id",
    "full_name",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "current_commune",
    "current_street",
    "unit_id",
    "status",
)


def resident_search(
    *, viewer: Any, q: str = "", personal_id: str = "", birth_year: int | None = None, commune: str = ""
) -> QuerySet[Resident]:
    """Residents in the viewer's units: name without diacritics (đ = d) or an exact ID number."""
    residents = scope_to_viewer(Resident.objects.all(), viewer=viewer)
    q = (q or "").strip()
    if PERSONAL_ID_RE.match(q):
        personal_id, q = q, ""
    if personal_id:
        residents = residents.filter(personal_id=personal_id.strip())
    if q:
        residents = residents.filter(full_name_folded__contains=fold(q))
    if birth_year:
        residents = residents.filter(birth_year=birth_year)
    if commune:
        residents = residents.filter(Q(current_commune=commune) | Q(permanent_commune=commune))
    return residents.only(*SEARCH_COLUMNS).order_by("sort_name", "pk")


def resident_profile(*, viewer: Any, resident_id: int, purpose: str) -> Resident:
    """One resident's full profile: an audited read of personal data that needs a purpose."""
    resident = get_scoped_or_404(
        Resident.objects.select_related("household", "household__head", "unit").prefetch_related(
            "residence_history", "changes", "household__members"
        ),
        viewer=viewer,
        pk=resident_id,
    )
    # The event belongs to the viewer's unit: leaders review their officers' reads, and the
    # citizen sees which unit looked them up.
    audit_read(
        actor=viewer,
        action="population.resident.view",
        target=resident,
        purpose=purpose,
        unit=getattr(viewer, "unit_id", None),
    )
    return resident


@dataclass(frozen=True)
class EnrichedValue:
    name: str
    value: str
    source_agency: str
    received_at: datetime | None
    batch_id: int | None


def resident_enriched_fields(*, resident: Resident) -> list[EnrichedValue]:
    """The values other agencies supplied, each with the batch that brought it (source, time)."""
    stored = resident.enriched or {}
    batch_ids = {entry.get("b") for entry in stored.values() if isinstance(entry, dict) and entry.get("b")}
    batches = {b.pk: b for b in ImportBatch.objects.filter(pk__in=batch_ids).only("source_agency", "started_at")}
    values = []
    for name in sorted(stored):
        entry = stored[name] if isinstance(stored[name], dict) else {"v": stored[name]}
        batch = batches.get(entry.get("b"))
        values.append(
            EnrichedValue(
                name=name,
                value=str(entry.get("v", "")),
                source_agency=batch.source_agency if batch else "",
                received_at=batch.started_at if batch else None,
                batch_id=entry.get("b"),
            )
        )
    return values


@dataclass(frozen=True)
class Lookup:
    occurred_at: datetime
    actor_type: str
    actor_label: str
    action: str
    purpose: str
    unit_id: int | None = None


def resident_lookup_history(*, resident: Resident, limit: int = 200) -> list[Lookup]:
    """Who looked this person up (officers and partner systems), newest first: audited single
    reads, and the per-person rows of partner batch calls (each call sealed by one audit event)."""
    from congan.population.models import PartnerLookup

    events = (
        AuditEvent.objects.filter(target_type=RESIDENT_TARGET, target_id=str(resident.pk))
        .filter(
            Q(action__endswith=".view")
            | Q(action=EDIT_VIEW_ACTION)
            | Q(action__startswith="population.identity")
            | Q(action__endswith=".read")
        )
        .order_by("-seq")
        .values("occurred_at", "actor_type", "actor_label", "action", "purpose", "unit_id")[:limit]
    )
    batch_rows = (
        PartnerLookup.objects.filter(resident=resident)
        .order_by("-occurred_at")
        .values("occurred_at", "actor_label", "action", "purpose")[:limit]
    )
    lookups = [Lookup(**event) for event in events]
    lookups += [Lookup(actor_type=AuditEvent.ActorType.API_KEY, **row) for row in batch_rows]
    lookups.sort(key=lambda lookup: lookup.occurred_at, reverse=True)
    return lookups[:limit]


def household_get(*, viewer: Any, household_id: int) -> Household:
    return get_scoped_or_404(Household.objects.select_related("head", "unit"), viewer=viewer, pk=household_id)


def household_members(*, household: Household) -> QuerySet[Resident]:
    return household.members.only(*SEARCH_COLUMNS, "relationship").order_by("birth_year", "pk")


def household_changes(*, household: Household, limit: int = 100) -> QuerySet[HouseholdChange]:
    """The household's typed changes (biến động hộ), newest effective date first."""
    return household.changes.select_related("resident", "recorded_by").order_by("-effective_date", "-pk")[:limit]


def resident_get_by_personal_id(*, personal_id: str, columns: tuple[str, ...]) -> dict[str, Any] | None:
    """Lean single-row read on the unique index for partner hot paths. NOT unit-scoped: callers
    are partner systems authorised by policy, not officers."""
    return Resident.objects.filter(personal_id=personal_id).values(*columns).first()


def population_figures(*, viewer: Any) -> dict[str, int]:
    """Counts for the dashboard, within the viewer's units: residents, households, profile views
    by officers of those units in the last 7 days, and import batches that need attention."""
    from datetime import timedelta

    from django.utils import timezone

    from congan.org.models import Unit

    units = scope_to_viewer(Unit.objects.all(), viewer=viewer, unit_field="")
    since = timezone.now() - timedelta(days=7)
    return {
        "residents": scope_to_viewer(Resident.objects.all(), viewer=viewer).count(),
        "households": scope_to_viewer(Household.objects.all(), viewer=viewer).count(),
        "profile_views": AuditEvent.objects.filter(
            action="population.resident.view", occurred_at__gte=since, unit_id__in=units.values("pk")
        ).count(),
        "imports_unfinished": scope_to_viewer(ImportBatch.objects.all(), viewer=viewer)
        .exclude(status=ImportBatch.Status.DONE)
        .count(),
    }


EDIT_PURPOSE = "Cập nhật thông tin công dân"


def resident_for_edit(*, viewer: Any, resident_id: int) -> Resident:
    """The record an officer is about to edit: unit-scoped, and audited as a read (the form shows it)."""
    resident = get_scoped_or_404(Resident.objects.select_related("unit"), viewer=viewer, pk=resident_id)
    audit_read(
        actor=viewer,
        action=EDIT_VIEW_ACTION,
        target=resident,
        purpose=EDIT_PURPOSE,
        unit=getattr(viewer, "unit_id", None),
    )
    return resident


def citizen_account_list(*, viewer: Any, personal_id: str = "", level: str = "") -> QuerySet[CitizenAccount]:
    """Accounts of residents in the officer's units; by exact ID number, and by level."""
    accounts = scope_to_viewer(
        CitizenAccount.objects.select_related("resident", "level2_confirmed_by"),
        viewer=viewer,
        unit_field="resident__unit",
    )
    if personal_id:
        accounts = accounts.filter(resident__personal_id=personal_id)
    if level in {"1", "2"}:
        accounts = accounts.filter(level=int(level))
    return accounts.order_by("-created_at", "-pk")
