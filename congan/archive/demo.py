"""`congan demo` builder for the archive (order 345, after the documents): in the records clerk's
unit, three dossiers with items whose text is loaded as if read (generated administrative text with
every tone mark, a low-confidence page among them to review), a few items waiting to be filed, and
two generated scans — one clean, one poor — queued for the real OCR, which the task worker reads
once the server is up (the home page shows their progress). The large demo (100,000 pages) is a
later slice of issue 19."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.archive import scans, suggestions
from congan.archive.corpus import page_lines
from congan.archive.models import (
    ArchiveItem,
    ArchivePage,
    Dossier,
    ItemSource,
    ItemStatus,
    MetadataSuggestion,
    RetentionSchedule,
)
from congan.archive.services import DossierFields, dossier_create, item_create, item_file
from congan.core.audit import audit_record
from congan.core.text import fold
from congan.documents.demo import DEMO_CLERK
from congan.org.models import Officer, Unit

DOSSIERS = [
    (
        "01.TTKS",
        "Hồ sơ tuần tra, kiểm soát bảo đảm trật tự an toàn giao thông quý I",
        "Báo cáo tháng, quý, sáu tháng",
        2,
    ),
    (
        "02.VV",
        "Hồ sơ vụ việc gây rối trật tự công cộng tại tổ dân phố 5",
        "Hồ sơ tin báo, tố giác tội phạm không khởi tố",
        3,
    ),
    (
        "03.TK",
        "Báo cáo tổng kết công tác bảo đảm an ninh trật tự năm",
        "Quyết định, chỉ thị, kế hoạch, báo cáo năm của đơn vị",
        2,
    ),
]
HEADER = ["CÔNG AN THÀNH PHỐ ĐÀ NẴNG", "Số: {n:02d}/BC-CAP-TH", "Đà Nẵng, ngày {d} tháng {m} năm {y}"]
DEMO_STYLE = scans.ScanStyle(dpi=150, skew_degrees=0.4)
TITLES = [
    "Báo cáo kết quả",
    "Biên bản làm việc",
    "Tờ trình",
    "Kế hoạch triển khai",
    "Công văn đề nghị",
    "Thông báo kết luận",
]


def demo_build_archive(*, province: Unit, today: dt.date | None = None, **_options: Any) -> dict[str, int]:
    clerk = Officer.objects.filter(username=DEMO_CLERK, unit__path__startswith=province.path).first()
    unit = clerk.unit if clerk is not None and clerk.unit is not None else province
    if Dossier.objects.filter(unit__path__startswith=province.path).exists():
        return {}
    today = today or timezone.localdate()
    created = {"archive_dossiers": 0, "archive_items": 0, "archive_queued": 0}
    schedules = {schedule.record_type: schedule for schedule in RetentionSchedule.objects.all()}
    fallback = RetentionSchedule.objects.order_by("pk").first()
    if fallback is None:
        fallback = RetentionSchedule.objects.create(record_type="Hồ sơ khác", years=10)
    counter = 0
    with transaction.atomic():
        for notation, title, record_type, items in DOSSIERS:
            dossier = dossier_create(
                by="system",
                unit=unit,
                fields=DossierFields(
                    year=today.year,
                    notation=notation,
                    title=title,
                    retention=schedules.get(record_type, fallback),
                    period_start=dt.date(today.year, 1, 1),
                    period_end=today,
                    physical_location=f"Kho lưu trữ tầng 1, giá {counter + 1}, hộp {counter + 3}",
                ),
            )
            created["archive_dossiers"] += 1
            for _ in range(items):
                counter += 1
                item = _read_item(unit, counter, today)
                item_file(by="system", item=item, dossier=dossier)
                created["archive_items"] += 1
        for _ in range(2):
            counter += 1
            _read_item(unit, counter, today)
            created["archive_items"] += 1
        for index, style in enumerate((scans.CLEAN, scans.POOR)):
            lines = page_lines(index + 3, lines=6)
            data = scans.image_bytes(scans.render(lines, style=style, seed=index), format="PNG")
            name = f"ban-scan-{'ro' if index == 0 else 'mo'}.png"
            item_create(by="system", unit=unit, name=name, content=io.BytesIO(data), source=ItemSource.DEMO)
            created["archive_queued"] += 1
        audit_record(actor="system", action="archive.demo.build", unit=unit, details=created)
    return created


def _read_item(unit: Unit, n: int, today: dt.date) -> ArchiveItem:
    """An item loaded with its text (as the large demo will be): pages of generated text, the
    second page of every fifth item read poorly (flagged for review)."""
    day = today - dt.timedelta(days=3 * n)
    header = [line.format(n=n, d=day.day, m=day.month, y=day.year) for line in HEADER]
    pages = [header + page_lines(n, lines=8), page_lines(n + 7, lines=10)]
    # The original is a real scan of the same text (150 dpi, to keep the demo small).
    original = scans.pdf_bytes([scans.render(lines, style=DEMO_STYLE, seed=n) for lines in pages])
    title = f"{TITLES[n % len(TITLES)]} số {n:02d}"
    item = item_create(
        by="system",
        unit=unit,
        name=f"tai-lieu-{n:02d}.pdf",
        content=io.BytesIO(original),
        source=ItemSource.DEMO,
        title=title,
    ).item
    confidences = [94.0 + n % 4, 62.5 if n % 5 == 0 else 91.0 + n % 3]
    ArchivePage.objects.bulk_create(
        [
            ArchivePage(
                item=item,
                number=number,
                text="\n".join(lines),
                text_folded=fold("\n".join(lines)),
                confidence=confidences[number - 1],
                word_count=sum(len(line.split()) for line in lines),
                language="vie",
                needs_review=confidences[number - 1] < 80,
            )
            for number, lines in enumerate(pages, start=1)
        ]
    )
    found = suggestions.suggest([(number, "\n".join(lines)) for number, lines in enumerate(pages, start=1)])
    MetadataSuggestion.objects.bulk_create(
        [
            MetadataSuggestion(item=item, page_number=f.page_number, kind=f.kind, value=f.value, display=f.display)
            for f in found
        ]
    )
    words = sum(page.word_count for page in item.pages.all())
    ArchiveItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.DONE,
        page_count=len(pages),
        pages_done=len(pages),
        processed_at=timezone.now(),
        mean_confidence=round(sum(c * 100 for c in confidences) / (100 * len(confidences)), 2) if words else None,
    )
    item.refresh_from_db()
    return item
