"""Writes of the organisation: every function is atomic and audited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import Conflict, PermissionDenied, ValidationFailed, full_clean_or_fail
from congan.core.scoping import sees_all_units
from congan.org.actors import OfficerOrSystem
from congan.org.models import Officer, TrainingAttendance, TrainingCourse, Unit

PATH_SEGMENT = 6


def _require_unit_in_scope(by: OfficerOrSystem, unit: Unit) -> None:
    """Officers act only on units in their subtree (unless they see all units); "system" is exempt."""
    if not isinstance(by, Officer) or sees_all_units(by):
        return
    if by.unit is None or not unit.is_within(by.unit):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."), details={"unit": unit.pk})


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT}d}."


@transaction.atomic
def unit_create(
    *, by: OfficerOrSystem, code: str, name: str, kind: str, parent: Unit | None = None, **fields: Any
) -> Unit:
    if Unit.objects.filter(code=code).exists():
        raise ValidationFailed(details={"code": [_("Mã đơn vị đã tồn tại.")]})
    unit = Unit(code=code, name=name, kind=kind, parent=parent, path="", **fields)
    full_clean_or_fail(unit, exclude=["path"])
    unit.save()
    unit.path = (parent.path if parent else "") + _segment(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(actor=by, action="org.unit.create", target=unit, unit=unit, details={"code": code})
    return unit


@transaction.atomic
def unit_update(*, by: OfficerOrSystem, unit: Unit, **fields: Any) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = fields.pop("parent", unit.parent)
    changed = {name: value for name, value in fields.items() if getattr(unit, name) != value}
    for name, value in changed.items():
        setattr(unit, name, value)
    if new_parent != unit.parent:
        _move(unit, new_parent)
        changed["parent"] = new_parent.pk if new_parent else None
    full_clean_or_fail(unit, exclude=["path"])
    unit.save()
    if changed:
        audit_record(
            actor=by,
            action="org.unit.update",
            target=unit,
            unit=unit,
            details={"fields": sorted(changed)},
        )
    return unit


def _move(unit: Unit, new_parent: Unit | None) -> None:
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationFailed(details={"parent": [_("Không thể chuyển đơn vị vào chính nhánh của nó.")]})
    old_path = unit.path
    new_path = (new_parent.path if new_parent else "") + _segment(unit.pk)
    depth_shift = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    descendants = Unit.objects.filter(path__startswith=old_path)
    for descendant in descendants:
        descendant.depth += depth_shift
    Unit.objects.bulk_update(descendants, ["depth"])
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    unit.refresh_from_db(fields=["path", "depth"])
    unit.parent = new_parent


@transaction.atomic
def officer_create(
    *,
    by: OfficerOrSystem,
    username: str,
    full_name: str,
    password: str | None = None,
    roles: list[str] | None = None,
    **fields: Any,
) -> Officer:
    if Officer.objects.filter(username=username).exists():
        raise ValidationFailed(details={"username": [_("Tên đăng nhập đã tồn tại.")]})
    officer = Officer(username=username, full_name=full_name, **fields)
    if password:
        _check_password(password, officer)
        officer.set_password(password)
    else:
        officer.set_unusable_password()
    full_clean_or_fail(officer, exclude=["password"])
    officer.save()
    if roles:
        officer.groups.set(Group.objects.filter(name__in=roles))
    audit_record(actor=by, action="org.officer.create", target=officer, details={"roles": roles or []})
    return officer


@transaction.atomic
def officer_update(*, by: OfficerOrSystem, officer: Officer, roles: list[str] | None = None, **fields: Any) -> Officer:
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    changed = sorted(name for name, value in fields.items() if getattr(officer, name) != value)
    for name in changed:
        setattr(officer, name, fields[name])
    full_clean_or_fail(officer, exclude=["password"])
    officer.save()
    if roles is not None:
        officer.groups.set(Group.objects.filter(name__in=roles))
        changed.append("roles")
    if changed:
        audit_record(actor=by, action="org.officer.update", target=officer, details={"fields": changed})
    return officer


@transaction.atomic
def officer_set_password(*, by: OfficerOrSystem, officer: Officer, password: str) -> None:
    _check_password(password, officer)
    officer.set_password(password)
    officer.save(update_fields=["password"])
    audit_record(actor=by, action="org.officer.set_password", target=officer)


def _check_password(password: str, officer: Officer) -> None:
    try:
        validate_password(password, officer)
    except ValidationError as exc:
        raise ValidationFailed(details={"password": list(exc.messages)}) from exc


@transaction.atomic
def training_course_create(
    *,
    by: OfficerOrSystem,
    unit: Unit,
    topic: str,
    start_date: dt.date,
    end_date: dt.date,
    location: str = "",
    description: str = "",
) -> TrainingCourse:
    _require_unit_in_scope(by, unit)
    if end_date < start_date:
        raise ValidationFailed(details={"end_date": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
    course = TrainingCourse.objects.create(
        unit=unit,
        topic=topic,
        start_date=start_date,
        end_date=end_date,
        location=location,
        description=description,
    )
    audit_record(actor=by, action="org.training.create", target=course, details={"topic": topic})
    return course


@transaction.atomic
def training_attendance_record(
    *,
    by: OfficerOrSystem,
    course: TrainingCourse,
    officer: Officer,
    result: str = TrainingAttendance.Result.ATTENDED,
    note: str = "",
) -> TrainingAttendance:
    if result not in TrainingAttendance.Result.values:
        raise ValidationFailed(details={"result": [_("Kết quả không hợp lệ.")]})
    attendance, _created = TrainingAttendance.objects.update_or_create(
        course=course, officer=officer, defaults={"result": result, "note": note}
    )
    audit_record(
        actor=by,
        action="org.training.attendance",
        target=attendance,
        unit=course.unit,
        details={"officer": officer.pk, "result": result},
    )
    return attendance


# --- Two-factor authentication ------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
_TOTP_TOKEN = re.compile(r"^\d{6,8}$")


def _normalise_token(token: str) -> str:
    """Drop spaces and dashes people type inside codes; recovery codes are stored in lower case."""
    return "".join(token.split()).replace("-", "").lower()


@dataclass(frozen=True)
class TokenCheck:
    """Outcome of checking a second-factor code: the device that accepted it, if any."""

    device: Any | None
    throttled: bool = False


@transaction.atomic
def otp_device_start(*, officer: Officer) -> Any:
    """Return the officer's pending (unconfirmed) TOTP device, creating it if needed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=officer, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=officer, name="TOTP", confirmed=False)


