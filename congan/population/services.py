"""Writes of the population registry: residents with field-level history, household changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import Actor, audit_record
from congan.core.errors import InvalidTransition, ValidationFailed, full_clean_or_fail
from congan.core.text import vietnamese_name_sort_string
from congan.org.models import Officer, Unit
from congan.population import household_rules as rules
from congan.population.models import Household, HouseholdChange, Relationship, Resident, ResidentChange
from congan.population.validation import check_personal_id, folded_name, normalize_name

# Fields an officer or an import may change through resident_update.
UPDATABLE_FIELDS = frozenset(
    {
        "full_name",
        "other_names",
        "birth_month",
        "birth_day",
        "birth_registration_place",
        "hometown",
        "ethnicity",
        "religion",
        "nationality",
        "permanent_commune",
        "permanent_street",
        "temporary_commune",
        "temporary_street",
        "current_commune",
        "current_street",
        "relationship",
        "id_card_number",
        "id_card_issued_on",
        "id_card_expires_on",
        "id_card_authority",
        "phone",
        "email",
        "status",
    }
)


def _set_name(resident: Resident, full_name: str) -> None:
    resident.full_name = normalize_name(full_name)
    resident.full_name_folded = folded_name(full_name)
    resident.sort_name = vietnamese_name_sort_string(resident.full_name)


@transaction.atomic
def resident_create(
    *,
    by: Officer,
    unit: Unit,
    personal_id: str,
    full_name: str,
    sex: str,
    birth_year: int,
    birth_month: int | None = None,
    birth_day: int | None = None,
    **fields: Any,
) -> Resident:
    """Register a resident. ID format and sex/birth-year consistency are errors; an unknown
    birth-registration code is a warning kept in the audit event."""
    check = check_personal_id(personal_id, sex=sex, birth_year=birth_year)
    if not check.ok:
        raise ValidationFailed(details=check.errors)
    if Resident.objects.filter(personal_id=personal_id).exists():
        raise ValidationFailed(details={"personal_id": [_("Số định danh cá nhân đã có trong hệ thống.")]})
    resident = Resident(
        unit=unit,
        personal_id=personal_id,
        sex=sex,
        birth_year=birth_year,
        birth_month=birth_month,
        birth_day=birth_day,
        **fields,
    )
    _set_name(resident, full_name)
    full_clean_or_fail(resident, exclude=["household", "unit"], validate_unique=False)
    resident.save()
    audit_record(
        actor=by,
        action="population.resident.create",
        target=resident,
        unit=unit,
        details={"warnings": check.warnings} if check.warnings else None,
    )
    return resident


def history_text(value: Any) -> str:
    """How a value is written in the field history (dates ISO, None empty), by services and imports."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def resident_update(*, by: Officer, resident: Resident, source: str = "", batch: Any = None, **fields: Any) -> Resident:
    """Write only the fields that change, each recorded in the resident's field history."""
    unknown = sorted(set(fields) - UPDATABLE_FIELDS)
    if unknown:
        raise ValidationFailed(details={name: [_("Trường không được phép cập nhật.")] for name in unknown})
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if "full_name" in fields:
        fields["full_name"] = normalize_name(fields["full_name"])
    changed = {name: value for name, value in fields.items() if getattr(resident, name) != value}
    if not changed:
        return resident
    before = {name: history_text(getattr(resident, name)) for name in changed}
    for name, value in changed.items():
        setattr(resident, name, value)
    if "full_name" in changed:
        _set_name(resident, resident.full_name)
    full_clean_or_fail(resident, exclude=["household", "unit"], validate_unique=False)
    resident.save()
    now = timezone.now()
    label = Actor.of(by).label
    ResidentChange.objects.bulk_create(
        ResidentChange(
            resident=resident,
            field=name,
            old_value=before[name],
            new_value=history_text(value),
            changed_at=now,
            changed_by=label,
            source=source,
            batch=batch,
        )
        for name, value in changed.items()
    )
    audit_record(
        actor=by,
        action="population.resident.update",
        target=resident,
        details={"fields": sorted(changed), "source": source},
    )
    return resident


