"""OCR throughput of the archive service against the ``ocrmypdf`` command (issue 19, benchmark 1).

Both read the same generated scan — BENCH_ARCHIVE_PAGES pages (default 4) of Vietnamese
administrative text at 300 dpi with a slight skew (congan.archive.scans) — with the same options
(congan.archive.ocr.ocr_options: Vietnamese, deskew, PDF/A by OCRmyPDF's own backend, one job; the
service adds its plugin's speckle filter and enlargement of coarse scans, the command has neither):
- service: the background task as the worker runs it (``process_item_task``: claim under a lease,
  copy the original out of storage, OCRmyPDF as a library with the archive's plugin, each page's
  text, confidence and language, suggestions, the PDF/A into storage, the audit event), on an item
  created by ``item_create`` (not timed: an upload is not OCR);
- bare: the ``ocrmypdf`` command of the same installation, in a subprocess, on the same file.
Target: bare time / service time ≥ 0.8. Rounds: BENCH_ARCHIVE_ROUNDS (default 2), alternating,
median, after one warm-up of each.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def command_options() -> list[str]:
    """The service's OCRmyPDF options as the command spells them."""
    from congan.archive.ocr import ocr_options

    options = ocr_options()
    args = ["-l", "+".join(options["language"]), "--output-type", "pdfa", "--pdfa-backend", options["pdfa_backend"]]
    args += ["--jobs", str(options["jobs"]), "--tesseract-timeout", str(options["tesseract_timeout"])]
    args += ["--max-image-mpixels", str(options["max_image_mpixels"]), "--mode", options["mode"]]
    if options["deskew"]:
        args.append("--deskew")
    if options["clean"]:
        args.append("--clean")
    return args


def run() -> int:
    from django.conf import settings

    from congan.archive import scans
    from congan.archive.corpus import page_lines
    from congan.archive.models import ArchiveItem, ItemStatus
    from congan.archive.services import item_create
    from congan.archive.tasks import process_item_task
    from congan.org.models import Unit
    from congan.org.services import unit_create

    pages = int(os.environ.get("BENCH_ARCHIVE_PAGES", 4))
    rounds = int(os.environ.get("BENCH_ARCHIVE_ROUNDS", 2))
    work = Path(tempfile.mkdtemp(prefix="congan-bench-ocr-"))
    settings.MEDIA_ROOT = work / "media"
    unit = Unit.objects.filter(code="BENCH-ARCHIVE").first() or unit_create(
        by="system", code="BENCH-ARCHIVE", name="Công an tỉnh (benchmark lưu trữ)", kind=Unit.Kind.PROVINCE
    )
    pdf = scans.pdf_bytes([scans.render(page_lines(n, lines=14), seed=n) for n in range(pages)])
    source = work / "scan.pdf"
    source.write_bytes(pdf)
    command = [str(Path(sys.executable).with_name("ocrmypdf")), *command_options()]

    def service() -> None:
        item = item_create(by="system", unit=unit, name="scan.pdf", content=io.BytesIO(pdf)).item
        started = time.perf_counter()
        process_item_task.call(item.pk)
        elapsed = time.perf_counter() - started
        item = ArchiveItem.objects.get(pk=item.pk)
        if item.status != ItemStatus.DONE or item.page_count != pages:
            raise RuntimeError(f"the service did not read the scan: {item.status} {item.error}")
        timings["service"].append(elapsed)

    def bare() -> None:
        started = time.perf_counter()
        subprocess.run([*command, str(source), str(work / "bare.pdf")], check=True, capture_output=True)  # noqa: S603
        timings["bare"].append(time.perf_counter() - started)

    timings: dict[str, list[float]] = {"service": [], "bare": []}
    service()
    bare()
    timings = {"service": [], "bare": []}
    for _ in range(rounds):
        service()
        bare()
    shutil.rmtree(work, ignore_errors=True)
    t_service, t_bare = statistics.median(timings["service"]), statistics.median(timings["bare"])
    ratio = t_bare / t_service
    print(f"archive_ocr: {pages} pages at 300 dpi, {rounds} rounds each, median")
    print(f"  service (task: claim, OCRmyPDF + plugin, pages, suggestions, PDF/A stored, audit): {t_service:.2f} s")
    print(f"  bare `ocrmypdf` command, same options:                                          {t_bare:.2f} s")
    print(f"  pages per minute: service {60 * pages / t_service:.1f}, command {60 * pages / t_bare:.1f}")
    print(f"  ratio: bare / service = {ratio:.2f} (target ≥ 0.8: {'met' if ratio >= 0.8 else 'NOT met'})")
    return 0
