"""Writes of the online public services: submitting a dossier (idempotent, prefilled, coded)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.scoping import get_scoped_or_404
from congan.core.text import meaningful
from congan.core.uploads import delete_stored
from congan.eservices import workflow
from congan.eservices.attachments import attachments_check, attachments_save
from congan.eservices.formdefs import clean_submission
from congan.eservices.models import Complaint, Dossier, DossierCounter, DossierRating, Procedure
from congan.eservices.selectors import guardian_may_act
from congan.eservices.stats import stat_add_for
from congan.org.models import Officer, Unit
from congan.org.selectors import full_address
from congan.population.accounts import require_level
from congan.population.citizen import citizen_actor
from congan.population.models import CitizenAccount, Resident

MAX_DAILY_SEQUENCE = 9999


def registry_values(resident: Resident) -> dict[str, str]:
    """What the population registry can fill in, as text (a partial birth date stays partial)."""
    birth = str(resident.birth_year)
    if resident.birth_month:
        birth += f"-{resident.birth_month:02d}"
        if resident.birth_day:
            birth += f"-{resident.birth_day:02d}"
    return {
        "personal_id": resident.personal_id,
        "full_name": resident.full_name,
        "birth_date": birth,
        "sex": resident.sex,
        "phone": resident.phone,
        "email": resident.email,
        "hometown": resident.hometown,
        "ethnicity": resident.ethnicity,
        "nationality": resident.nationality,
        "permanent_address": full_address(resident.permanent_street, resident.permanent_commune),
        "current_address": full_address(resident.current_street, resident.current_commune),
    }


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


@dataclass(frozen=True)
class Submission:
    dossier: Dossier
    created: bool  # False: the submitter's key was used before, this is its dossier


def dossier_submit(
    *,
    applicant: Resident,
    procedure_code: str,
    data: dict[str, Any],
    client_token: str,
    online: bool = True,
    by: Officer | None = None,
    account: CitizenAccount | None = None,
    attachments: Iterable[tuple[str, UploadedFile]] = (),
) -> Dossier:
    """:func:`dossier_submit_or_replay` for a known applicant; the dossier, new or replayed."""
    return dossier_submit_or_replay(
        applicant=applicant,
        procedure_code=procedure_code,
        data=data,
        client_token=client_token,
        online=online,
        by=by,
        account=account,
        attachments=attachments,
    ).dossier


def dossier_submit_or_replay(
    *,
    procedure_code: str,
    data: dict[str, Any],
    client_token: str,
    applicant: Resident | None = None,
    applicant_personal_id: str = "",
    online: bool = True,
    by: Officer | None = None,
    account: CitizenAccount | None = None,
    attachments: Iterable[tuple[str, UploadedFile]] = (),
) -> Submission:
    """Submit once per (submitter, client token): the same submitter resending a form gets its
    first dossier back. ``account`` is the signed-in citizen: its level is checked, and when the
    applicant (``applicant``, or ``applicant_personal_id``; default the citizen) is someone else,
    the citizen acts as guardian. All of this is checked BEFORE a key is looked up, and a key is
    only ever looked up among the submitter's own, so another citizen's key reveals nothing.
    Without an account (``by``: the officer who keyed in a paper application) the key is the
    applicant's. Registry-sourced fields are filled and locked; the dossier records which ones."""
    client_token = (client_token or "").strip()[:64] or uuid.uuid4().hex  # no key: no idempotency to keep
    procedure = Procedure.objects.filter(code=procedure_code, active=True).first()
    if procedure is None:
        raise NotFound(_("Không có thủ tục này."))
    applicant, submitted_by = _parties(procedure, account, applicant, applicant_personal_id)
    owner = submitted_by or applicant
    existing = Dossier.objects.filter(key_owner=owner, client_token=client_token).first()
    if existing:
        return Submission(existing, created=False)
    form = procedure.current_form
    values, prefilled = clean_submission(form.fields if form else [], data, registry_values(applicant))
    checked = attachments_check(attachments)
    unit = handling_unit(procedure=procedure, applicant=applicant)
    if not unit.agency_code:
        raise Conflict(_("Đơn vị giải quyết chưa có mã định danh điện tử; quản trị cần khai báo trước."))
    written: list = []
    try:
        with transaction.atomic():
            now = timezone.now()
            dossier = Dossier.objects.create(
                code=dossier_code(agency_code=unit.agency_code, day=timezone.localdate(now)),
                procedure=procedure,
                form=form,
                applicant=applicant,
                submitted_by=submitted_by,
                unit=unit,
                data=values,
                prefilled=prefilled,
                online=online,
                client_token=client_token,
                key_owner=owner,
                submitted_at=now,
            )
            written += attachments_save(dossier, checked)
            stat_add_for(dossier, now, received=1, online=int(online), with_attachments=int(bool(written)))
            actor = by or citizen_actor(owner)
            workflow.record_step(
                dossier,
                by=actor,
                action="submit",
                details={
                    "procedure": procedure.code,
                    "form_version": form.version,
                    "prefilled": len(prefilled),
                    "attachments": len(written),
                    "for": applicant.personal_id[-6:] if submitted_by else "",
                },
            )
    except IntegrityError:  # the same form submitted twice at the same moment
        delete_stored(written)
        return Submission(Dossier.objects.get(key_owner=owner, client_token=client_token), created=False)
    except Exception:
        delete_stored(written)
        raise
    return Submission(dossier, created=True)


