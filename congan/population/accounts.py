"""Citizen accounts (tài khoản định danh): sign-up matched against the registry, sign-in with
lockout, password reset by a one-time code through the notification outbox, level 2 confirmed by
an officer, sessions and API tokens that a password change voids.

An unknown ID number and a mismatch give the same answer everywhere, so these pages cannot be
used to learn whether someone is in the registry or has an account.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.crypto import keyed_digest
from congan.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from congan.core.limits import rate_limit, rate_limit_client
from congan.core.notifications import notification_enqueue
from congan.core.scoping import get_scoped_or_404
from congan.org.models import Officer
from congan.population.citizen import citizen_actor
from congan.population.importing.fields import CellError, clean_phone
from congan.population.models import CitizenAccount, CitizenCode, Resident
from congan.population.validation import PERSONAL_ID_RE, folded_name

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
ATTEMPTS_PER_ADDRESS = 20  # sign-ups, sign-ins and reset requests per address per window
WINDOW_SECONDS = 600
TOKEN_MAX_AGE = 8 * 3600
SESSION_KEY = "citizen_account"
SESSION_VERSION_KEY = "citizen_credentials"
_TOKEN_SALT = "congan.population.citizen-token"  # noqa: S105 (a namespace, not a secret)


def _limit_address(client_ip: str | None) -> None:
    rate_limit_client(
        name="citizen-auth", client_ip=client_ip, limit=ATTEMPTS_PER_ADDRESS, window_seconds=WINDOW_SECONDS
    )


def _not_matched() -> NotAuthenticated:
    return NotAuthenticated(_("Thông tin không khớp với Cơ sở dữ liệu quốc gia về dân cư."))


def _bad_credentials() -> NotAuthenticated:
    """The one answer to a failed sign-in: unknown ID number, wrong password or locked account alike
    (a different answer for a locked account would tell that the account exists)."""
    return NotAuthenticated(
        _(
            "Số định danh hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa do nhập sai nhiều lần "
            "(thử lại sau %(minutes)d phút hoặc lấy lại mật khẩu)."
        )
        % {"minutes": int(LOCKOUT.total_seconds() // 60)}
    )


def _check_personal_id(personal_id: str) -> str:
    personal_id = (personal_id or "").strip()
    if not PERSONAL_ID_RE.match(personal_id):
        raise ValidationFailed(details={"personal_id": [_("Số định danh cá nhân phải gồm đúng 12 chữ số.")]})
    return personal_id


def _check_new_password(password: str, resident: Resident | None = None) -> None:
    try:
        validate_password(password)
    except DjangoValidationError as exc:
        raise ValidationFailed(details={"password": list(exc.messages)}) from exc
    if resident is not None and resident.personal_id in password:
        raise ValidationFailed(details={"password": [_("Mật khẩu không được chứa số định danh.")]})


def _birth_matches(resident: Resident, birth_date: dt.date) -> bool:
    """Compare what the registry knows: a partial birth date (year, or year and month) matches
    any date within it."""
    known = (resident.birth_year, resident.birth_month, resident.birth_day)
    given = (birth_date.year, birth_date.month, birth_date.day)
    return all(part is None or part == value for part, value in zip(known, given, strict=True))


def citizen_register(
    *, personal_id: str, full_name: str, birth_date: dt.date, phone: str, password: str, client_ip: str | None
) -> CitizenAccount:
    """Level 1 account: the ID number, name and birth date must match a living resident."""
    personal_id = _check_personal_id(personal_id)
    try:
        phone = clean_phone(phone or "")
    except CellError as exc:
        raise ValidationFailed(details={"phone": [exc.reason]}) from exc
    _limit_address(client_ip)
    resident = Resident.objects.filter(personal_id=personal_id).first()
    if (
        resident is None
        or resident.full_name_folded != folded_name(full_name)
        or not _birth_matches(resident, birth_date)
        or resident.status != Resident.Status.ALIVE
    ):
        raise _not_matched()
    _check_new_password(password, resident)
    with transaction.atomic():
        if CitizenAccount.objects.select_for_update().filter(resident=resident).exists():
            raise Conflict(_("Số định danh này đã có tài khoản. Hãy đăng nhập hoặc lấy lại mật khẩu."))
        account = CitizenAccount.objects.create(resident=resident, phone=phone, password=make_password(password))
        audit_record(
            actor=citizen_actor(resident),
            action="population.citizen_account.register",
            target=account,
            unit=resident.unit_id,
            details={"level": 1},
        )
    return account


def citizen_login(*, personal_id: str, password: str, client_ip: str | None) -> CitizenAccount:
    """Sign in; five wrong passwords in a row lock the account for fifteen minutes. Every failure,
    a locked account's included, gets the same answer (``_bad_credentials``)."""
    personal_id = _check_personal_id(personal_id)
    _limit_address(client_ip)
    account = CitizenAccount.objects.select_related("resident").filter(resident__personal_id=personal_id).first()
    if account is None:
        make_password(password)  # the same work as a real check: timing tells nothing
        raise _bad_credentials()
    now = timezone.now()
    if account.locked_until and account.locked_until > now:
        check_password(password, account.password)  # the same work as any other answer
        raise _bad_credentials()
    if not check_password(password, account.password) or not account.active:
        _count_failure(account, now)
        raise _bad_credentials()
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    account.save(update_fields=["failed_logins", "locked_until", "last_login_at", "updated_at"])
    audit_record(
        actor=citizen_actor(account.resident),
        action="population.citizen_account.login",
        target=account,
        unit=account.resident.unit_id,
    )
    return account


