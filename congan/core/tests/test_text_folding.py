"""Vietnamese text helpers: NFC normalisation, diacritic folding (đ→d) and Vietnamese sort order."""

from __future__ import annotations

import unicodedata

import pytest

from congan.core.text import (
    as_written,
    fold,
    has_diacritics,
    normalize_text,
    vietnamese_name_sort_key,
    vietnamese_sort_key,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đặng Thị Ánh", "dang thi anh"),
        ("ĐẶNG THỊ ÁNH", "dang thi anh"),
        ("Nguyễn Hữu Đạt", "nguyen huu dat"),
        ("Công an phường Hải Châu", "cong an phuong hai chau"),
        ("Trương Ngọc Ửng", "truong ngoc ung"),
        ("  Lê   Văn\tAn \n", "le van an"),
        ("", ""),
    ],
)
def test_fold_drops_diacritics_case_and_reads_đ_as_d(text, folded):
    assert fold(text) == folded


def test_fold_gives_the_same_result_for_nfc_and_nfd_input():
    nfd = unicodedata.normalize("NFD", "Đặng Thị Ánh")
    assert nfd != "Đặng Thị Ánh"
    assert fold(nfd) == fold("Đặng Thị Ánh") == "dang thi anh"


def test_normalize_text_composes_to_nfc_and_collapses_whitespace():
    nfd = unicodedata.normalize("NFD", "  Huỳnh   Thị\u00a0Mỹ\nLinh  ")
    result = normalize_text(nfd)
    assert result == "Huỳnh Thị Mỹ Linh"
    assert unicodedata.is_normalized("NFC", result)
    assert len(result) == len("Huỳnh Thị Mỹ Linh")
    assert normalize_text(None) == ""


def test_sort_key_orders_tones_ngang_huyen_hoi_nga_sac_nang():
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=vietnamese_sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]


def test_sort_key_puts_ă_and_â_after_a_and_đ_after_d():
    assert sorted(["ân", "ăn", "an", "bàn"], key=vietnamese_sort_key) == ["an", "ăn", "ân", "bàn"]
    assert sorted(["em", "đan", "dung", "giang"], key=vietnamese_sort_key) == ["dung", "đan", "em", "giang"]
    assert sorted(["ơn", "ôm", "on", "ưng", "ung", "vy"], key=vietnamese_sort_key) == [
        "on",
        "ôm",
        "ơn",
        "ung",
        "ưng",
        "vy",
    ]


def test_sort_key_compares_letters_before_tones():
    # "Ánh" precedes "Ao": the letters decide first, the tone only between equal letters.
    assert sorted(["Ao", "Ánh", "Anh"], key=vietnamese_sort_key) == ["Anh", "Ánh", "Ao"]


def test_names_sort_by_given_name_then_family_and_middle_names():
    names = ["Trần Thị Ánh", "Lê Thị Giang", "Nguyễn Văn An", "Trần Văn Đạt", "Phạm Văn An", "Võ Thị Dung"]
    assert sorted(names, key=vietnamese_name_sort_key) == [
        "Nguyễn Văn An",
        "Phạm Văn An",
        "Trần Thị Ánh",
        "Võ Thị Dung",
        "Trần Văn Đạt",
        "Lê Thị Giang",
    ]
    # A plain code-point sort would put "Đạt" after "Giang" (Đ is U+0110).
    assert sorted(["Đạt", "Giang"]) == ["Giang", "Đạt"]


def test_name_sort_key_ignores_case_spacing_and_normal_form():
    assert vietnamese_name_sort_key("  trần  thị ÁNH ") == vietnamese_name_sort_key(
        unicodedata.normalize("NFD", "Trần Thị Ánh")
    )


@pytest.mark.parametrize(
    ("text", "marked"),
    [("Xe chạy chậm", True), ("Nhà bốc CHÁY", True), ("đi", True), ("xe chay cham", False), ("Xe 43A", False)],
)
def test_text_has_diacritics_when_any_word_carries_a_mark_or_đ(text, marked):
    assert has_diacritics(text) is marked


def test_as_written_tells_the_tones_apart_whichever_vowel_carries_them():
    assert as_written("cháy") != as_written("chạy") != as_written("chay")
    assert as_written("Đe doạ") == as_written("đe dọa")
    assert as_written("HOÀ  bình!") == as_written("hòa bình")
    assert as_written("bôc") != as_written("bốc")  # the circumflex stays a letter of its own
