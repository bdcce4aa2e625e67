"""Plate parsing on a table of real formats: cars, motorbikes, old 4-digit plates, special series,
colours and the errors a person or a camera can make."""

from __future__ import annotations

import datetime as dt

import pytest

from congan.core.errors import ValidationFailed
from congan.traffic.plates import PlateColour, fold_plate, parse_plate, province_for_code

VALID = [
    # written as,        motorbike, canonical,   display,          lookup form,  province
    ("43A-123.45", None, "43A12345", "43A-123.45", "43A-123.45", "Đà Nẵng"),
    ("43a12345", None, "43A12345", "43A-123.45", "43A-123.45", "Đà Nẵng"),
    ("  92 A 123 45 ", None, "92A12345", "92A-123.45", "92A-123.45", "Đà Nẵng"),
    ("30A-1234", None, "30A1234", "30A-1234", "30A-1234", "Hà Nội"),
    ("30E-681.93", None, "30E68193", "30E-681.93", "30E-681.93", "Hà Nội"),
    ("29-B1 123.45", None, "29B112345", "29-B1 123.45", "29B1-12345", "Hà Nội"),
    ("98D1-60554", None, "98D160554", "98-D1 605.54", "98D1-60554", "Bắc Ninh"),
    ("29B1-1234", None, "29B11234", "29-B1 1234", "29B1-1234", "Hà Nội"),
    ("29B11234", True, "29B11234", "29-B1 1234", "29B1-1234", "Hà Nội"),
    ("29B11234", None, "29B11234", "29B-112.34", "29B-112.34", "Hà Nội"),
    ("29-AA 123.45", None, "29AA12345", "29AA-123.45", "29AA-123.45", "Hà Nội"),
    ("51LD-123.45", None, "51LD12345", "51LD-123.45", "51LD-123.45", "Thành phố Hồ Chí Minh"),
    ("29-MĐ1 123.45", None, "29MD112345", "29-MD1 123.45", "29MD1-12345", "Hà Nội"),
    ("80A-012.34", None, "80A01234", "80A-012.34", "80A-012.34", "Cơ quan trung ương (Cục Cảnh sát giao thông)"),
    ("29-B1123.45", None, "29B112345", "29-B1 123.45", "29B1-12345", "Hà Nội"),  # as the ONNX reader writes it
    ("29-B1/123.45", None, "29B112345", "29-B1 123.45", "29B1-12345", "Hà Nội"),  # the two lines on one
    ("43A - 123·45", None, "43A12345", "43A-123.45", "43A-123.45", "Đà Nẵng"),
    # What is written settles the series; the vehicle kind only settles eight bare characters.
    ("43A-123.45", True, "43A12345", "43A-123.45", "43A-123.45", "Đà Nẵng"),
    ("29B1-1234", False, "29B11234", "29-B1 1234", "29B1-1234", "Hà Nội"),
]


@pytest.mark.parametrize(("raw", "motorbike", "canonical", "display", "lookup", "province"), VALID)
def test_real_plate_formats_parse_to_one_canonical_form(raw, motorbike, canonical, display, lookup, province):
    plate = parse_plate(raw, motorbike=motorbike)
    assert (plate.canonical, plate.display, plate.lookup_form) == (canonical, display, lookup)
    assert province_for_code(plate.province_code).name == province
    assert fold_plate(raw) == canonical


INVALID = [
    ("43I-123.45", "I"),
    ("29-Q1 123.45", "Q"),
    ("43O12345", "O"),
    ("30W-1234", "W"),
    ("43J-12345", "J"),
    ("13A-123.45", "13"),
    ("44A-123.45", "44"),
    ("99", "dạng"),
    ("43-123.45", "dạng"),
    ("43AB1-123456", "4 hoặc 5 chữ số"),
    ("43A-123", "4 hoặc 5 chữ số"),
    ("29-B0 123.45", "1 đến 9"),
    ("", "dạng"),
]


@pytest.mark.parametrize(("raw", "reason"), INVALID)
def test_impossible_plates_are_refused_with_the_reason(raw, reason):
    with pytest.raises(ValidationFailed) as caught:
        parse_plate(raw)
    assert reason in " ".join(caught.value.details["plate"])