@transaction.atomic
def otp_device_confirm(*, officer: Officer, device: Any, token: str) -> list[str]:
    """Confirm a TOTP device with a first valid token; return fresh recovery codes (shown once).

    Any other TOTP device of the officer (an older phone) is removed: one authenticator at a time.
    """
    device = type(device).objects.select_for_update().get(pk=device.pk)
    if device.user_id != officer.pk or device.confirmed or not device.verify_token(_normalise_token(token)):
        raise ValidationFailed(details={"token": [_("Mã xác thực không đúng hoặc đã hết hạn.")]})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    type(device).objects.filter(user=officer).exclude(pk=device.pk).delete()
    audit_record(actor=officer, action="org.two_factor.enable", target=officer)
    return otp_recovery_codes_regenerate(officer=officer)


def otp_token_verify(*, officer: Officer, token: str) -> TokenCheck:
    """Check a second-factor code against the officer's confirmed devices, audited either way.

    Six to eight digits go to the authenticator app (TOTP); anything else is tried as a recovery
    code, which is deleted on use. Failures are committed (not rolled back) so django-otp's
    throttling counts them.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    code = _normalise_token(token)
    model = TOTPDevice if _TOTP_TOKEN.match(code) else StaticDevice
    throttled = False
    with transaction.atomic():
        devices = model.objects.devices_for_user(officer, confirmed=True).select_for_update().order_by("pk")
        for device in devices if code else []:
            if not device.verify_is_allowed()[0]:
                throttled = True
                continue
            if device.verify_token(code):
                details: dict[str, Any] = {"device": "totp" if model is TOTPDevice else "recovery_code"}
                if model is StaticDevice:
                    details["recovery_codes_left"] = device.token_set.count()
                audit_record(actor=officer, action="org.two_factor.verify", target=officer, details=details)
                return TokenCheck(device=device)
        audit_record(
            actor=officer,
            action="org.two_factor.verify_failed",
            target=officer,
            details={"throttled": throttled},
        )
    return TokenCheck(device=None, throttled=throttled)


@transaction.atomic
def otp_recovery_codes_regenerate(*, officer: Officer) -> list[str]:
    """Replace the officer's recovery codes with ``RECOVERY_CODE_COUNT`` fresh single-use codes."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=officer, confirmed=True).exists():
        raise Conflict(_("Chưa bật xác thực hai lớp nên không thể tạo mã khôi phục."))
    device, _created = StaticDevice.objects.get_or_create(
        user=officer, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=officer, action="org.two_factor.recovery_codes", target=officer)
    return codes


@transaction.atomic
def otp_disable(*, by: OfficerOrSystem, officer: Officer) -> None:
    """Remove all second factors of an officer (administrator action, e.g. a lost phone)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user=officer).count() + StaticDevice.objects.filter(user=officer).count()
    TOTPDevice.objects.filter(user=officer).delete()
    StaticDevice.objects.filter(user=officer).delete()
    audit_record(actor=by, action="org.two_factor.disable", target=officer, details={"devices_removed": devices})
