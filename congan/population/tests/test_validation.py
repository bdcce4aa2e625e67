"""Personal ID numbers: format, century/sex digit, birth-registration code; name normalisation."""

from __future__ import annotations

import pytest

from congan.population.validation import (
    century_sex_digit,
    check_personal_id,
    folded_name,
    normalize_name,
    parse_personal_id,
)


@pytest.mark.parametrize(
    ("digit", "sex", "century_start"),
    [
        (0, "male", 1900),
        (1, "female", 1900),
        (2, "male", 2000),
        (3, "female", 2000),
        (4, "male", 2100),
        (5, "female", 2100),
        (6, "male", 2200),
        (7, "female", 2200),
        (8, "male", 2300),
        (9, "female", 2300),
    ],
)
def test_every_century_sex_digit_decodes_to_sex_and_birth_year(digit, sex, century_start):
    info = parse_personal_id(f"048{digit}84000999")
    assert info.sex == sex
    assert info.birth_year == century_start + 84
    assert century_sex_digit(sex=sex, birth_year=century_start + 84) == digit


def test_leading_zeros_are_kept_and_the_domain_example_decodes():
    info = parse_personal_id("087084000999")
    assert info.number == "087084000999"
    assert info.registration_code == "087"
    assert info.registration_place == "Đồng Tháp"
    assert (info.sex, info.birth_year) == ("male", 1984)
    assert parse_personal_id("001199000001").registration_place == "Hà Nội"


@pytest.mark.parametrize(
    "value", ["", "04808400099", "0480840009990", "04808400099a", "048 084000999", "０４８０８４０００９９９"]
)
def test_malformed_numbers_are_errors(value):
    check = check_personal_id(value)
    assert not check.ok
    assert "personal_id" in check.errors


def test_unknown_birth_registration_code_is_a_warning_not_an_error():
    check = check_personal_id("003084000999")
    assert check.ok
    assert "003" in check.warnings["personal_id"][0]


def test_sex_or_birth_year_that_contradicts_the_number_is_an_error():
    assert check_personal_id("048084000999", sex="male", birth_year=1984).ok
    wrong_sex = check_personal_id("048084000999", sex="female")
    assert "sex" in wrong_sex.errors
    wrong_year = check_personal_id("048084000999", birth_year=1985)
    assert "birth_year" in wrong_year.errors


def test_names_are_normalised_and_folded():
    assert normalize_name("  nguyễn   văn AN ") == "Nguyễn Văn An"
    assert normalize_name("Nguye\u0302\u0303n Thi\u0323 Hoa") == "Nguyễn Thị Hoa"
    assert folded_name("ĐẶNG thị ánh") == "dang thi anh"
