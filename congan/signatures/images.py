"""Demo signature and seal images drawn with Pillow: a blue handwritten-like stroke on a transparent
background, and a red round seal with the unit's name around a star (Decree 30 Appendix I asks for
PNG images with transparent backgrounds). For the demo and the tests only: real images are scanned."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from congan.signatures.appearance import FONT_PATH

BLUE = (20, 40, 160, 255)
RED = (200, 20, 30, 255)


def signature_png(name: str, width: int = 600, height: int = 240) -> bytes:
    """A blue, transparent signature-like drawing: a looping stroke and the name's last word."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    seed = sum(ord(ch) for ch in name)
    points = []
    for step in range(120):
        t = step / 119
        x = 40 + t * (width - 80)
        y = height / 2 + math.sin(t * math.pi * (3 + seed % 3)) * height * 0.28 * (1 - t * 0.5)
        points.append((x, y))
    draw.line(points, fill=BLUE, width=7, joint="curve")
    font = ImageFont.truetype(str(FONT_PATH), 56)
    word = name.split()[-1] if name.split() else name
    draw.text((width * 0.45, height * 0.62), word, fill=BLUE, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seal_png(unit_name: str, size: int = 320) -> bytes:
    """A red round seal: two rings, the unit's name around the edge and a five-pointed star."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    draw.ellipse((6, 6, size - 6, size - 6), outline=RED, width=12)
    draw.ellipse((size * 0.2, size * 0.2, size * 0.8, size * 0.8), outline=RED, width=6)
    star = []
    for i in range(10):
        radius = size * (0.2 if i % 2 == 0 else 0.08)
        angle = -math.pi / 2 + i * math.pi / 5
        star.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(str(FONT_PATH), max(14, int(size * 0.075)))
    text = unit_name.upper()
    for index, char in enumerate(text):
        angle = math.pi + (index + 0.5) * (math.pi * 1.7 / max(1, len(text))) - math.pi * 0.35
        x = c + size * 0.385 * math.cos(angle)
        y = c + size * 0.385 * math.sin(angle)
        glyph = Image.new("RGBA", (int(size * 0.12), int(size * 0.12)), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), char, fill=RED, font=font, anchor="mm")
        rotated = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(rotated, (int(x - rotated.width / 2), int(y - rotated.height / 2)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
