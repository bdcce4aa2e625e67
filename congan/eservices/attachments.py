"""Attachments: checked by size and by their first bytes (never by the name or the type the
browser claims), stored through Django's storage with a random name."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
from congan.core.uploads import store_all, upload_sha256
from congan.eservices.models import Dossier, DossierAttachment

SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
MAX_FILES = 20


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def attachments_check(uploads: Iterable[tuple[str, UploadedFile]]) -> list[tuple[str, UploadedFile, str]]:
    """(label, file, content type) for each upload; ValidationFailed naming every bad file."""
    checked, problems = [], []
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(details={"attachments": [_("Tối đa %(n)s tệp.") % {"n": MAX_FILES}]})
    for label, upload in uploads:
        if upload.size > settings.ESERVICES_ATTACHMENT_MAX_BYTES:
            problems.append(
                _("%(name)s: lớn hơn %(max)s.")
                % {"name": upload.name, "max": filesizeformat(settings.ESERVICES_ATTACHMENT_MAX_BYTES)}
            )
            continue
        upload.seek(0)
        kind = sniff(upload.read(16))
        upload.seek(0)
        if kind is None or kind not in settings.ESERVICES_ATTACHMENT_TYPES:
            problems.append(_("%(name)s: chỉ nhận tệp PDF, JPEG hoặc PNG.") % {"name": upload.name})
            continue
        checked.append(((label or upload.name)[:300], upload, kind))
    if problems:
        raise ValidationFailed(details={"attachments": problems})
    return checked


def attachments_save(dossier: Dossier, checked: list[tuple[str, UploadedFile, str]]) -> list[DossierAttachment]:
    """Store the files and their rows (inside the caller's transaction); a refused submission
    leaves nothing behind."""
    return store_all(
        (
            DossierAttachment(
                dossier=dossier,
                label=label,
                original_name=upload.name[:255],
                content_type=kind,
                size=upload.size,
                sha256=upload_sha256(upload),
            ),
            upload,
        )
        for label, upload, kind in checked
    )
