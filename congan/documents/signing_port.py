"""The one meeting point between issuing an outgoing document and the digital signature
(decisions 0027 and 0028).

``sign_issued_pdf`` is called once, in the transaction that issues a document, with the rendered
PDF, its signer, the empty signature box (Decree 30, Appendix I: between the title and the name)
and the number and symbol. It signs through ``congan.signatures``: the signer's signature with
their image centred in the box, then the unit's seal signature over its left third (when the unit
or one above it has a seal key). A signer without a signing key issues the document unsigned, as a
unit still signing on paper does: the pages then say "Chưa có chữ ký số" (they read the stored
bytes with ``pdf_has_signature``). A key that exists but cannot sign (expired, revoked, a token
missing, a wrong passphrase) refuses the issue with its error, and nothing is issued.

The signer's key is applied by the server when the clerk issues, on the authority of the signer's
own sign-off step (``Ký duyệt``, on the timeline and audited); the signature's audit event names
the clerk as the actor.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from congan.core.errors import NotFound
from congan.documents.outgoing_pdf import SignatureBox
from congan.org.models import Officer


def sign_issued_pdf(*, pdf: bytes, signer: Officer, box: SignatureBox, number_symbol: str, by: Officer) -> bytes:
    """The issued PDF signed by ``signer`` in ``box`` and sealed by their unit; ``pdf`` unchanged
    when the signer has no signing key."""
    from congan.signatures import services as signing

    try:
        return signing.sign_for_officer(
            pdf=pdf,
            officer=signer,
            page=box.page,
            box=(box.x1, box.y1, box.x2, box.y2),
            reason=_("Ký ban hành văn bản %(number)s") % {"number": number_symbol},
            by=by,
        )
    except NotFound as error:
        if error.code == "no_signing_key":
            return pdf
        raise


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
