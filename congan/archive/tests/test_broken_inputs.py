"""Files that cannot become an archive copy end in a clear Vietnamese error on the item, never a
stuck task: a corrupt PDF, an encrypted PDF, an image bomb, a PDF without pages; and what can never
be read (not a PDF nor an image, too large) is refused when it is handed in."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from congan.archive.models import ItemStatus
from congan.archive.services import item_process
from congan.archive.tests.factories import upload
from congan.core.errors import ValidationFailed


def _read(unit, data: bytes, name: str):
    return item_process(item_id=upload(unit, data, name=name).pk)


def test_a_corrupt_pdf_fails_with_a_clear_message(commune):
    item = _read(commune, b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>>\ngarbage" + b"\x00" * 64, "hong.pdf")
    assert (item.status, item.error) == (ItemStatus.FAILED, "Tệp PDF bị hỏng, không đọc được.")
    assert item.lease_token == "" and item.lease_expires_at is None


def test_an_encrypted_pdf_fails_asking_for_one_without_password(commune):
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer, encryption=pikepdf.Encryption(user="mat-khau", owner="chu-so-huu"))
    item = _read(commune, buffer.getvalue(), "mat-khau.pdf")
    assert (item.status, item.error) == (
        ItemStatus.FAILED,
        "Tệp PDF được đặt mật khẩu (mã hóa): hãy gửi bản không mã hóa.",
    )


def test_an_image_bomb_fails_before_its_pixels_are_decoded(commune, settings):
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")  # 400 megapixels in a few kilobytes
    item = _read(commune, buffer.getvalue(), "bom.png")
    assert item.status == ItemStatus.FAILED
    assert item.error.startswith("Ảnh quá lớn: tối đa")


def test_a_pdf_without_pages_fails(commune):
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.save(buffer)
    item = _read(commune, buffer.getvalue(), "rong.pdf")
    assert (item.status, item.error) == (ItemStatus.FAILED, "Tệp PDF không có trang nào.")


def test_a_file_that_is_no_pdf_nor_image_is_refused_when_handed_in(commune):
    with pytest.raises(ValidationFailed) as refused:
        upload(commune, b"PK\x03\x04 a zip archive", name="tai-lieu.docx")
    assert refused.value.details == {
        "scans": ["tai-lieu.docx: Kiểu tệp không được nhận: chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, TIFF."]
    }


def test_a_file_over_the_limit_is_refused_when_handed_in(commune, settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 1_048_576
    with pytest.raises(ValidationFailed) as refused:
        upload(commune, b"%PDF-1.4\n" + b"0" * 1_048_576, name="lon.pdf")
    assert refused.value.details == {"scans": ["lon.pdf: Tệp lớn hơn giới hạn 1 MB."]}


def test_an_unexpected_error_fails_the_item_instead_of_leaving_it_stuck(commune, monkeypatch):
    from congan.archive import ocr

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ocr, "prepare", broken)
    item = _read(commune, b"%PDF-1.4\n%x\n", "x.pdf")
    assert item.status == ItemStatus.FAILED
    assert "RuntimeError" in item.error
