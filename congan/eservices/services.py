"""Writes of the online public services: submitting a dossier (idempotent, prefilled, coded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import Conflict, NotFound
from congan.eservices.formdefs import clean_submission
from congan.eservices.models import Dossier, DossierCounter, Procedure
from congan.org.models import Unit
from congan.population.citizen import citizen_actor
from congan.population.models import Resident

MAX_DAILY_SEQUENCE = 9999


def registry_values(resident: Resident) -> dict[str, str]:
    """What the population registry can fill in, as text (a partial birth date stays partial)."""
    birth = str(resident.birth_year)
    if resident.birth_month:
        birth += f"-{resident.birth_month:02d}"
        if resident.birth_day:
            birth += f"-{resident.birth_day:02d}"
    address = lambda street, commune: ", ".join(part for part in (street, commune) if part)  # noqa: E731
    return {
        "personal_id": resident.personal_id, "full_name": resident.full_name, "birth_date": birth,
        "sex": resident.sex, "phone": resident.phone, "email": resident.email, "hometown": resident.hometown,
        "ethnicity": resident.ethnicity, "nationality": resident.nationality,
        "permanent_address": address(resident.permanent_street, resident.permanent_commune),
        "current_address": address(resident.current_street, resident.current_commune),
    }  # fmt: skip


def handling_unit(*, procedure: Procedure, applicant: Resident) -> Unit:
    """Commune procedures go to the applicant's commune police, the others to its province police."""
    unit = applicant.unit
    if procedure.handling_unit_kind == Procedure.HandlingUnit.COMMUNE:
        return unit
    ancestors = Unit.objects.filter(kind=Unit.Kind.PROVINCE)
    province = next((u for u in ancestors if unit.path.startswith(u.path)), None)
    if province is None:
        raise Conflict(_("Không xác định được Công an tỉnh giải quyết hồ sơ này."))
    return province


def dossier_code(*, agency_code: str, day: dt.date) -> str:
    """Circular 01/2018/TT-VPCP Art. 19: <agency code>-<YYMMDD>-<day's sequence, 4 digits>."""
    counter, _created = DossierCounter.objects.select_for_update().get_or_create(agency_code=agency_code, day=day)
    counter.last += 1
    if counter.last > MAX_DAILY_SEQUENCE:
        raise Conflict(_("Đã hết số hồ sơ trong ngày của cơ quan này."))
    counter.save(update_fields=["last"])
    return f"{agency_code}-{day:%y%m%d}-{counter.last:04d}"


def dossier_submit(
    *, applicant: Resident, procedure_code: str, data: dict[str, Any], client_token: str, online: bool = True,
    by: Any = None,
) -> Dossier:  # fmt: skip
    """Submit once per (applicant, client token): a resubmitted form returns the first dossier.
    Registry-sourced fields are filled and locked; the dossier records which ones. ``by`` is the
    officer who keyed in a paper application; None means the citizen submitted it."""
    existing = Dossier.objects.filter(applicant=applicant, client_token=client_token).first()
    if existing:
        return existing
    procedure = Procedure.objects.filter(code=procedure_code, active=True).first()
    if procedure is None:
        raise NotFound(_("Không có thủ tục này."))
    form = procedure.current_form
    values, prefilled = clean_submission(form.fields if form else [], data, registry_values(applicant))
    unit = handling_unit(procedure=procedure, applicant=applicant)
    if not unit.agency_code:
        raise Conflict(_("Đơn vị giải quyết chưa có mã định danh điện tử; quản trị cần khai báo trước."))
    try:
        with transaction.atomic():
            now = timezone.now()
            dossier = Dossier.objects.create(
                code=dossier_code(agency_code=unit.agency_code, day=timezone.localdate(now)), procedure=procedure,
                form=form, applicant=applicant, unit=unit, data=values, prefilled=prefilled, online=online,
                client_token=client_token[:64], submitted_at=now,
            )  # fmt: skip
            audit_record(
                actor=by or citizen_actor(applicant), action="eservices.dossier.submit", target=dossier, unit=unit,
                details={"procedure": procedure.code, "form_version": form.version, "prefilled": len(prefilled)},
            )  # fmt: skip
    except IntegrityError:  # the same form submitted twice at the same moment
        return Dossier.objects.get(applicant=applicant, client_token=client_token[:64])
    return dossier