@transaction.atomic
def resident_set_partner_lock(*, by: Officer, resident: Resident, locked: bool) -> Resident:
    """The citizen's request to lock (or unlock) their record against partner lookups."""
    Resident.objects.filter(pk=resident.pk).update(partner_lookup_locked=locked, updated_at=timezone.now())
    resident.partner_lookup_locked = locked
    audit_record(actor=by, action="population.resident.partner_lock", target=resident, details={"locked": locked})
    return resident


# --- Households ---------------------------------------------------------------------------------


def _record_change(
    *, by: Officer, household: Household, kind: str, effective_date: dt.date, resident: Resident | None, details: dict
) -> HouseholdChange:
    change = HouseholdChange.objects.create(
        household=household,
        kind=kind,
        effective_date=effective_date,
        resident=resident,
        details=details,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    extra = {"resident": resident.pk if resident else None, "effective_date": effective_date.isoformat()}
    audit_record(actor=by, action=f"population.household.{kind}", target=household, details={**details, **extra})
    return change


def _lock(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)


def _fail_on(errors: rules.Errors) -> None:
    if errors:
        raise ValidationFailed(details=errors)


def _new_household(*, unit: Unit, head: Resident, address_commune: str, address_street: str) -> Household:
    """A household under a generated code; a code taken meanwhile by another officer's change
    is retried with the next number."""
    for _attempt in range(5):
        household = Household(
            unit=unit,
            code=rules.next_household_code(address_commune),
            head=head,
            address_commune=address_commune,
            address_street=address_street,
        )
        full_clean_or_fail(household, exclude=["head", "unit", "code"])
        try:
            with transaction.atomic():
                household.save()
        except IntegrityError:
            continue
        return household
    raise InvalidTransition(_("Không cấp được số hộ mới; vui lòng thử lại."))


@transaction.atomic
def household_create(
    *,
    by: Officer,
    unit: Unit,
    head: Resident,
    address_commune: str,
    address_street: str = "",
    effective_date: dt.date | None = None,
) -> Household:
    """A new household headed by ``head``, under the commune's next household code."""
    effective_date = effective_date or timezone.localdate()
    if head.household_id is not None:
        raise InvalidTransition(_("Công dân đang thuộc hộ khác; cần xóa khỏi hộ cũ hoặc tách hộ trước."))
    _fail_on(
        rules.merge(
            rules.effective_date_errors(effective_date, [head]),
            rules.head_errors(head, [], effective_date, field="head"),
        )
    )
    household = _new_household(unit=unit, head=head, address_commune=address_commune, address_street=address_street)
    Resident.objects.filter(pk=head.pk).update(household=household, relationship=Relationship.HEAD)
    _record_change(
        by=by,
        household=household,
        kind=HouseholdChange.Kind.ADD_MEMBER,
        resident=head,
        effective_date=effective_date,
        details={"relationship": Relationship.HEAD},
    )
    return household


@transaction.atomic
def household_add_member(
    *, by: Officer, household: Household, resident: Resident, relationship: str, effective_date: dt.date
) -> HouseholdChange:
    household = _lock(household)
    if relationship not in Relationship.values or relationship == Relationship.HEAD:
        raise ValidationFailed(details={"relationship": [_("Quan hệ với chủ hộ không hợp lệ.")]})
    if resident.household_id == household.pk:
        raise InvalidTransition(_("Công dân đã là thành viên của hộ này."))
    if resident.household_id is not None:
        raise InvalidTransition(_("Công dân đang thuộc hộ khác; cần xóa khỏi hộ cũ hoặc tách hộ trước."))
    if resident.status != Resident.Status.ALIVE:
        raise InvalidTransition(_("Không thể thêm người đã chết hoặc đã xuất cảnh định cư vào hộ."))
    _fail_on(rules.effective_date_errors(effective_date, [resident]))
    Resident.objects.filter(pk=resident.pk).update(household=household, relationship=relationship)
    return _record_change(
        by=by,
        household=household,
        kind=HouseholdChange.Kind.ADD_MEMBER,
        resident=resident,
        effective_date=effective_date,
        details={"relationship": relationship},
    )


@transaction.atomic
def household_remove_member(
    *, by: Officer, household: Household, resident: Resident, effective_date: dt.date
) -> HouseholdChange:
    household = _lock(household)
    if resident.household_id != household.pk:
        raise InvalidTransition(_("Công dân không thuộc hộ này."))
    if household.head_id == resident.pk:
        raise InvalidTransition(_("Không thể xóa chủ hộ; hãy thay đổi chủ hộ trước."))
    _fail_on(rules.effective_date_errors(effective_date, [resident]))
    Resident.objects.filter(pk=resident.pk).update(household=None, relationship="")
    return _record_change(
        by=by,
        household=household,
        kind=HouseholdChange.Kind.REMOVE_MEMBER,
        resident=resident,
        effective_date=effective_date,
        details={},
    )


def _restate_relationships(relationships: Mapping[int, str], members: list[Resident]) -> dict[str, str]:
    for member in members:
        Resident.objects.filter(pk=member.pk).update(relationship=relationships[member.pk])
    return {str(member.pk): relationships[member.pk] for member in members}


@transaction.atomic
def household_change_head(
    *,
    by: Officer,
    household: Household,
    new_head: Resident,
    effective_date: dt.date,
    relationships: Mapping[int, str],
) -> HouseholdChange:
    """Make ``new_head`` the head; every other member's relationship is stated anew, to the new
    head (``relationships``: member's pk → relationship), since the old ones were to the old head."""
    household = _lock(household)
    if new_head.household_id != household.pk:
        raise InvalidTransition(_("Chủ hộ mới phải là thành viên của hộ."))
    if household.head_id == new_head.pk:
        raise InvalidTransition(_("Công dân này đã là chủ hộ."))
    others = list(household.members.exclude(pk=new_head.pk))
    _fail_on(
        rules.merge(
            rules.head_errors(new_head, others, effective_date, field="new_head"),
            rules.effective_date_errors(effective_date, [new_head]),
            rules.relationship_errors(others, relationships),
        )
    )
    former = household.head_id
    restated = _restate_relationships(relationships, others)
    Resident.objects.filter(pk=new_head.pk).update(relationship=Relationship.HEAD)
    household.head = new_head
    household.save(update_fields=["head", "updated_at"])
    return _record_change(
        by=by,
        household=household,
        kind=HouseholdChange.Kind.CHANGE_HEAD,
        resident=new_head,
        effective_date=effective_date,
        details={"former_head": former, "relationships": restated},
    )


@transaction.atomic
def household_split(
    *,
    by: Officer,
    household: Household,
    members: list[Resident],
    new_head: Resident,
    effective_date: dt.date,
    relationships: Mapping[int, str],
    address_commune: str | None = None,
    address_street: str | None = None,
) -> Household:
    """Tách hộ: move some members (including the new head) to a new household under a generated
    code; each of them but the head states a relationship to the new head (``relationships``)."""
    household = _lock(household)
    member_ids = {m.pk for m in members}
    if not member_ids or new_head.pk not in member_ids:
        raise ValidationFailed(details={"new_head": [_("Chủ hộ mới phải nằm trong danh sách tách hộ.")]})
    if household.head_id in member_ids:
        raise InvalidTransition(_("Chủ hộ hiện tại không thể tách sang hộ mới; hãy thay đổi chủ hộ trước."))
    moving = list(Resident.objects.filter(pk__in=member_ids, household=household))
    if len(moving) != len(member_ids):
        raise InvalidTransition(_("Chỉ tách được thành viên của hộ này."))
    joining = [person for person in moving if person.pk != new_head.pk]
    _fail_on(
        rules.merge(
            rules.head_errors(new_head, joining, effective_date, field="new_head"),
            rules.effective_date_errors(effective_date, moving),
            rules.relationship_errors(joining, relationships),
        )
    )
    new_household = _new_household(
        unit=household.unit,
        head=new_head,
        address_commune=address_commune or household.address_commune,
        address_street=household.address_street if address_street is None else address_street,
    )
    Resident.objects.filter(pk__in=member_ids).update(household=new_household)
    restated = _restate_relationships(relationships, joining)
    Resident.objects.filter(pk=new_head.pk).update(relationship=Relationship.HEAD)
    moved = sorted(member_ids)
    _record_change(
        by=by,
        household=household,
        kind=HouseholdChange.Kind.SPLIT,
        resident=new_head,
        effective_date=effective_date,
        details={"to": new_household.code, "members": moved},
    )
    _record_change(
        by=by,
        household=new_household,
        kind=HouseholdChange.Kind.SPLIT,
        resident=new_head,
        effective_date=effective_date,
        details={"from": household.code, "members": moved, "relationships": restated},
    )
    return new_household
