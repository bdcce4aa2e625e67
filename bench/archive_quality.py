"""Recognition quality of the archive's OCR on generated scans with known text (issue 19,
benchmark 3).

Two sets of BENCH_ARCHIVE_QUALITY_PAGES pages each (default 6 pages of 7 lines: the corpus's 42
sentences, every vowel with every tone mark and đ), drawn with the repository's DejaVu Serif
(congan.archive.scans): clean (300 dpi, slight skew) and poor (150 dpi, more skew, blur, speckle,
JPEG artefacts at quality 30). Each page image is read
- by the service: an archive item processed as the task worker does (OCRmyPDF's deskew, the
  plugin's 3×3 median filter and enlargement of scans under 300 dpi, Tesseract ``vie``);
- by bare ``tesseract IMAGE - -l vie`` on the same image file.
Character error rate, every tone mark counted (congan.archive.quality: NFC, white space folded,
Levenshtein edits / characters of the truth), over the whole set.
Targets: service CER ≤ 0.5 % on the clean set; on the poor set service CER ≤ 0.6 × bare CER.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def run() -> int:
    from django.conf import settings

    from congan.archive import scans
    from congan.archive.corpus import covers_every_tone_mark, page_lines
    from congan.archive.models import ArchiveItem, ItemStatus
    from congan.archive.quality import character_errors
    from congan.archive.services import item_create, item_process
    from congan.org.models import Unit
    from congan.org.services import unit_create

    pages = int(os.environ.get("BENCH_ARCHIVE_QUALITY_PAGES", 6))
    lines_per_page = 7
    work = Path(tempfile.mkdtemp(prefix="congan-bench-quality-"))
    settings.MEDIA_ROOT = work / "media"
    unit = Unit.objects.filter(code="BENCH-ARCHIVE").first() or unit_create(
        by="system", code="BENCH-ARCHIVE", name="Công an tỉnh (benchmark lưu trữ)", kind=Unit.Kind.PROVINCE
    )
    truths = [page_lines(n, lines=lines_per_page) for n in range(pages)]
    if not covers_every_tone_mark(" ".join(" ".join(lines) for lines in truths)):
        print("archive_quality: the pages do not show every tone mark; raise BENCH_ARCHIVE_QUALITY_PAGES")
        return 1
    print(f"archive_quality: {pages} pages × {lines_per_page} lines per set, every tone mark present")
    results: dict[str, tuple[float, float]] = {}
    for name, style in (("clean", scans.CLEAN), ("poor", scans.POOR)):
        service_edits = bare_edits = characters = 0
        for n, lines in enumerate(truths):
            data = scans.image_bytes(scans.render(lines, style=style, seed=n))
            image = work / f"{name}-{n}.png"
            image.write_bytes(data)
            truth = "\n".join(lines)
            item = item_create(by="system", unit=unit, name=image.name, content=io.BytesIO(data)).item
            item = item_process(item_id=item.pk) or ArchiveItem.objects.get(pk=item.pk)
            if item.status != ItemStatus.DONE:
                raise RuntimeError(f"the service did not read {image.name}: {item.error}")
            recognised = "\n".join(page.text for page in item.pages.order_by("number"))
            tesseract = shutil.which("tesseract") or "tesseract"
            bare = subprocess.run(  # noqa: S603
                [tesseract, str(image), "-", "-l", "vie"], check=True, capture_output=True, text=True
            ).stdout
            edits, length = character_errors(recognised, truth)
            service_edits, characters = service_edits + edits, characters + length
            bare_edits += character_errors(bare, truth)[0]
        results[name] = (service_edits / characters, bare_edits / characters)
        print(
            f"  {name:5} set ({style.dpi} dpi): service CER {100 * results[name][0]:.2f} %"
            f" ({service_edits} edits / {characters} characters), bare tesseract CER {100 * results[name][1]:.2f} %"
        )
    shutil.rmtree(work, ignore_errors=True)
    clean, poor = results["clean"][0], results["poor"]
    ratio = poor[0] / poor[1] if poor[1] else float("inf")
    print(f"  clean: service CER {100 * clean:.2f} % (target ≤ 0.5 %: {'met' if clean <= 0.005 else 'NOT met'})")
    print(f"  poor: service / bare CER = {ratio:.2f} (target ≤ 0.6: {'met' if ratio <= 0.6 else 'NOT met'})")
    return 0
