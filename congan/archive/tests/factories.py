"""Helpers of the archive tests: small generated scans of Vietnamese text (congan.archive.scans),
items and dossiers made through the services."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.base import ContentFile

from congan.archive import scans
from congan.archive.models import ArchiveItem, ArchivePage, Dossier, ItemStatus, RetentionSchedule
from congan.archive.services import DossierFields, dossier_create, item_create

# Short lines with every tone mark between them, few enough to read in a second or two.
TONE_LINES = [
    "Chẳng may ngã quỵ, bà mẹ được đưa đi cấp cứu; vết thương nhẹ.",
    "Ủy ban nhân dân xã Hòa Bắc đề nghị hỗ trợ bảo đảm an ninh.",
]
_counter = itertools.count(1)


def scan_png(lines: list[str] | None = None, *, style: scans.ScanStyle = scans.CLEAN) -> bytes:
    return scans.image_bytes(scans.render(lines or TONE_LINES, style=style))


def scan_pdf(pages: list[list[str]]) -> bytes:
    return scans.pdf_bytes([scans.render(lines) for lines in pages])


def upload(unit, data: bytes, *, name: str = "scan.pdf", by: Any = "system", **kwargs: Any) -> ArchiveItem:
    return item_create(by=by, unit=unit, name=name, content=io.BytesIO(data), **kwargs).item


def retention(years: int | None = 10) -> RetentionSchedule:
    schedule, _ = RetentionSchedule.objects.get_or_create(
        record_type=f"Loại hồ sơ thử {years}", defaults={"years": years}
    )
    return schedule


def dossier(unit, *, title: str = "", notation: str = "", year: int = 2024, by: Any = "system") -> Dossier:
    n = next(_counter)
    return dossier_create(
        by=by,
        unit=unit,
        fields=DossierFields(
            year=year,
            notation=notation or f"{n:02d}.TH",
            title=title or f"Hồ sơ thử nghiệm số {n}",
            retention=retention(),
            physical_location="Kho 1, giá 2, hộp 3",
        ),
    )


def read_item(unit, *, title: str, text: str = "Nội dung trang đã nhận dạng.", confidence: float = 92.0) -> ArchiveItem:
    """An item as if read: a one-page text without running OCR (for pages, scope and API tests)."""
    stand_in = f"%PDF-1.4\n% {title}\n".encode()  # a stand-in scan that names its item
    item = upload(unit, stand_in, name=f"{title}.pdf", title=title)
    item.archive_copy.save("copy.pdf", ContentFile(stand_in), save=False)
    ArchiveItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.DONE,
        page_count=1,
        pages_done=1,
        mean_confidence=confidence,
        archive_copy=item.archive_copy.name,
    )
    ArchivePage(
        item=item,
        number=1,
        text=text,
        confidence=confidence,
        word_count=len(text.split()),
        language="vie",
        needs_review=confidence < 80,
    ).save()
    item.refresh_from_db()
    return item