def _parties(
    procedure: Procedure, account: CitizenAccount | None, applicant: Resident | None, applicant_personal_id: str
) -> tuple[Resident, Resident | None]:
    """(applicant, the guardian submitting for them or None), authorized. An ID number that is not
    in the registry is refused exactly as a person the citizen may not act for."""
    if account is None:
        if applicant is None:
            raise ValueError("an applicant is needed without an account")
        return applicant, None
    require_level(account, procedure.account_level)
    me = account.resident
    if applicant is None:
        wanted = (applicant_personal_id or "").strip()
        if not wanted or wanted == me.personal_id:
            return me, None
        applicant = Resident.objects.filter(personal_id=wanted).first()
    elif applicant.pk == me.pk:
        return me, None
    if not procedure.allows_guardian:
        raise PermissionDenied(_("Thủ tục này không cho phép nộp thay."), code="guardian_not_allowed")
    if applicant is None or not guardian_may_act(submitter=me, dependant=applicant):
        raise PermissionDenied(
            _("Chỉ nộp thay được cho con dưới 18 tuổi hoặc thành viên cùng hộ khi bạn là chủ hộ."),
            code="guardian_not_allowed",
        )
    return applicant, me


RATEABLE = (Dossier.Status.APPROVED, Dossier.Status.REFUSED, Dossier.Status.RETURNED)


def dossier_rate(*, resident: Resident, dossier: Dossier, score: int, comment: str = "") -> DossierRating:
    """Once per dossier, after its result; counted in the month rated."""
    if dossier.status not in RATEABLE:
        raise InvalidTransition(_("Chỉ đánh giá được sau khi hồ sơ có kết quả."))
    if not 1 <= int(score) <= 5:
        raise ValidationFailed(details={"score": [_("Điểm từ 1 đến 5.")]})
    with transaction.atomic():
        if DossierRating.objects.filter(dossier=dossier).exists():
            raise Conflict(_("Hồ sơ này đã được đánh giá."))
        try:
            with transaction.atomic():
                rating = DossierRating.objects.create(
                    dossier=dossier, score=int(score), comment=comment.strip()[:2000], created_at=timezone.now()
                )
        except IntegrityError as exc:
            raise Conflict(_("Hồ sơ này đã được đánh giá.")) from exc
        stat_add_for(
            dossier, rating.created_at, rating_count=1, rating_sum=rating.score, satisfied=int(rating.score >= 4)
        )
        workflow.record_step(
            dossier,
            by=citizen_actor(resident),
            action="rate",
            status_from=dossier.status,
            reason=rating.comment,
            details={"score": rating.score},
        )
    return rating


COMPLAINT_MINIMUM = 10  # letters or digits: "a" is no complaint, "Chậm trả kết quả" is


def complaint_submit(*, resident: Resident, dossier: Dossier, text: str) -> Complaint:
    text = (text or "").strip()
    if not meaningful(text, COMPLAINT_MINIMUM):
        raise ValidationFailed(
            details={"text": [_("Nhập nội dung phản ánh (ít nhất %(n)d chữ hoặc số).") % {"n": COMPLAINT_MINIMUM}]}
        )
    with transaction.atomic():
        complaint = Complaint.objects.create(dossier=dossier, unit=dossier.unit, text=text[:4000])
        workflow.record_step(
            dossier,
            by=citizen_actor(resident),
            action="complaint",
            status_from=dossier.status,
            reason=complaint.text,
            details={"complaint": complaint.pk},
        )
    return complaint


def complaint_answer(*, by: Officer, complaint_id: int, answer: str) -> Complaint:
    if not by.has_perm("eservices.change_complaint"):
        raise PermissionDenied()
    answer = (answer or "").strip()
    if not meaningful(answer, COMPLAINT_MINIMUM):
        raise ValidationFailed(
            details={"answer": [_("Nhập nội dung trả lời (ít nhất %(n)d chữ hoặc số).") % {"n": COMPLAINT_MINIMUM}]}
        )
    with transaction.atomic():
        complaint = get_scoped_or_404(
            Complaint.objects.select_for_update().select_related("dossier"), viewer=by, pk=complaint_id
        )
        if complaint.status == Complaint.Status.ANSWERED:
            raise Conflict(_("Phản ánh đã được trả lời."))
        complaint.status, complaint.answer = Complaint.Status.ANSWERED, answer[:4000]
        complaint.answered_at, complaint.answered_by = timezone.now(), by
        complaint.save()
        workflow.record_step(
            complaint.dossier,
            by=by,
            action="complaint_answer",
            status_from=complaint.dossier.status,
            reason=complaint.answer,
            details={"complaint": complaint.pk},
        )
    return complaint


def dossier_supplement(*, resident: Resident, dossier: Dossier, note: str, attachments: list) -> Dossier:
    """The citizen's answer to a supplement request: files and a note, then the clock runs again."""
    written: list = []
    try:
        with transaction.atomic():
            dossier = workflow.supplement_by_citizen(resident=resident, dossier=dossier, note=note)
            written += attachments_save(dossier, attachments)
    except Exception:
        delete_stored(written)
        raise
    return dossier
