"""Opening uploaded images: the one way for the whole platform (report photos, plate crops).

Pillow decodes bytes that anyone may send. A PNG of 60 bytes can claim 30000 × 30000 pixels:
Pillow refuses it past twice ``Image.MAX_IMAGE_PIXELS`` with ``DecompressionBombError``, which is
no ``OSError`` and was let through as a 500; a malformed file can make a decoder raise almost
anything. ``open_image`` turns every such failure into ``ImageRefused`` (a ``ValidationFailed``,
422 in the API, a field error in a form) with a message in Vietnamese under the caller's field.
"""

from __future__ import annotations

import io
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image

from congan.core.errors import ValidationFailed

FORMATS = ("JPEG", "PNG")


class ImageRefused(ValidationFailed):
    """The bytes are no image of the accepted formats, or one too large to decode (422)."""

    code = "image_invalid"

    def __init__(self, reason: str, *, field: str):
        self.reason = reason
        super().__init__(details={field: [reason]})


def open_image(
    source: bytes | IO[bytes],
    *,
    field: str = "image",
    formats: tuple[str, ...] = FORMATS,
    max_pixels: int | None = None,
    load: bool = False,
) -> Image.Image:
    """The image in ``source`` (bytes or a binary file, read from where it stands), opened by one of
    ``formats``. Its size is checked against ``max_pixels`` (default: Pillow's decompression-bomb
    limit) from the header, before any pixel is decoded; ``load`` then decodes it. Raises
    ``ImageRefused`` with ``details[field]`` for anything Pillow cannot or must not open."""
    limit = Image.MAX_IMAGE_PIXELS if max_pixels is None else max_pixels
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        image = Image.open(stream, formats=formats)
    except Image.DecompressionBombError:
        raise ImageRefused(_too_large(limit or 0), field=field) from None
    except Exception:  # any decoder failure on foreign bytes means: not a readable image
        raise ImageRefused(_unreadable(formats), field=field) from None
    if limit and image.width * image.height > limit:
        image.close()
        raise ImageRefused(_too_large(limit), field=field)
    if load:
        try:
            image.load()
        except Exception:
            image.close()
            raise ImageRefused(_unreadable(formats), field=field) from None
    return image


def _too_large(limit: int) -> str:
    return _("Ảnh quá lớn: tối đa %(megapixels)s triệu điểm ảnh.") % {"megapixels": max(1, round(limit / 1_000_000))}


def _unreadable(formats: tuple[str, ...]) -> str:
    word = _("hoặc")
    separator = f" {word} "
    return _("Không đọc được ảnh: cần ảnh %(formats)s.") % {"formats": separator.join(formats)}
