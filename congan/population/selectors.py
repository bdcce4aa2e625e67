"""Reads of the population registry — unit-scoped; a profile read is audited with its purpose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congan.core.audit import audit_enqueue, audit_read, audit_record
from congan.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.core.scoping import get_scoped_or_404, scope_to_viewer
from congan.core.text import fold
from congan.population import verification
from congan.population.lookups import record_partner_lookups
from congan.population.models import (
    CitizenAccount,
    Household,
    HouseholdChange,
    ImportBatch,
    PartnerPolicy,
    Resident,
)
from congan.population.policies import policy_check
from congan.population.schemas import Declaration, VerifyBatchIn, VerifyIn
from congan.population.validation import PERSONAL_ID_RE

RESIDENT_TARGET = "population.resident"
HOUSEHOLD_TARGET = "population.household"
# Opening the edit form shows the whole record: it is a read the citizen sees in "who viewed".
EDIT_VIEW_ACTION = "population.resident.edit_view"
HOUSEHOLD_VIEW_ACTION = "population.household.view"
SEARCH_ACTION = "population.resident.search"
ACCOUNT_LIST_ACTION = "population.citizen_account.list"
# Audited reads of one person's data (the list views' events name no single target).
READ_ACTIONS = (
    Q(action__endswith=".view")
    | Q(action__endswith="_view")
    | Q(action__startswith="population.identity")
    | Q(action__endswith=".read")
)
SEARCH_PAGE_SIZE = 50
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


def resident_search_page(
    *, viewer: Any, q: str = "", birth_year: int | None = None, commune: str = "", page: Any = 1
) -> Page:
    """One page of search results, audited as one event with the residents it shows (no purpose
    is asked for a search; opening a person's pages asks for one)."""
    residents = resident_search(viewer=viewer, q=q, birth_year=birth_year, commune=commune)
    shown = Paginator(residents, SEARCH_PAGE_SIZE).get_page(page)
    shown.object_list = list(shown.object_list)
    audit_shown(
        viewer=viewer,
        action=SEARCH_ACTION,
        resident_ids=[resident.pk for resident in shown.object_list],
        details={"q": (q or "").strip()[:150], "birth_year": birth_year, "commune": commune, "page": shown.number},
    )
    return shown


def audit_shown(*, viewer: Any, action: str, resident_ids: list[int], details: dict[str, Any] | None = None) -> None:
    """One audit event for a list view of people: who looked, from which unit, at which residents.
    A list that shows nobody shows no personal data and is not recorded."""
    if not resident_ids:
        return
    audit_record(
        actor=viewer,
        action=action,
        target_type=RESIDENT_TARGET,
        unit=getattr(viewer, "unit_id", None),
        details={**(details or {}), "residents": sorted(set(resident_ids))},
    )


def resident_exists(*, viewer: Any, pk: int) -> bool:
    """Whether the resident is in the viewer's units (asked before any purpose: 404 otherwise)."""
    return scope_to_viewer(Resident.objects.all(), viewer=viewer).filter(pk=pk).exists()


def household_exists(*, viewer: Any, pk: int) -> bool:
    return scope_to_viewer(Household.objects.all(), viewer=viewer).filter(pk=pk).exists()


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
    who: str = ""  # the officer's name and unit, the partner's agency (never a login)


def resident_lookup_history(*, resident: Resident, limit: int = 200) -> list[Lookup]:
    """Who looked this person up (officers and partner systems), newest first: audited reads of
    their record, of their household's page, and of the records other apps register (their
    dossiers: congan.population.lookup_sources), and the per-person rows of partner batch calls
    (each call sealed by one audit event). Officers are named when shown, from the officer id."""
    from congan.population.lookup_sources import lookup_sources
    from congan.population.models import PartnerLookup

    targets = Q(target_type=RESIDENT_TARGET, target_id=str(resident.pk))
    if resident.household_id:
        targets |= Q(target_type=HOUSEHOLD_TARGET, target_id=str(resident.household_id))
    for source in lookup_sources():
        ids = source.target_ids(resident)
        if ids:
            targets |= Q(target_type=source.target_type, target_id__in=ids)
    events = [
        event
        for event in AuditEvent.objects.filter(targets)
        .filter(READ_ACTIONS)
        .order_by("-seq")
        .values("occurred_at", "actor_type", "actor_id", "actor_label", "action", "purpose", "unit_id", "details")[
            :limit
        ]
        if resident.pk in (event["details"] or {}).get("residents", [resident.pk])
    ]
    batch_rows = (
        PartnerLookup.objects.filter(resident=resident)
        .order_by("-occurred_at")
        .values("occurred_at", "actor_label", "action", "purpose")[:limit]
    )
    lookups = _named(events)
    lookups += [
        Lookup(actor_type=AuditEvent.ActorType.API_KEY, who=_agency(row["actor_label"]), **row) for row in batch_rows
    ]
    lookups.sort(key=lambda lookup: lookup.occurred_at, reverse=True)
    return lookups[:limit]


def _agency(label: str) -> str:
    """The partner's agency from the key's audit label "Agency (cgk_prefix)"."""
    return label.rsplit(" (", 1)[0]


def _named(events: Sequence[Mapping[str, Any]]) -> list[Lookup]:
    """The events as lookups, each with who did it as people read it, resolved now."""
    from congan.org.models import Unit
    from congan.org.selectors import officer_display_names

    officers = [e["actor_id"] for e in events if e["actor_type"] == AuditEvent.ActorType.OFFICER]
    names = officer_display_names(officer_ids=officers)
    unit_names = dict(
        Unit.objects.filter(pk__in={e["unit_id"] for e in events if e["unit_id"]}).values_list("pk", "name")
    )
    lookups = []
    for event in events:
        kind = event["actor_type"]
        if kind == AuditEvent.ActorType.OFFICER:
            pk = int(event["actor_id"]) if str(event["actor_id"]).isdigit() else None
            who = names.get(pk) or unit_names.get(event["unit_id"] or 0) or _("Cơ quan công an")
        elif kind == AuditEvent.ActorType.API_KEY:
            who = _agency(event["actor_label"])
        else:
            who = _("Hệ thống")
        fields = {
            name: event[name] for name in ("occurred_at", "actor_type", "actor_label", "action", "purpose", "unit_id")
        }
        lookups.append(Lookup(who=str(who), **fields))
    return lookups


def household_get(*, viewer: Any, household_id: int) -> Household:
    return get_scoped_or_404(Household.objects.select_related("head", "unit"), viewer=viewer, pk=household_id)


def household_members(*, household: Household) -> QuerySet[Resident]:
    return household.members.only(*SEARCH_COLUMNS, "relationship").order_by("birth_year", "pk")


def household_view(*, viewer: Any, household_id: int, purpose: str) -> tuple[Household, list[Resident]]:
    """A household with its members (their ID numbers and birth dates): an audited read that needs a
    purpose, one event naming the members shown, in the viewer's unit."""
    household = household_get(viewer=viewer, household_id=household_id)
    members = list(household_members(household=household))
    audit_read(
        actor=viewer,
        action=HOUSEHOLD_VIEW_ACTION,
        target=household,
        purpose=purpose,
        unit=getattr(viewer, "unit_id", None),
        details={"residents": [member.pk for member in members]},
    )
    return household, members


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


def resident_for_edit(*, viewer: Any, resident_id: int, purpose: str) -> Resident:
    """The record an officer is about to edit: unit-scoped, and audited as a read with the declared
    purpose (the form shows the whole record)."""
    resident = get_scoped_or_404(Resident.objects.select_related("unit"), viewer=viewer, pk=resident_id)
    audit_read(
        actor=viewer,
        action=EDIT_VIEW_ACTION,
        target=resident,
        purpose=purpose,
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


ACCOUNT_PAGE_SIZE = 50


def citizen_account_page(
    *, viewer: Any, accounts: QuerySet[CitizenAccount], page: Any, details: dict[str, Any]
) -> Page:
    """One page of the accounts list (``citizen_account_list``, sorted and dated by the page): ID
    numbers, names, birth dates, audited as one event with the filters in ``details``."""
    shown = Paginator(accounts, ACCOUNT_PAGE_SIZE).get_page(page)
    shown.object_list = list(shown.object_list)
    citizen_accounts_shown(viewer=viewer, accounts=shown.object_list, details={**details, "page": shown.number})
    return shown


def citizen_accounts_shown(*, viewer: Any, accounts: list[CitizenAccount], details: dict[str, Any]) -> None:
    """Audit one view of accounts, a page or an export (the same personal data): one event."""
    audit_shown(
        viewer=viewer,
        action=ACCOUNT_LIST_ACTION,
        resident_ids=[account.resident_id for account in accounts],
        details=details,
    )


# --- partner identity use cases (Đề án 06): verify, batch verify, read permitted fields --------------
# The ninja endpoints (congan.population.api) and the fast lane (congan.population.fast) adapt these.
# Every call declares a purpose and a legal basis, is checked against the key's PartnerPolicy, and is
# audited through the buffered writer with the purpose and the result, never the values.

MAX_BATCH = 1000


def _audit_partner(api_key: Any, *, action: str, record_pk: int | None, declaration: Any, details: dict) -> None:
    audit_enqueue(
        actor=api_key,
        action=action,
        target_type=RESIDENT_TARGET if record_pk else "",
        target_id=str(record_pk) if record_pk else "",
        purpose=declaration.purpose.strip(),
        details={"legal_basis": declaration.legal_basis.strip(), **details},
    )


def _item_problem(problem: verification.ItemProblem) -> ApplicationError:
    error = {403: PermissionDenied, 422: ValidationFailed}[problem.status]
    return error(problem.message, code=problem.code)


def identity_verify(*, api_key: Any, payload: VerifyIn) -> dict[str, Any]:
    """One verification for a partner whose key holds the scope: policy, compare, audit. The hot
    path of the partner API (bench/identity_verify.py): one policy lookup (cached), one prepared
    select, one buffered audit event."""
    policy = policy_check(
        api_key=api_key,
        operation=PartnerPolicy.Operation.VERIFY,
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
    )
    claim = payload.model_dump(exclude={"purpose", "legal_basis"})
    record = verification.records_by_id([payload.personal_id]).get(payload.personal_id)
    record_pk = record["pk"] if record else None
    try:
        result = verification.verify_item(claim, record, may_read_locked=policy.overrides_citizen_lock)
    except verification.ItemProblem as problem:
        _audit_partner(
            api_key,
            action="population.identity.verify",
            record_pk=record_pk,
            declaration=payload,
            details={"error": problem.code},
        )
        raise _item_problem(problem) from None
    _audit_partner(
        api_key,
        action="population.identity.verify",
        record_pk=record_pk,
        declaration=payload,
        details={"found": result["found"], "match": result["match"]},
    )
    return result


def identity_verify_batch(*, api_key: Any, payload: VerifyBatchIn) -> list[dict[str, Any]]:
    """Up to MAX_BATCH claims in one call: one result or one error per item, in order; one chained
    audit event for the call and one compact row per person for "who viewed"."""
    if len(payload.items) > MAX_BATCH:
        raise ValidationFailed(
            _("Tối đa %(n)d mục mỗi lần gọi.") % {"n": MAX_BATCH},
            code="batch_too_large",
            details={"items": [_("Tối đa %(n)d mục.") % {"n": MAX_BATCH}]},
        )
    policy = policy_check(
        api_key=api_key,
        operation=PartnerPolicy.Operation.VERIFY_BATCH,
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
    )
    claims = [item.model_dump() for item in payload.items]
    records = verification.records_by_id([claim["personal_id"] for claim in claims])
    results = []
    looked_up: list[int] = []
    matched = errors = 0
    for claim in claims:
        record = records.get(claim["personal_id"])
        try:
            result = verification.verify_item(claim, record, may_read_locked=policy.overrides_citizen_lock)
        except verification.ItemProblem as problem:
            errors += 1
            results.append(
                {"personal_id": claim["personal_id"], "error": {"code": problem.code, "message": problem.message}}
            )
            continue
        results.append(result)
        matched += bool(result["match"])
        if record:
            looked_up.append(record["pk"])
    record_partner_lookups(
        api_key=api_key,
        action="population.identity.verify_batch",
        resident_ids=looked_up,
        purpose=payload.purpose.strip(),
        legal_basis=payload.legal_basis.strip(),
        details={"items": len(claims), "matched": matched, "errors": errors},
    )
    return results


def resident_read(*, api_key: Any, personal_id: str, declaration: Declaration) -> dict[str, Any]:
    """The fields of one resident that the key's policy allows; a citizen's lock is honoured unless
    the policy overrides it. Audited with the fields read (not their values)."""
    policy = policy_check(
        api_key=api_key,
        operation=PartnerPolicy.Operation.READ,
        purpose=declaration.purpose,
        legal_basis=declaration.legal_basis,
    )
    if not PERSONAL_ID_RE.match(personal_id):
        raise ValidationFailed(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="invalid_personal_id")
    row, fields = verification.readable_record(personal_id, list(policy.fields))
    if row is None:
        raise NotFound(_("Không có công dân với số định danh này."))
    if row["partner_lookup_locked"] and not policy.overrides_citizen_lock:
        _audit_partner(
            api_key,
            action="population.resident.read",
            record_pk=row["pk"],
            declaration=declaration,
            details={"error": "citizen_locked"},
        )
        raise PermissionDenied(_("Công dân đã khóa tra cứu của đối tác đối với hồ sơ này."), code="citizen_locked")
    _audit_partner(
        api_key,
        action="population.resident.read",
        record_pk=row["pk"],
        declaration=declaration,
        details={"fields": sorted(fields)},
    )
    return {"personal_id": personal_id, "fields": fields}
