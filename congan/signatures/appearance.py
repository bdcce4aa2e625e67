"""The visible part of a signature as Decree 30 Appendix I presents it (domain-vietnam.md §5b.B).

- The competent person's signature (box 7c): their blue, transparent signature image centred in the
  box the document leaves between the title and the name; the unit's red seal image at the seal's
  real size overlapping about a third of the signature image, on the left (box 8).
- Separate-file attachments and electronic copies: the unit's signature alone at the top right of
  the first page, no image, the number and symbol (or the copy form and the copying unit) and the
  signing time in ISO 8601 at +07:00, in Times New Roman 10 (Liberation Serif, metric-compatible,
  is bundled: core/fonts).
"""

from __future__ import annotations

import io
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko.stamp.text import TextStamp

POINTS_PER_MM = 72 / 25.4
PIXELS_PER_POINT = 3  # 216 dpi: sharp on print, small in the file
FONT_PATH = Path(__file__).resolve().parent.parent / "core" / "fonts" / "LiberationSerif-Regular.ttf"
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class SignerBoxPlacement:
    """The signer's image in ``box`` (x1, y1, x2, y2 in PDF points, origin bottom left) of ``page``
    (0 = first, -1 = last), with the unit's seal at ``seal_size_mm`` overlapping it on the left.

    ``seal_only``: the organisation's own signature (box 8) that follows the signer's: the seal
    alone, where it falls over the signer's image in the same box."""

    page: int
    box: Box
    signer_image: bytes
    seal_image: bytes | None = None
    seal_size_mm: float = 36.0
    seal_only: bool = False


@dataclass(frozen=True)
class CopyCornerPlacement:
    """The unit's signature alone at the top right of the first page, with these text lines and the
    signing time under them."""

    lines: list[str] = field(default_factory=list)


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA")


@lru_cache(maxsize=32)
def composed_stamp(placement: SignerBoxPlacement) -> tuple[Box, bytes]:
    """The field rectangle (the box, widened to the seal where it passes it) and the PNG drawn in it."""
    x1, y1, x2, y2 = placement.box
    box_w, box_h = x2 - x1, y2 - y1
    signature = _image(placement.signer_image)
    scale = min(box_w / signature.width, box_h / signature.height)
    sig_w, sig_h = signature.width * scale, signature.height * scale
    sig_x, sig_y = x1 + (box_w - sig_w) / 2, y1 + (box_h - sig_h) / 2
    left, bottom, right, top = x1, y1, x2, y2
    seal_rect = None
    if placement.seal_image:
        diameter = placement.seal_size_mm * POINTS_PER_MM
        # The seal's right edge a third of the way into the signature image, centred on its height.
        seal_x = sig_x + sig_w / 3 - diameter
        seal_y = sig_y + sig_h / 2 - diameter / 2
        seal_rect = (seal_x, seal_y, diameter)
        left, bottom = min(left, seal_x), min(bottom, seal_y)
        right, top = max(right, seal_x + diameter), max(top, seal_y + diameter)
    if placement.seal_only and seal_rect:
        left, bottom = seal_rect[0], seal_rect[1]
        right, top = seal_rect[0] + seal_rect[2], seal_rect[1] + seal_rect[2]
    width_px = round((right - left) * PIXELS_PER_POINT)
    height_px = round((top - bottom) * PIXELS_PER_POINT)
    canvas = Image.new("RGBA", (width_px, height_px), (255, 255, 255, 0))

    def paste(image: Image.Image, x: float, y: float, w: float, h: float) -> None:
        size = (max(1, round(w * PIXELS_PER_POINT)), max(1, round(h * PIXELS_PER_POINT)))
        resized = image.resize(size, Image.Resampling.LANCZOS)
        # PDF y grows upwards, image rows downwards.
        position = (round((x - left) * PIXELS_PER_POINT), round((top - y - h) * PIXELS_PER_POINT))
        canvas.alpha_composite(resized, position)

    if not placement.seal_only:
        paste(signature, sig_x, sig_y, sig_w, sig_h)
    if seal_rect and placement.seal_image:  # the seal is stamped over the signature, as on paper
        seal_x, seal_y, diameter = seal_rect
        paste(_image(placement.seal_image), seal_x, seal_y, diameter, diameter)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=False)
    return (left, bottom, right, top), out.getvalue()


@lru_cache(maxsize=32)
def signer_box_style(placement: SignerBoxPlacement) -> tuple[Box, StaticStampStyle]:
    rect, png = composed_stamp(placement)
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    image = Image.open(io.BytesIO(png))
    style = StaticStampStyle(
        background=PdfImage(image, box=layout.BoxConstraints(width=width, height=height)),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
    )
    return rect, style


def iso_vietnam(stamped: str) -> str:
    """``2026-12-07T05:30:00+0000`` (pyHanko's rendering of the signing time) as
    ``2026-12-07T12:30:00+07:00``: the same instant in Vietnam time, ISO 8601 with the colon."""
    try:
        moment = datetime.strptime(stamped, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return stamped
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CornerStampStyle(TextStampStyle):
    """A text stamp whose ``%(ts)s`` is the signing time of the signature itself (the one in the CMS
    signed attributes), written in Vietnam time as ISO 8601."""

    def create_stamp(self, writer, box, text_params):
        params = dict(text_params)
        if "ts" in params:
            params["ts"] = iso_vietnam(params["ts"])
        return TextStamp(writer=writer, style=self, box=box, text_params=params)


@lru_cache(maxsize=1)
def _font_at_1000_upem() -> bytes:
    """The bundled font scaled to 1000 units per em: pyHanko writes glyph widths (/W) and kerning in
    font units, which PDF reads as thousandths of an em, so a 2048-unit TrueType font (Liberation,
    DejaVu) would be drawn spread out. Scaled in memory, for embedding only."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(FONT_PATH))
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class _ScaledFont(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None):
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_at_1000_upem()),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


@lru_cache(maxsize=1)
def _font() -> GlyphAccumulatorFactory:
    return _ScaledFont(str(FONT_PATH))


LINE_HEIGHT = 12.0  # 10 pt text, the TextBoxStyle's default leading of 1.2


def corner_style(placement: CopyCornerPlacement, page_width: float, page_height: float) -> tuple[Box, CornerStampStyle]:
    lines = [re.sub(r"[%]", "%%", line) for line in placement.lines if line.strip()]
    text = "\n".join([*lines, "%(ts)s"])
    height = LINE_HEIGHT * (len(lines) + 1) + 6
    width = 250.0
    # Close to the top edge (about 5 mm, inside what a printer prints) so that the stamp stays above
    # an Appendix I header (the motto begins about 20 mm down) instead of writing over it.
    margin, top = 28.0, 14.0
    rect = (page_width - margin - width, page_height - top - height, page_width - margin, page_height - top)
    style = CornerStampStyle(
        stamp_text=text,
        timestamp_format=ISO_FORMAT,
        text_box_style=TextBoxStyle(font=_font(), font_size=10),
        border_width=0,
        background=None,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins.uniform(2),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )
    return rect, style
