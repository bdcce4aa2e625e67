"""The PDF work of electronic copies (decision 0031), with pypdf: counting pages, taking the pages of
an extract (trích sao), and checking that a paper original's scan is what Decree 30/2020 Appendix I
(Part II.I) asks of a digitised file: PDF 1.4 or later, colour, at least 200 dpi at 100 % scale.

A scan's resolution is read where the page draws its image: the image's pixels over the size the
page's transformation matrix gives it (a 2,480-pixel-wide image drawn across an A4 page's 595.28
points is 300 dpi). Each page must draw an image; its largest one decides the page's resolution and
whether it is in colour (a grey, black-and-white or 1-bit image is not).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import ContentStream

from congan.core.errors import ValidationFailed

MIN_DPI = 200
MIN_VERSION = (1, 4)
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_HEADER = re.compile(rb"%PDF-(\d+)\.(\d+)")
_COLOUR = {"/DeviceRGB", "/RGB", "/DeviceCMYK", "/CMYK", "/CalRGB", "/Lab"}
_GREY = {"/DeviceGray", "/G", "/CalGray"}
_MAX_DEPTH = 4  # form XObjects inside form XObjects


def _unreadable(field: str) -> ValidationFailed:
    return ValidationFailed(details={field: [_("Không đọc được tệp PDF.")]}, code="invalid_pdf")


def _reader(content: bytes, field: str) -> PdfReader:
    if content.lstrip()[:5] != b"%PDF-":
        raise ValidationFailed(details={field: [_("Tệp không phải PDF.")]}, code="not_pdf")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationFailed(
                details={field: [_("Tệp PDF có mật khẩu hoặc bị mã hóa: không sao được.")]}, code="encrypted_pdf"
            )
        len(reader.pages)
    except ValidationFailed:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise _unreadable(field) from exc
    return reader


def page_count(content: bytes, *, field: str = "file") -> int:
    return len(_reader(content, field).pages)


def extract_pages(content: bytes, first: int, last: int, *, field: str = "page_from") -> bytes:
    """Pages ``first``–``last`` (from 1) of ``content`` as a new PDF. The original's signature fields
    are left out: an extract is a new document, which the copying unit's signature certifies (the
    original's signatures are verified on the original)."""
    reader = _reader(content, field)
    if not 1 <= first <= last <= len(reader.pages):
        raise ValidationFailed(details={field: [_("Khoảng trang không có trong văn bản.")]})
    writer = PdfWriter()
    try:
        for index in range(first - 1, last):
            writer.add_page(reader.pages[index])
        writer.remove_annotations(subtypes="/Widget")
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise _unreadable(field) from exc
    return out.getvalue()


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m × n: ``cm`` sets CTM' = M × CTM."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


@dataclass
class DrawnImage:
    width_px: int
    height_px: int
    width_pt: float
    height_pt: float
    colour: bool

    @property
    def area(self) -> float:
        return self.width_pt * self.height_pt

    @property
    def dpi(self) -> float:
        if self.width_pt <= 0 or self.height_pt <= 0:
            return 0.0
        return min(self.width_px / (self.width_pt / 72), self.height_px / (self.height_pt / 72))


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _is_colour(image: Any, depth: int = 0) -> bool:
    image = _resolve(image)
    if image.get("/ImageMask") or image.get("/IM"):
        return False
    if int(_resolve(image.get("/BitsPerComponent", image.get("/BPC", 8))) or 8) == 1:
        return False
    space = _resolve(image.get("/ColorSpace", image.get("/CS")))
    return _space_is_colour(space, image, depth)


def _space_is_colour(space: Any, image: Any, depth: int) -> bool:
    if space is None:  # JPEG 2000 carries its colour space inside: not read here, taken as given
        return True
    if isinstance(space, str):
        if space in _GREY:
            return False
        return space in _COLOUR or space not in ("/Indexed", "/I", "/Separation", "/DeviceN")
    try:
        items = [_resolve(item) for item in space]
    except TypeError:
        return True
    if not items or depth > 3:
        return True
    family = str(items[0])
    if family == "/ICCBased" and len(items) > 1:
        return int(_resolve(items[1]).get("/N", 3)) >= 3
    if family in ("/Indexed", "/I") and len(items) > 1:
        return _space_is_colour(items[1], image, depth + 1)
    if family == "/Separation":
        return False
    if family == "/DeviceN" and len(items) > 1:
        return len(items[1]) > 1
    return family not in _GREY