DOT = "dạng 123.45"
SERIAL_LENGTH = "4 hoặc 5 chữ số"
SHAPE = "không đúng dạng"
CHARACTERS = "ký tự"
# Shapes the parser once folded into a plate by dropping every separator: each is refused, and why.
FOLDED_TOO_EAGERLY = [
    # The dot stands only inside a five-digit serial, as NNN.NN.
    ("43A-123.4", DOT),
    ("43A-12.345", DOT),
    ("43A-1234.5", DOT),
    ("43A-123..45", DOT),
    ("30A-12.34", DOT),  # four-digit serials have no dot
    ("29-B1 12.34", DOT),
    ("29-B1 123.4", DOT),
    ("43.A-123.45", DOT),
    # The serial has four digits (old plates) or five (identity plates), never three or six.
    ("43A-123456", SERIAL_LENGTH),  # not the motorbike 43-A1 234.56
    ("29-B1 123", SERIAL_LENGTH),
    ("29-B1 1234567", SERIAL_LENGTH),
    # Separators go after the province code, after the series and inside the serial; nowhere else.
    ("4 3A-123.45", SHAPE),
    ("51L-D 123.45", SHAPE),
    ("29B-1 123.45", SHAPE),
    ("43A-1 2345", SHAPE),
    ("43A--123.45", SHAPE),
    ("-43A-123.45", SHAPE),
    ("43A-123.45-", SHAPE),
    ("43A-123 4 5", SHAPE),
    # Only ASCII letters and digits (and Đ): no look-alikes that upper-casing turns into letters.
    ("43ſ-123.45", CHARACTERS),  # long s: "ſ".upper() == "S"
    ("43ﬀ-123.45", CHARACTERS),  # the "ff" ligature: upper-cased to "FF"
    ("٤٣A-123.45", CHARACTERS),  # Arabic-Indic digits: Python's \d matches them
    ("43Ａ-123.45", CHARACTERS),  # full-width A
    ("43A-123,45", CHARACTERS),
    # Shapes the parser does not support (military, diplomatic) are refused, not guessed at.
    ("TM-12-34", SHAPE),
    ("80-011-NG-01", SHAPE),
]


@pytest.mark.parametrize(("raw", "reason"), FOLDED_TOO_EAGERLY)
def test_shapes_no_plate_takes_are_refused_not_folded(raw, reason):
    with pytest.raises(ValidationFailed) as caught:
        parse_plate(raw)
    message = " ".join(caught.value.details["plate"])
    assert reason in message, message


def test_the_dotted_serial_error_says_what_a_dotted_serial_is():
    with pytest.raises(ValidationFailed) as caught:
        parse_plate("43A-123.4")
    assert caught.value.details == {
        "plate": ["Dấu chấm chỉ đứng trong số thứ tự có 5 chữ số, dạng 123.45 (biển 4 số viết liền, ví dụ 30A-1234)."]
    }


def test_colour_is_kept_beside_the_characters_and_checked():
    white, yellow = parse_plate("43A-123.45"), parse_plate("43A-123.45", colour=PlateColour.YELLOW)
    assert white.canonical == yellow.canonical and (white.colour, yellow.colour) == ("white", "yellow")
    assert parse_plate("43A-123.45", colour=PlateColour.BLUE).colour == "blue"
    with pytest.raises(ValidationFailed):
        parse_plate("43N-123.45", colour=PlateColour.BLUE)  # state plates use series A–M only
    with pytest.raises(ValidationFailed):
        parse_plate("43A-123.45", colour="green")


def test_every_plate_code_of_the_2025_table_belongs_to_one_place():
    codes = {f"{n:02d}" for n in range(10, 100)}
    known = {code for code in codes if province_for_code(code) is not None}
    assert len(known) == 81  # 80 province codes and 80 for central agencies
    assert known.isdisjoint({"13", "42", "44", "45", "46", "87", "91", "96"})
    assert province_for_code("63").name == province_for_code("66").name == "Đồng Tháp"
    assert province_for_code("43", on=dt.date(2020, 1, 1)).name == "Đà Nẵng"  # before the table: the first one
