"""Photos and videos attached to a report: type from the first bytes, size limit, SHA-256 for
evidence integrity, and the camera's time and position from EXIF (kept as they were recorded)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
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


def media_check(uploads: Any) -> list[tuple[UploadedFile, str]]:
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
            checked.append((upload, kind))
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
    """DateTimeOriginal and GPS position of a photo, when the camera recorded them."""
    from PIL import Image, UnidentifiedImageError

    facts: dict[str, Any] = {}
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
            if taken:
                facts["taken_at"] = str(taken)[:40]
            gps = exif.get_ifd(GPS_IFD)
            if gps.get(2) and gps.get(4):
                facts["exif_latitude"] = _degrees(gps[2], gps.get(1, "N"))
                facts["exif_longitude"] = _degrees(gps[4], gps.get(3, "E"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        pass  # a photo without readable EXIF is still evidence
    finally:
        upload.seek(0)
    return facts


def media_save(report: Report, checked: list[tuple[UploadedFile, str]]) -> list[ReportMedia]:
    return store_all(
        (
            ReportMedia(
                report=report,
                original_name=upload.name[:255],
                content_type=kind,
                size=upload.size,
                sha256=upload_sha256(upload),
                **(exif_facts(upload) if kind.startswith("image/") else {}),
            ),
            upload,
        )
        for upload, kind in checked
    )
