"""One way to open an uploaded image (congan.core.images): a decompression bomb, garbage bytes and
a format the caller does not take are refused with a field error, never a 500."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from congan.core.errors import ValidationFailed
from congan.core.images import ImageRefused, open_image
from congan.core.testing.images import png_claiming


def _png(size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_as_a_field_error():
    bomb = png_claiming(30000, 30000)
    assert len(bomb) < 80
    with pytest.raises(ImageRefused) as refused:
        open_image(bomb, field="media")
    assert isinstance(refused.value, ValidationFailed) and refused.value.status == 422
    assert refused.value.details == {"media": [refused.value.reason]}
    assert "quá lớn" in refused.value.reason


def test_an_image_above_the_callers_limit_is_refused_before_it_is_decoded():
    with pytest.raises(ImageRefused) as refused:
        open_image(_png((40, 30)), max_pixels=1000, load=True)
    assert "quá lớn" in refused.value.details["image"][0]


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a" + b"\x00" * 40],
    ids=["empty", "text", "truncated-png", "gif"],
)
def test_bytes_that_are_no_jpeg_or_png_are_refused(data):
    with pytest.raises(ImageRefused) as refused:
        open_image(data, load=True)
    assert refused.value.details == {"image": ["Không đọc được ảnh: cần ảnh JPEG hoặc PNG."]}


def test_a_good_image_opens_from_bytes_or_a_file():
    with open_image(_png()) as image:
        assert image.size == (4, 3)
    with open_image(io.BytesIO(_png()), load=True) as image:
        assert image.getpixel((0, 0)) == (255, 0, 0)