def _count_failure(account: CitizenAccount, now: dt.datetime) -> None:
    with transaction.atomic():
        account = CitizenAccount.objects.select_for_update().get(pk=account.pk)
        account.failed_logins += 1
        details = {"failed_logins": account.failed_logins}
        if account.failed_logins >= MAX_FAILED_LOGINS:
            account.failed_logins, account.locked_until = 0, now + LOCKOUT
            details["locked_until"] = account.locked_until.isoformat()
        account.save(update_fields=["failed_logins", "locked_until", "updated_at"])
        audit_record(
            actor=citizen_actor(account.resident),
            action="population.citizen_account.login_failed",
            target=account,
            unit=account.resident.unit_id,
            details=details,
        )


def _code_hash(code: str) -> str:
    return keyed_digest(code)


def citizen_password_reset_request(*, personal_id: str, phone: str, client_ip: str | None) -> None:
    """Send a one-time code by SMS when the ID number and the account's phone match; the answer
    is the same either way."""
    personal_id = _check_personal_id(personal_id)
    _limit_address(client_ip)
    rate_limit(bucket=f"citizen-reset:{personal_id}", limit=3, window_seconds=WINDOW_SECONDS)
    try:
        phone = clean_phone(phone or "")
    except CellError:
        return
    account = CitizenAccount.objects.select_related("resident").filter(resident__personal_id=personal_id).first()
    if account is None or account.phone != phone or not account.active:
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        now = timezone.now()
        CitizenCode.objects.filter(account=account, used_at__isnull=True).update(used_at=now)  # one live code
        row = CitizenCode.objects.create(
            account=account, code_hash=_code_hash(code), created_at=now, expires_at=now + CODE_LIFETIME
        )
        notification_enqueue(
            key=f"citizen-code:{row.pk}",
            channel="sms",
            recipient=account.phone,
            target=account,
            body=_("Ma dat lai mat khau Cong an so: %(code)s. Co hieu luc 10 phut. Khong cung cap ma cho bat ky ai.")
            % {"code": code},
        )
        audit_record(
            actor=citizen_actor(account.resident),
            action="population.citizen_account.reset_requested",
            target=account,
            unit=account.resident.unit_id,
        )


