"""The one meeting point between issuing an outgoing document and the digital signature.

``sign_issued_pdf`` is called once when a document is issued, with the rendered PDF, its signer,
the empty signature box (Decree 30, Appendix I: between the title and the name) and the number
and symbol. In this branch it is NOT wired: it returns ``pdf`` unchanged and records nothing, so an
issued PDF carries no signature and the pages never call it "Đã ký số" (they check the stored
bytes with ``pdf_has_signature``). The lead connects it to congan.signatures' ``sign_pdf`` when the
signatures app is merged (decision 0027).
"""

from __future__ import annotations

import io

from congan.documents.outgoing_pdf import SignatureBox
from congan.org.models import Officer


def sign_issued_pdf(*, pdf: bytes, signer: Officer, box: SignatureBox, number_symbol: str) -> bytes:
    """The issued PDF signed by ``signer`` in ``box`` (not wired yet: ``pdf`` unchanged)."""
    return pdf


def pdf_has_signature(content: bytes) -> bool:
    """True when the PDF has a signature field with a value (/FT /Sig and a /V): what the pages show
    as "Đã ký số". A file pypdf cannot read has none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        fields = reader.get_fields() or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return False
    return any(field.get("/FT") == "/Sig" and field.get("/V") is not None for field in fields.values())
