"""The number-and-symbol grammar of Decree 30/2020 (Appendix I §3): built, read and refused."""

from __future__ import annotations

import pytest

from congan.core.errors import ValidationFailed
from congan.documents import symbols
from congan.documents.types import type_rows

ABBREVIATIONS = [row["abbreviation"] for row in type_rows()]


def test_a_decision_reads_number_type_issuer_and_drafting_unit():
    assert symbols.build(number=15, type_abbreviation="QĐ", issuer_groups=["CAT", "PV01"]) == "15/QĐ-CAT-PV01"


def test_a_cong_van_has_no_type_block():
    assert symbols.build(number=5, type_abbreviation="", issuer_groups=["CAT", "PV01"]) == "05/CAT-PV01"


@pytest.mark.parametrize(("number", "written"), [(1, "01"), (9, "09"), (10, "10"), (367, "367")])
def test_numbers_below_ten_take_a_leading_zero(number, written):
    assert symbols.format_number(number) == written


def test_building_refuses_a_lower_case_issuer_or_no_number():
    with pytest.raises(ValueError):
        symbols.build(number=3, type_abbreviation="TB", issuer_groups=["cat"])
    with pytest.raises(ValueError):
        symbols.build(number=0, type_abbreviation="TB", issuer_groups=["CAT"])


def test_a_typed_symbol_is_read_into_its_parts():
    parsed = symbols.parse("15/QĐ-CAT-PV01", abbreviations=ABBREVIATIONS)
    assert (parsed.number, parsed.type_abbreviation, parsed.issuer_groups) == (15, "QĐ", ("CAT", "PV01"))
    assert str(parsed) == "15/QĐ-CAT-PV01"
    assert parsed.notation == "QĐ-CAT-PV01"


def test_a_cong_van_symbol_is_read_without_a_type():
    parsed = symbols.parse("05/BNV-VP", abbreviations=ABBREVIATIONS)
    assert parsed.type_abbreviation == ""
    assert str(parsed) == "05/BNV-VP"


def test_reading_forgives_spaces_the_so_prefix_a_missing_zero_and_the_case_of_the_type():
    parsed = symbols.parse("Số: 5 / qđ - cat-pv01", abbreviations=ABBREVIATIONS)
    assert str(parsed) == "05/QĐ-CAT-PV01"


def test_types_that_differ_only_in_a_letter_stay_apart():
    assert symbols.parse("12/QyĐ-CAT", abbreviations=ABBREVIATIONS).type_abbreviation == "QyĐ"
    assert symbols.parse("12/QĐ-CAT", abbreviations=ABBREVIATIONS).type_abbreviation == "QĐ"
    assert symbols.parse("12/ĐA-CAT", abbreviations=ABBREVIATIONS).type_abbreviation == "ĐA"
    assert symbols.parse("12/DA-CAT", abbreviations=ABBREVIATIONS).type_abbreviation == "DA"


def test_an_issuer_group_may_carry_d_with_stroke():
    assert str(symbols.parse("7816/VPCP-TTĐT", abbreviations=ABBREVIATIONS)) == "7816/VPCP-TTĐT"


def test_a_unit_code_that_starts_like_a_type_is_not_taken_for_one():
    parsed = symbols.parse("21/PC06-Đ3", abbreviations=ABBREVIATIONS)
    assert (parsed.type_abbreviation, parsed.issuer_groups) == ("", ("PC06", "Đ3"))


def test_a_symbol_without_a_number_is_read_as_such():
    parsed = symbols.parse("TB-UBND", abbreviations=ABBREVIATIONS)
    assert parsed.number is None
    assert str(parsed) == "TB-UBND"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Nhập số, ký hiệu"),
        ("15//QĐ-CAT", "một dấu gạch chéo"),
        ("1a/QĐ-CAT", "Trước dấu gạch chéo phải là số"),
        ("00/QĐ-CAT", "từ 01 trở lên"),
        ("15/QĐ--CAT", "nhóm trống"),
        ("15/QĐ-CAT-", "nhóm trống"),
        ("15/QĐ_CAT", "không hợp lệ: QĐ_CAT"),
        ("15/QĐ-CÁT", "không hợp lệ: CÁT"),
        ("15/QĐ", "Sau tên loại QĐ phải có"),
        ("15/2026", "Thiếu ký hiệu"),
        ("15/QĐ-" + "A" * 30, "dài quá 30"),
    ],
)
def test_a_malformed_symbol_is_refused_with_a_vietnamese_field_error(typed, says):
    with pytest.raises(ValidationFailed) as caught:
        symbols.parse(typed, abbreviations=ABBREVIATIONS, field="symbol")
    messages = caught.value.details["symbol"]
    assert any(says in message for message in messages), messages
