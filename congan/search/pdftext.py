"""The text layer of a PDF, for the index: pypdf (already the platform's PDF reader), the first
pages only, within a character budget. A scan without a text layer gives nothing here: recognising
it is the archive's OCR. Whatever goes wrong (a damaged or encrypted file) gives an empty text,
never a failed write."""

from __future__ import annotations

import logging
from typing import Any

from congan.search.text import MAX_TEXT

logger = logging.getLogger(__name__)
MAX_PAGES = 30
MAX_BYTES = 30 * 1024 * 1024


def pdf_text(field_file: Any, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_TEXT) -> str:
    """The text of a stored PDF (a FieldFile), or "" when it has none or cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not field_file or (field_file.size or 0) > MAX_BYTES:
        return ""
    texts: list[str] = []
    length = 0
    try:
        with field_file.open("rb") as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted:
                return ""
            for page in reader.pages[:max_pages]:
                text = page.extract_text() or ""
                texts.append(text)
                length += len(text)
                if length >= max_chars:
                    break
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        logger.info("search: no text read from %s (%s)", getattr(field_file, "name", "?"), exc)
        return ""
    return " ".join(texts)[:max_chars]
