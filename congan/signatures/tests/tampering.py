"""Ways a signed PDF is changed in the tests: a byte of the signed content, or a later revision that
draws on the page."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

SIGNED_TEXT = b"Quyet dinh thu nghiem so 15"


def change_a_signed_byte(signed: bytes) -> bytes:
    """The document's number 15 made 16 inside the signed content stream (same length: the file
    still reads, only the digest no longer matches)."""
    assert SIGNED_TEXT in signed
    return signed.replace(SIGNED_TEXT, b"Quyet dinh thu nghiem so 16", 1)


def draw_after_signing(signed: bytes) -> bytes:
    """An incremental update that adds text to the signed page: the signature still covers its
    revision intact, but what the page shows is no longer what was signed."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 600 Td (Da sua) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
