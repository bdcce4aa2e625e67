"""Phone numbers and e-mail addresses typed by people: one cleaner for the whole platform.

Phones: Vietnamese mobile numbers only (every use sends SMS: alert subscriptions, citizen account
codes, a resident's contact), validated against libphonenumber's metadata; stored in the national
form ``0xxxxxxxxx``, available as E.164 ``+84xxxxxxxxx``. E-mail: Django's validator.
"""

from __future__ import annotations

import itertools

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from congan.core import contacts


@pytest.mark.parametrize(
    "raw",
    ["0905333444", "+84905333444", "+84 905 333 444", "0905 333 444", "0905.333.444", "(090) 533-3444", "84905333444"],
)
def test_a_vietnamese_mobile_number_in_any_usual_writing_is_one_number(raw):
    assert contacts.phone_e164(raw) == "+84905333444"
    assert contacts.phone_national(raw) == "0905333444"


@pytest.mark.parametrize("raw", ["0365123456", "0862345678", "0705123456", "0589123456", "0912000000"])
def test_every_mobile_network_prefix_is_accepted(raw):
    assert contacts.phone_national(raw) == raw


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("abc", "not a number"),
        ("", "empty"),
        ("090533", "too short"),
        ("09053334445", "too long"),
        ("0712345678", "no network uses 071"),
        ("0800123456", "a toll-free number receives no SMS"),
        ("0236 3822 222", "a landline receives no SMS"),
        ("1900123456", "a premium-rate number"),
        ("+1 650 253 0000", "a foreign number"),
        ("0905333444 ext. 12", "an extension"),
    ],
)
def test_what_is_not_a_vietnamese_mobile_number_is_refused(raw, why):
    with pytest.raises(ValidationError) as caught:
        contacts.phone_national(raw)
    assert caught.value.code == "invalid_phone", why
    assert "+84" in caught.value.messages[0]


def test_the_quick_path_for_written_national_numbers_agrees_with_the_library():
    """Bulk imports take a quick path for numbers already written 0xxxxxxxxx: whatever it accepts,
    libphonenumber accepts as the same Vietnamese mobile number."""
    for a, b, c in itertools.product("0123456789", repeat=3):
        for tail in ("000000", "123456", "999999"):
            raw = f"0{a}{b}{c}{tail}"
            assert (contacts.quick_national(raw) == raw) == _library_says_mobile(raw), raw
            assert contacts.quick_national(raw) in (None, raw)


def _library_says_mobile(raw: str) -> bool:
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:  # 00…: the international call prefix
        return False
    return (
        phonenumbers.is_valid_number_for_region(number, "VN")
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        and phonenumbers.national_significant_number(number) == raw[1:]
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("lan.nguyen@example.vn", "lan.nguyen@example.vn"),
        ("  Lan.Nguyen@Example.VN ", "Lan.Nguyen@example.vn"),
        ("hoa+canh-bao@so.danang.gov.vn", "hoa+canh-bao@so.danang.gov.vn"),
    ],
)
def test_an_email_address_is_trimmed_and_its_domain_lowercased(raw, clean):
    assert contacts.clean_email(raw) == clean


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "lan@", "@example.vn", "lan@@example.vn", "lan nguyen@example.vn", "lan@example", "lan..a@example.vn"],
)
def test_what_is_not_an_email_address_is_refused(raw):
    with pytest.raises(ValidationError) as caught:
        contacts.clean_email(raw)
    assert caught.value.code == "invalid_email"


@pytest.mark.parametrize("raw", ["lan@localhost", "lan@ví-dụ.vn", "a@[10.0.0.1]", '"lan.nguyen"@example.vn'])
def test_what_the_quick_path_leaves_django_decides(raw):
    assert not contacts.quick_email(raw)
    if raw == "lan@localhost":
        with pytest.raises(ValidationError):
            contacts.clean_email(raw)  # no one's address on the intranet
    else:
        assert contacts.clean_email(raw)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(contacts._PLAIN_EMAIL, fullmatch=True))
def test_whatever_the_quick_path_accepts_django_accepts(address):
    if contacts.quick_email(address):
        EmailValidator(allowlist=[])(address)


def test_an_address_longer_than_the_stored_field_is_refused():
    with pytest.raises(ValidationError):
        contacts.clean_email("a" * 64 + "@" + "b" * 190 + ".vn")  # 257 characters
