"""The OCRmyPDF plugin of the archive (decision 0033): the image Tesseract reads is cleaned of
speckle and enlarged when the scan is coarse (``filter_ocr_image``); Tesseract as OCRmyPDF runs it, and beside
each page's hOCR a small JSON file with what the archive keeps of the page: its text, the mean of
its words' confidence (Tesseract's ``x_wconf``), its word count and its language.

OCRmyPDF rasterises, deskews and cleans the page and calls ``generate_hocr`` for it; the hOCR is
the same file OCRmyPDF then renders into the PDF's text layer, so the stored text and the archive
copy's text layer come from one recognition. ``generate_hocr`` may run in a worker process: the
results travel as files in the folder the caller names with the option ``congan_page_stats``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins import tesseract_ocr
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.hocrtransform import HocrParser
from PIL import Image, ImageFilter

_PAGE_PREFIX = re.compile(r"^(\d+)_")


def page_stats(hocr: Path) -> dict[str, Any]:
    """Text (lines joined by newlines, paragraphs by blank lines), mean word confidence 0–100,
    word count and the language most words were read in, from one page's hOCR."""
    page = HocrParser(hocr).parse()
    paragraphs: list[str] = []
    confidences: list[float] = []
    languages: Counter[str] = Counter()
    for paragraph in page.iter_by_class("ocr_par"):
        lines = []
        for line in paragraph.iter_by_class("ocr_line", "ocr_header", "ocr_footer", "ocr_caption", "ocr_textfloat"):
            words = [word for word in line.iter_by_class("ocrx_word") if word.text.strip()]
            for word in words:
                if word.confidence is not None:
                    confidences.append(word.confidence * 100)
                languages[word.language or paragraph.language or ""] += 1
            if words:
                lines.append(" ".join(word.text.strip() for word in words))
        if lines:
            paragraphs.append("\n".join(lines))
    language = languages.most_common(1)[0][0] if languages else ""
    return {
        "text": "\n\n".join(paragraphs),
        "confidence": round(sum(confidences) / len(confidences), 2) if confidences else 0.0,
        "words": len(confidences),
        "language": language,
    }


class StatsTesseractEngine(TesseractOcrEngine):
    """Tesseract, as OCRmyPDF drives it, that also leaves each page's figures for the archive."""

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        folder = getattr(options, "congan_page_stats", None)
        match = _PAGE_PREFIX.match(Path(input_file).name)
        if not folder or match is None:
            return
        stats = page_stats(Path(output_hocr))
        target = Path(folder) / f"{int(match.group(1)):06d}.json"
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")
        partial.replace(target)  # the watcher never reads half a file


@hookimpl
def get_ocr_engine(options: Any) -> StatsTesseractEngine:
    return StatsTesseractEngine()


@hookimpl
def filter_ocr_image(page: Any, image: Image.Image) -> Image.Image:
    """Condition the image Tesseract reads (not the one the archive copy shows): a 3×3 median
    filter takes out scanner speckle and JPEG ringing, then a scan under ``congan_min_dpi`` is
    enlarged (Lanczos) to it, since Tesseract reads text with an x-height of 20–30 pixels best.
    The order matters: enlarging first turns each speck into a blob Tesseract reads as a mark
    (bench/archive_quality.py). The new resolution is written into the image so the text layer
    stays aligned; OCRmyPDF's own filter (Tesseract's size limits) runs last."""
    target = int(getattr(page.options, "congan_min_dpi", 0) or 0)
    dpi = _dpi(image)
    filtered = image.convert("L") if image.mode not in ("L", "RGB") else image
    filtered = filtered.filter(ImageFilter.MedianFilter(3))
    if target and dpi and dpi < target * 0.9:
        scale = target / dpi
        filtered = filtered.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
        dpi = target
    if dpi:
        filtered.info["dpi"] = (dpi, dpi)
    return tesseract_ocr.filter_ocr_image(page, filtered)


def _dpi(image: Image.Image) -> float:
    value = image.info.get("dpi")
    try:
        return float(value[0]) if value else 0.0
    except (TypeError, ValueError, IndexError):
        return 0.0