def _drawn(width: Any, height: Any, ctm: Matrix, colour: bool) -> DrawnImage:
    a, b, c, d, _e, _f = ctm
    return DrawnImage(
        width_px=int(_resolve(width) or 0),
        height_px=int(_resolve(height) or 0),
        width_pt=math.hypot(a, b),
        height_pt=math.hypot(c, d),
        colour=colour,
    )


def _images(reader: PdfReader, stream: Any, resources: Any, ctm: Matrix, depth: int, found: list[DrawnImage]) -> None:
    if stream is None:
        return
    content = stream if isinstance(stream, ContentStream) else ContentStream(stream, reader)
    resources = _resolve(resources) or {}
    xobjects = _resolve(resources.get("/XObject")) or {}
    saved: list[Matrix] = []
    for operands, operator in content.operations:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q":
            ctm = saved.pop() if saved else ctm
        elif operator == b"cm" and len(operands) == 6:
            ctm = _times(tuple(float(value) for value in operands), ctm)  # type: ignore[arg-type]
        elif operator == b"Do" and operands:
            target = _resolve(xobjects.get(operands[0]))
            if target is None:
                continue
            subtype = target.get("/Subtype")
            if subtype == "/Image":
                found.append(_drawn(target.get("/Width"), target.get("/Height"), ctm, _is_colour(target)))
            elif subtype == "/Form" and depth < _MAX_DEPTH:
                matrix = target.get("/Matrix")
                inner = tuple(float(value) for value in matrix) if matrix else IDENTITY
                _images(reader, target, target.get("/Resources") or resources, _times(inner, ctm), depth + 1, found)  # type: ignore[arg-type]
        elif operator == b"INLINE IMAGE" and isinstance(operands, dict):
            settings = operands.get("settings", {})
            width = settings.get("/W", settings.get("/Width"))
            height = settings.get("/H", settings.get("/Height"))
            found.append(_drawn(width, height, ctm, _is_colour(settings)))


def _version(content: bytes, reader: PdfReader) -> tuple[int, int]:
    header = _HEADER.search(content[:1024])
    version = (int(header.group(1)), int(header.group(2))) if header else (0, 0)
    declared = reader.root_object.get("/Version")  # a later version set in the catalogue
    if declared:
        found = re.match(r"/?(\d+)\.(\d+)", str(declared))
        if found:
            version = max(version, (int(found.group(1)), int(found.group(2))))
    return version


def scan_problems(content: bytes, *, field: str = "file") -> list[str]:
    """What keeps ``content`` from being a digitised original (Vietnamese sentences, first pages
    first); empty when it is a colour PDF 1.4+ whose every page draws an image of 200 dpi or more."""
    reader = _reader(content, field)
    problems: list[str] = []
    try:
        version = _version(content, reader)
        if version < MIN_VERSION:
            problems.append(
                _("Tệp là PDF %(version)s: bản số hóa phải là PDF 1.4 trở lên.")
                % {"version": f"{version[0]}.{version[1]}"}
            )
        for number, page in enumerate(reader.pages, start=1):
            found: list[DrawnImage] = []
            _images(reader, page.get_contents(), page.get("/Resources"), IDENTITY, 0, found)
            if not found:
                problems.append(
                    _("Trang %(page)d không có ảnh quét: tải lên bản quét của văn bản giấy (PDF ảnh màu, từ 200 dpi).")
                    % {"page": number}
                )
                continue
            largest = max(found, key=lambda image: image.area)
            if largest.dpi < MIN_DPI - 0.5:
                problems.append(
                    _("Trang %(page)d quét ở %(dpi)d dpi: bản số hóa phải từ %(min)d dpi trở lên, tỷ lệ 100%%.")
                    % {"page": number, "dpi": round(largest.dpi), "min": MIN_DPI}
                )
            if not largest.colour:
                problems.append(
                    _("Trang %(page)d là ảnh đen trắng hoặc thang xám: bản số hóa phải là ảnh màu.") % {"page": number}
                )
            if len(problems) >= 5:
                break
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise _unreadable(field) from exc
    return problems
