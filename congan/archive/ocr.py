"""Reading a scanned file: what the archive's task runs (decision 0033).

``prepare`` checks the file and makes it a PDF OCRmyPDF can read (images: JPEG, PNG, TIFF, opened
through the platform's one image helper, congan.core.images, which refuses decompression bombs);
``recognise`` runs OCRmyPDF as a library — rasterise, deskew, clean, Tesseract with Vietnamese
data, PDF/A with a text layer — and returns each page's text, mean word confidence and language,
written by the archive's OCRmyPDF plugin (congan.archive.ocr_plugin). Each failure a person can act
on is an ``OcrRefused`` with a Vietnamese message for the item's page.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from congan.core.images import ImageRefused, open_image

logger = logging.getLogger(__name__)

PLUGIN = "congan.archive.ocr_plugin"
IMAGE_FORMATS = ("JPEG", "PNG", "TIFF")
DEFAULT_IMAGE_DPI = 300  # a scan that does not say its resolution was almost surely made at 300 dpi


class OcrRefused(Exception):
    """The file cannot become an archive copy; ``message`` tells the officer why (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    confidence: float
    words: int
    language: str


def sniff(head: bytes) -> str:
    """ "pdf", "image" or "" from a file's first bytes (names and declared types are not believed)."""
    if head.lstrip(b"\r\n\t \x00")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n" or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    return ""


def unsupported_message() -> str:
    return _("Kiểu tệp không được nhận: chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, TIFF.")


def too_large_message(limit: int) -> str:
    return _("Tệp lớn hơn giới hạn %(mb)s MB.") % {"mb": max(1, limit // 1_048_576)}


def prepare(original: Path, work: Path) -> tuple[Path, int]:
    """(a PDF to read, its page count) for the file at ``original``, or OcrRefused."""
    size = original.stat().st_size
    if size == 0:
        raise OcrRefused(_("Tệp rỗng (0 byte)."))
    if size > settings.ARCHIVE_MAX_UPLOAD_BYTES:
        raise OcrRefused(too_large_message(settings.ARCHIVE_MAX_UPLOAD_BYTES))
    with original.open("rb") as handle:
        kind = sniff(handle.read(1024))
    if kind == "pdf":
        pdf = original
    elif kind == "image":
        pdf = work / "image.pdf"
        _image_to_pdf(original, pdf)
    else:
        raise OcrRefused(unsupported_message())
    pages = pdf_page_count(pdf)
    if pages == 0:
        raise OcrRefused(_("Tệp PDF không có trang nào."))
    if pages > settings.ARCHIVE_MAX_PAGES:
        raise OcrRefused(
            _("Tệp có %(pages)d trang, quá giới hạn %(limit)d trang: hãy tách thành nhiều tệp.")
            % {"pages": pages, "limit": settings.ARCHIVE_MAX_PAGES}
        )
    return pdf, pages


def encrypted_message() -> str:
    return _("Tệp PDF được đặt mật khẩu (mã hóa): hãy gửi bản không mã hóa.")


def corrupt_message() -> str:
    return _("Tệp PDF bị hỏng, không đọc được.")


def pdf_page_count(pdf: Path) -> int:
    import pikepdf

    try:
        with pikepdf.open(pdf) as document:
            if document.is_encrypted:
                raise OcrRefused(encrypted_message())
            return len(document.pages)
    except pikepdf.PasswordError:
        raise OcrRefused(encrypted_message()) from None
    except (pikepdf.PdfError, RecursionError, ValueError):
        raise OcrRefused(corrupt_message()) from None


def _image_to_pdf(source: Path, target: Path) -> None:
    """Every frame of the image, at its own resolution, as the pages of a PDF. The pixels are
    checked against the decompression-bomb limit before any is decoded."""
    import img2pdf  # type: ignore[import-untyped]

    try:
        with source.open("rb") as handle:
            image = open_image(handle, field="file", formats=IMAGE_FORMATS, load=True)
            frames = getattr(image, "n_frames", 1)
            dpi = _dpi_of(image.info.get("dpi"))
            flat = image.mode in ("RGBA", "LA", "P", "PA", "I;16", "I", "F") or (image.format == "TIFF" and frames > 1)
            if flat or image.format not in ("JPEG", "PNG"):
                pages = []
                for index in range(frames):
                    image.seek(index)
                    frame = image.convert("RGB") if image.mode not in ("1", "L", "RGB") else image.copy()
                    buffer = io.BytesIO()
                    frame.save(buffer, format="PNG", dpi=(dpi, dpi))
                    pages.append(buffer.getvalue())
            else:
                pages = [source.read_bytes()]
            image.close()
    except ImageRefused as refused:
        raise OcrRefused(refused.reason) from None
    except (OSError, ValueError, EOFError):
        raise OcrRefused(_("Không đọc được ảnh: cần ảnh JPEG, PNG hoặc TIFF.")) from None
    try:
        target.write_bytes(img2pdf.convert(pages, layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))))
    except Exception:  # img2pdf raises its own errors and ValueError for what it cannot embed
        raise OcrRefused(_("Không đọc được ảnh: cần ảnh JPEG, PNG hoặc TIFF.")) from None


def _dpi_of(value: object) -> int:
    try:
        dpi = round(float(value[0]))  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return DEFAULT_IMAGE_DPI
    return dpi if 70 <= dpi <= 1200 else DEFAULT_IMAGE_DPI


def ocr_options() -> dict[str, Any]:
    """The OCRmyPDF options the archive reads with; the benchmark runs the command with the same."""
    return {
        "language": [part for part in settings.ARCHIVE_OCR_LANGUAGES.split("+") if part],
        "deskew": True,
        "clean": bool(settings.ARCHIVE_OCR_CLEAN),
        "output_type": "pdfa",
        # OCRmyPDF's own PDF/A conversion: Debian 12's Ghostscript 10.0 is refused by OCRmyPDF
        # for files with existing text (it corrupts them), and the internal backend needs none.
        "pdfa_backend": "internal",
        "mode": "skip",  # pages that already carry text (a born-digital PDF) keep it
        "jobs": max(1, settings.ARCHIVE_OCR_JOBS),
        # Pillow's limit as the platform set it (OCRmyPDF writes this into Pillow's global setting).
        "max_image_mpixels": (Image.MAX_IMAGE_PIXELS or 0) / 1_000_000,
        "tesseract_timeout": 300.0,
    }


def recognise(pdf: Path, output: Path, work: Path, *, on_page: Callable[[int], None] | None = None) -> list[PageText]:
    """OCRmyPDF on ``pdf`` into the PDF/A ``output``; the pages' text, confidence and language.
    ``on_page(pages_done)`` is called from this thread as pages are read (progress, lease)."""
    import ocrmypdf

    stats = work / "pages"
    stats.mkdir(parents=True, exist_ok=True)
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            ocrmypdf.ocr(
                pdf,
                output,
                plugins=[PLUGIN],
                progress_bar=False,
                congan_page_stats=str(stats),
                congan_min_dpi=settings.ARCHIVE_OCR_MIN_DPI,
                **ocr_options(),
            )
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    reader = threading.Thread(target=run, name="archive-ocr", daemon=True)
    reader.start()
    reported, last_report = -1, time.monotonic()
    while reader.is_alive():
        reader.join(timeout=0.5)
        done = len(list(stats.glob("*.json")))
        # A page done, or half a minute without one (a long page): progress, and the lease renewed.
        if on_page is not None and (done != reported or time.monotonic() - last_report > 30):
            reported, last_report = done, time.monotonic()
            on_page(done)
    if "error" in outcome:
        raise _refusal(outcome["error"])
    pages = {int(path.stem): json.loads(path.read_text(encoding="utf-8")) for path in stats.glob("*.json")}
    return _pages_of(output, pages)


def _refusal(error: BaseException) -> BaseException:
    import ocrmypdf.exceptions as errors

    if isinstance(error, Image.DecompressionBombError):
        limit = max(1, round((Image.MAX_IMAGE_PIXELS or 0) / 1_000_000))
        return OcrRefused(_("Ảnh trong tệp quá lớn: tối đa %(megapixels)s triệu điểm ảnh.") % {"megapixels": limit})
    if isinstance(error, errors.EncryptedPdfError):
        return OcrRefused(encrypted_message())
    if isinstance(error, errors.InputFileError | errors.UnsupportedImageFormatError):
        return OcrRefused(corrupt_message())
    if isinstance(error, errors.DpiError):
        return OcrRefused(_("Ảnh không ghi độ phân giải đáng tin: hãy quét lại ở 300 dpi."))
    if isinstance(error, errors.MissingDependencyError):
        return OcrRefused(_("Máy chủ thiếu phần mềm nhận dạng chữ (Tesseract, Ghostscript): báo quản trị hệ thống."))
    return error


def _pages_of(output: Path, recognised: dict[int, dict]) -> list[PageText]:
    """Every page of the archive copy: recognised pages from the plugin's files; a page OCRmyPDF
    skipped because it already had text keeps that text (confidence 100)."""
    from pypdf import PdfReader

    reader = PdfReader(output)
    pages = []
    for number in range(1, len(reader.pages) + 1):
        found = recognised.get(number)
        if found is None:
            try:
                text = (reader.pages[number - 1].extract_text() or "").strip()
            except Exception:  # a page pypdf cannot read has no text for the archive
                text = ""
            found = {"text": text, "confidence": 100.0 if text else 0.0, "words": len(text.split()), "language": ""}
        pages.append(
            PageText(
                number=number,
                text=found["text"],
                confidence=float(found["confidence"]),
                words=int(found["words"]),
                language=str(found["language"]),
            )
        )
    return pages
