"""Contact details typed by people: Vietnamese mobile phone numbers and e-mail addresses.

One cleaner for the whole platform (the population import and forms, citizen accounts, alert
subscriptions). Phones are parsed and validated by ``phonenumbers`` (libphonenumber's metadata):
only Vietnamese mobile numbers are accepted, because every use of a stored phone is an SMS
(alert subscriptions, a citizen account's one-time codes, a resident's contact); landlines,
toll-free, premium-rate and foreign numbers are refused. A number is stored in the national form
``0905333444`` (what residents, citizen accounts and subscriptions already hold and compare by
equality); ``phone_e164`` gives ``+84905333444`` for a gateway that wants it. E-mail addresses
are checked with Django's validator. Both raise Django's ``ValidationError`` (codes
``invalid_phone`` and ``invalid_email``) with a message for the person who typed the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

REGION = "VN"
EMAIL_MAX_LENGTH = 254  # the length of every stored e-mail field

_NATIONAL = re.compile(r"0([0-9]{9})")


def _mobile_pattern() -> re.Pattern[str]:
    """libphonenumber's own pattern for Vietnamese mobile numbers (the national number, no 0)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(REGION)
    pattern = metadata.mobile.national_number_pattern if metadata and metadata.mobile else None
    if not pattern:
        raise RuntimeError(f"phonenumbers has no mobile pattern for {REGION}")
    return re.compile(pattern)


_MOBILE = _mobile_pattern()


def _invalid_phone() -> ValidationError:
    return ValidationError(
        _("Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 hoặc +84."), code="invalid_phone"
    )


def quick_national(raw: str) -> str | None:
    """``raw`` itself when it is already a Vietnamese mobile number written ``0xxxxxxxxx``, else
    None (not a refusal: ask ``parse_phone``). Bulk imports clean millions of numbers; parsing each
    one with phonenumbers costs ~100 times more than these two pattern matches."""
    match = _NATIONAL.fullmatch(raw)
    return raw if match and _MOBILE.fullmatch(match.group(1)) else None


def parse_phone(raw: str) -> phonenumbers.PhoneNumber:
    """The Vietnamese mobile number ``raw`` denotes, written in any usual way (0…, +84…, 84…,
    spaces, dots, dashes, brackets); ValidationError otherwise."""
    return _vietnamese_number(raw, _MOBILE_TYPES, _invalid_phone)


def _vietnamese_number(
    raw: str, types: frozenset[int], invalid: Callable[[], ValidationError]
) -> phonenumbers.PhoneNumber:
    """The number ``raw`` denotes, when it is a valid Vietnamese number of one of ``types``."""
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException:
        raise invalid() from None
    if (
        number.extension
        or not phonenumbers.is_valid_number_for_region(number, REGION)
        or phonenumbers.number_type(number) not in types
    ):
        raise invalid()
    return number


def phone_national(raw: str) -> str:
    """The stored form of a Vietnamese mobile number: ``0`` and nine digits, no separators."""
    return quick_national(raw) or "0" + phonenumbers.national_significant_number(parse_phone(raw))


_MOBILE_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE})
_CALLBACK_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


def callback_phone(raw: str) -> str:
    """A Vietnamese number an officer can call back (mobile or landline: someone reporting from a
    shop or an office), in its national form ``0…``; ValidationError for anything else."""
    number = _vietnamese_number(raw, _CALLBACK_TYPES, _invalid_callback)
    return "0" + phonenumbers.national_significant_number(number)


def _invalid_callback() -> ValidationError:
    return ValidationError(
        _("Số điện thoại không hợp lệ: cần số di động hoặc cố định Việt Nam, ví dụ 0905 333 444, 0236 3822 123."),
        code="invalid_phone",
    )


def phone_e164(raw: str) -> str:
    """A Vietnamese mobile number in E.164: ``+84`` and nine digits."""
    return phonenumbers.format_number(parse_phone(raw), phonenumbers.PhoneNumberFormat.E164)


# A plain ASCII address (dot-atom local part, letter-digit-hyphen labels, an alphabetic top-level
# domain): a strict subset of what Django's validator accepts, checked first for speed (an import
# cleans one address per row; the validator costs ~10 times more). Anything else goes to Django.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.IGNORECASE
)
_validate_email = EmailValidator(allowlist=[])  # "user@localhost" is no one's address here


def quick_email(value: str) -> bool:
    """True when ``value`` is a plain address that Django's validator would accept too; False is not
    a refusal (ask the validator)."""
    return len(value) <= EMAIL_MAX_LENGTH and value.isascii() and _PLAIN_EMAIL.fullmatch(value) is not None


def clean_email(raw: str) -> str:
    """An e-mail address, trimmed, with its domain in lower case (the local part is kept as typed:
    it may be case-sensitive)."""
    value = raw.strip()
    if not quick_email(value) and (len(value) > EMAIL_MAX_LENGTH or not _django_accepts(value)):
        raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ."), code="invalid_email")
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _django_accepts(value: str) -> bool:
    try:
        _validate_email(value)
    except ValidationError:
        return False
    return True
