"""Generated scans of known Vietnamese text: for the tests, the benchmarks and the demo (decision
0033). A page is drawn with the Vietnamese font the repository ships (congan/core/fonts, DejaVu
Serif), then made to look scanned: a slight skew, and for the poor set a low resolution, blur,
speckle and JPEG artefacts. Nothing is downloaded."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path(__file__).resolve().parent.parent / "core" / "fonts" / "DejaVuSerif.ttf"


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 300
    skew_degrees: float = 0.7
    blur_radius: float = 0.0
    speckle: float = 0.0  # share of pixels flipped to dark or light
    jpeg_quality: int | None = None
    point_size: float = 12.0
    width_inches: float = 7.0


CLEAN = ScanStyle()
POOR = ScanStyle(dpi=150, skew_degrees=1.2, blur_radius=0.6, speckle=0.012, jpeg_quality=30)


def render(lines: list[str], *, style: ScanStyle = CLEAN, seed: int = 0) -> Image.Image:
    """A greyscale page with ``lines`` (each wrapped to the page width) as a scanner would give it."""
    rng = random.Random(seed)  # noqa: S311 - the noise of a generated scan, no secret
    font = ImageFont.truetype(str(FONT), round(style.point_size * style.dpi / 72))
    margin = style.dpi // 2
    width = round(style.width_inches * style.dpi)
    wrapped = [piece for line in lines for piece in _wrap(line, font, width - 2 * margin)]
    step = round(font.size * 1.55)
    height = 2 * margin + step * len(wrapped)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(wrapped):
        draw.text((margin, margin + index * step), line, font=font, fill=0)
    if style.skew_degrees:
        angle = style.skew_degrees * (1 if rng.random() < 0.5 else -1)
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if style.blur_radius:
        page = page.filter(ImageFilter.GaussianBlur(style.blur_radius))
    if style.speckle:
        pixels = page.load()
        for _ in range(int(page.width * page.height * style.speckle)):
            x, y = rng.randrange(page.width), rng.randrange(page.height)
            pixels[x, y] = rng.choice((0, 60, 255))  # type: ignore[index]
    if style.jpeg_quality:
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=style.jpeg_quality)
        page = Image.open(io.BytesIO(buffer.getvalue()))
        page.load()
    page.info["dpi"] = (style.dpi, style.dpi)
    return page


def _wrap(line: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    words, out, current = line.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def wrapped_text(lines: list[str], *, style: ScanStyle = CLEAN) -> str:
    """The text of a page as ``render`` lays it out, one printed line per line."""
    font = ImageFont.truetype(str(FONT), round(style.point_size * style.dpi / 72))
    margin = style.dpi // 2
    width = round(style.width_inches * style.dpi)
    return "\n".join(piece for line in lines for piece in _wrap(line, font, width - 2 * margin))


def image_bytes(page: Image.Image, *, format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    dpi = page.info.get("dpi", (300, 300))
    if format == "JPEG":
        page.convert("L").save(buffer, format="JPEG", quality=92, dpi=dpi)
    else:
        page.save(buffer, format=format, dpi=dpi)
    return buffer.getvalue()


def pdf_bytes(pages: list[Image.Image]) -> bytes:
    """A scanned PDF: each page an image at its resolution (as a scanner's PDF is)."""
    import img2pdf  # type: ignore[import-untyped]

    dpi = pages[0].info.get("dpi", (300, 300))
    return img2pdf.convert(
        [image_bytes(page) for page in pages], layout_fun=img2pdf.get_fixed_dpi_layout_fun(tuple(map(int, dpi)))
    )