def citizen_password_reset_confirm(*, personal_id: str, code: str, new_password: str) -> CitizenAccount:
    """Set a new password with the code; the code is tried at most five times."""
    personal_id = _check_personal_id(personal_id)
    wrong = ValidationFailed(details={"code": [_("Mã không đúng hoặc đã hết hạn. Hãy yêu cầu mã mới.")]})
    with transaction.atomic():
        row = (
            CitizenCode.objects.select_for_update()
            .select_related("account__resident")
            .filter(account__resident__personal_id=personal_id, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= CODE_MAX_ATTEMPTS:
            raise wrong
        if not hmac.compare_digest(row.code_hash, _code_hash((code or "").strip())):
            row.attempts += 1
            row.save(update_fields=["attempts"])  # kept: the error is raised after the commit
        else:
            account = row.account
            _check_new_password(new_password, account.resident)
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            account.password = make_password(new_password)
            account.credentials_version += 1
            account.failed_logins, account.locked_until = 0, None
            account.save(
                update_fields=["password", "credentials_version", "failed_logins", "locked_until", "updated_at"]
            )
            audit_record(
                actor=citizen_actor(account.resident),
                action="population.citizen_account.password_reset",
                target=account,
                unit=account.resident.unit_id,
            )
            return account
    raise wrong


def citizen_confirm_level2(*, by: Officer, account_id: int, card_checked: str) -> CitizenAccount:
    """An officer saw the person and their identity card: the account becomes level 2."""
    if not by.has_perm("population.confirm_citizen_account"):
        raise PermissionDenied()
    if not (card_checked or "").strip():
        message = _("Ghi giấy tờ đã đối chiếu (ví dụ: thẻ căn cước gắn chip).")
        raise ValidationFailed(details={"card_checked": [message]})
    with transaction.atomic():
        account = get_scoped_or_404(
            CitizenAccount.objects.select_for_update(of=("self",)).select_related("resident"),
            viewer=by,
            unit_field="resident__unit",
            pk=account_id,
        )
        if account.level >= CitizenAccount.Level.VERIFIED:
            raise Conflict(_("Tài khoản đã ở mức 2."))
        account.level = CitizenAccount.Level.VERIFIED
        account.level2_confirmed_at, account.level2_confirmed_by = timezone.now(), by
        account.save(update_fields=["level", "level2_confirmed_at", "level2_confirmed_by", "updated_at"])
        audit_record(
            actor=by,
            action="population.citizen_account.confirm_level2",
            target=account,
            unit=account.resident.unit_id,
            details={"card_checked": card_checked.strip()[:200]},
        )
    return account


# --- sessions and API tokens ------------------------------------------------------------------


def citizen_session_start(request: HttpRequest, account: CitizenAccount) -> None:
    request.session.cycle_key()  # a new session id at sign-in: no fixation
    request._citizen_account = account
    request.session[SESSION_KEY] = account.pk
    request.session[SESSION_VERSION_KEY] = account.credentials_version


def citizen_session_end(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_VERSION_KEY, None)
    request.session.cycle_key()
    request._citizen_account = None


def citizen_from_session(request: HttpRequest) -> CitizenAccount | None:
    """The signed-in citizen, or None (also when the password changed since the sign-in); read
    once per request."""
    if not hasattr(request, "_citizen_account"):
        account_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        version = request.session.get(SESSION_VERSION_KEY) if account_id else None
        request._citizen_account = _live_account(account_id, version) if account_id else None
    return request._citizen_account


def _live_account(account_id: Any, version: Any) -> CitizenAccount | None:
    account = CitizenAccount.objects.select_related("resident").filter(pk=account_id, active=True).first()
    if account is None or account.credentials_version != version:
        return None
    return account


def citizen_token_issue(account: CitizenAccount) -> str:
    return signing.dumps({"a": account.pk, "v": account.credentials_version}, salt=_TOKEN_SALT, compress=True)


def citizen_from_token(token: str) -> CitizenAccount | None:
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    return _live_account(payload.get("a"), payload.get("v"))


def require_level(account: CitizenAccount, level: int) -> None:
    if account.level < level:
        raise PermissionDenied(
            _(
                "Thủ tục này cần tài khoản định danh mức %(level)s. Mang thẻ căn cước đến Công an xã, phường để "
                "được xác nhận."
            )
            % {"level": level},
            code="account_level_too_low",
        )


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Page decorator: the citizen must be signed in; ``request.citizen`` is their account."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = citizen_from_session(request)
        if account is None:
            login_url = reverse("population_citizen:login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        request.citizen = account
        return view(request, *args, **kwargs)

    return wrapper
