"""A citizen's own view of the registry, before citizen accounts exist: "who looked me up".

The citizen proves who they are with facts printed on their identity card (ID number, full
name, date of birth, issue date). Any mismatch, and an unknown ID number, give the same answer,
so the service cannot be used to learn whether someone is in the registry. Attempts are limited
per client address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core.audit import Actor, audit_read
from congan.core.errors import NotAuthenticated, ValidationFailed
from congan.core.limits import rate_limit_client
from congan.core.models import AuditEvent
from congan.population import labels, selectors
from congan.population.lookup_sources import action_labels
from congan.population.models import Resident
from congan.population.validation import PERSONAL_ID_RE, folded_name

ATTEMPTS_PER_WINDOW = 10
WINDOW_SECONDS = 600
PURPOSE = labels.CITIZEN_OWN_LOOKUPS


# What each audited read did, in the citizen's words.
ACTION_LABELS = {
    "population.resident.view": gettext_lazy("Xem hồ sơ"),
    selectors.EDIT_VIEW_ACTION: gettext_lazy("Mở hồ sơ để cập nhật"),
    selectors.HOUSEHOLD_VIEW_ACTION: gettext_lazy("Xem thông tin hộ"),
    "population.resident.read": gettext_lazy("Đọc thông tin"),
    "population.identity.verify": gettext_lazy("Xác thực thông tin"),
    "population.identity.verify_batch": gettext_lazy("Xác thực thông tin theo lô"),
}


@dataclass(frozen=True)
class CitizenLookup:
    occurred_at: dt.datetime
    who: str  # the officer's name and unit, the agency for partner systems: never a login
    kind: str
    action: str
    purpose: str


def _not_verified() -> NotAuthenticated:
    return NotAuthenticated(
        _("Thông tin không khớp với thẻ căn cước. Kiểm tra lại số định danh, họ tên, ngày sinh, ngày cấp.")
    )


def _verified_resident(*, personal_id: str, full_name: str, birth_date: dt.date, issued_on: dt.date) -> Resident:
    resident = Resident.objects.filter(personal_id=personal_id).first()
    if resident is None:
        raise _not_verified()
    same_birth = (resident.birth_year, resident.birth_month, resident.birth_day) == (
        birth_date.year,
        birth_date.month,
        birth_date.day,
    )
    if resident.full_name_folded != folded_name(full_name) or not same_birth:
        raise _not_verified()
    if resident.id_card_issued_on is None:
        raise ValidationFailed(
            _("Hồ sơ chưa có thông tin thẻ căn cước để xác minh. Vui lòng liên hệ Công an xã, phường nơi cư trú.")
        )
    if resident.id_card_issued_on != issued_on:
        raise _not_verified()
    return resident


def citizen_lookups(
    *, personal_id: str, full_name: str, birth_date: dt.date, id_card_issued_on: dt.date, client_ip: str | None
) -> list[CitizenLookup]:
    """Who looked this citizen up (officers by name and unit, partner systems by agency), newest first."""
    personal_id = (personal_id or "").strip()
    if not PERSONAL_ID_RE.match(personal_id):
        raise ValidationFailed(details={"personal_id": [_("Số định danh cá nhân phải gồm đúng 12 chữ số.")]})
    rate_limit_client(
        name="citizen-lookups", client_ip=client_ip, limit=ATTEMPTS_PER_WINDOW, window_seconds=WINDOW_SECONDS
    )
    resident = _verified_resident(
        personal_id=personal_id, full_name=full_name, birth_date=birth_date, issued_on=id_card_issued_on
    )
    audit_read(
        actor=citizen_actor(resident),
        action="population.citizen.own_lookups",
        target=resident,
        purpose=PURPOSE,
        details={"channel": "citizen"},
    )
    return _public(selectors.resident_lookup_history(resident=resident))


OWN_PROFILE_PURPOSE = labels.CITIZEN_OWN_PROFILE


def citizen_own_lookups(*, resident: Resident) -> list[CitizenLookup]:
    """For a signed-in citizen: who looked them up (the account already proved who they are)."""
    audit_read(
        actor=citizen_actor(resident),
        action="population.citizen.own_lookups",
        target=resident,
        purpose=PURPOSE,
        details={"channel": "account"},
    )
    return _public(selectors.resident_lookup_history(resident=resident))


def citizen_own_profile(*, resident: Resident) -> Resident:
    """A signed-in citizen reads their registry record (read-only), audited like any read."""
    audit_read(
        actor=citizen_actor(resident),
        action="population.citizen.own_profile",
        target=resident,
        purpose=OWN_PROFILE_PURPOSE,
    )
    return resident


def citizen_actor(resident: Resident) -> Actor:
    """The audit actor for a citizen acting for themselves (the ID number is masked)."""
    return Actor(AuditEvent.ActorType.CITIZEN, str(resident.pk), f"******{resident.personal_id[-6:]}")


def _public(lookups: list[selectors.Lookup]) -> list[CitizenLookup]:
    labels: dict[str, Any] = {**action_labels(), **ACTION_LABELS}
    kinds = {
        AuditEvent.ActorType.API_KEY: _("Hệ thống cơ quan đối tác"),
        AuditEvent.ActorType.OFFICER: _("Cán bộ công an"),
    }
    return [
        CitizenLookup(
            occurred_at=lookup.occurred_at,
            who=lookup.who,
            kind=str(kinds.get(lookup.actor_type, _("Hệ thống"))),
            action=str(labels.get(lookup.action, _("Tra cứu"))),
            purpose=lookup.purpose,
        )
        for lookup in lookups
    ]
