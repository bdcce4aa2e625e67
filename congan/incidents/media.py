"""Photos and videos attached to a report: type from the first bytes, size limit, photos opened
through core.images, SHA-256 for evidence integrity, and the camera's time and position from EXIF
(kept as they were recorded)."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from congan.core.errors import ValidationFailed
from congan.core.images import ImageRefused, open_image
from congan.core.uploads import store_all, upload_sha256
from congan.incidents.models import Report, ReportMedia

MAX_FILES = 10
EXIF_IFD, GPS_IFD, DATETIME_ORIGINAL = 0x8769, 0x8825, 36867


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


@dataclass(frozen=True)
class CheckedMedia:
    """An upload that passed the checks: its type from the first bytes, and for a photo what its
    EXIF records (read while the photo was opened to check it)."""

    upload: UploadedFile
    kind: str
    facts: dict[str, Any] = field(default_factory=dict)


def media_check(uploads: Any) -> list[CheckedMedia]:
    """Type, size and, for photos, that Pillow can open them (core.images: a decompression bomb or
    an unreadable photo is a field error on ``media``, never a 500)."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(details={"media": [_("Tối đa %(n)s tệp.") % {"n": MAX_FILES}]})
    checked, problems = [], []
    limit = settings.INCIDENTS_MEDIA_MAX_BYTES
    for upload in uploads:
        upload.seek(0)
        kind = sniff(upload.read(16))
        upload.seek(0)
        if kind is None:
            problems.append(_("%(name)s: chỉ nhận ảnh JPEG, PNG hoặc video MP4, WebM.") % {"name": upload.name})
        elif upload.size > limit:
            problems.append(_("%(name)s: lớn hơn %(max)s.") % {"name": upload.name, "max": filesizeformat(limit)})
        else:
            try:
                facts = exif_facts(upload) if kind.startswith("image/") else {}
            except ImageRefused as refused:
                problems.append(f"{upload.name}: {refused.reason}")
            else:
                checked.append(CheckedMedia(upload, kind, facts))
    if problems:
        raise ValidationFailed(details={"media": problems})
    return checked


def _degrees(values: Any, reference: str) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(value) for value in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = Decimal(str(round(degrees + minutes / 60 + seconds / 3600, 6)))
    return -result if reference in ("S", "W") else result


def exif_facts(upload: UploadedFile) -> dict[str, Any]:
    """DateTimeOriginal and GPS position of a photo, when the camera recorded them. The photo is
    opened through core.images (ImageRefused when it cannot or must not be opened); EXIF that
    cannot be read leaves the facts empty: a photo without readable EXIF is still evidence."""
    upload.seek(0)
    try:
        with open_image(upload, field="media") as image:
            return _facts(image)
    finally:
        upload.seek(0)


def _facts(image: Image.Image) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    try:
        exif = image.getexif()
        taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
        if taken:
            facts["taken_at"] = str(taken)[:40]
        gps = exif.get_ifd(GPS_IFD)
        if gps.get(2) and gps.get(4):
            facts["exif_latitude"] = _degrees(gps[2], gps.get(1, "N"))
            facts["exif_longitude"] = _degrees(gps[4], gps.get(3, "E"))
    except (OSError, ValueError, SyntaxError, KeyError, TypeError, struct.error):
        return {}
    return facts


def media_save(report: Report, checked: list[CheckedMedia]) -> list[ReportMedia]:
    return store_all(
        (
            ReportMedia(
                report=report,
                original_name=item.upload.name[:255],
                content_type=item.kind,
                size=item.upload.size,
                sha256=upload_sha256(item.upload),
                **item.facts,
            ),
            item.upload,
        )
        for item in checked
    )
