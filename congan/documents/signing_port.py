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

The unit's signature alone (decision 0031), at the top right of the first page without image, is
what ``sign_as_unit`` applies: to each separate-file attachment at issue (the document's number and
symbol) and to each electronic copy (the copy form and the copying unit). ``sign_register`` signs
a closed register period: the head of the unit in the space the register leaves them, then the
unit's seal.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from congan.core.errors import NotFound
from congan.documents.outgoing_pdf import SignatureBox
from congan.org.models import Officer, Unit


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


def unit_has_seal_key(unit: Unit) -> bool:
    """Whether the unit, or a unit above it, has a seal key to sign attachments and copies with."""
    from congan.signatures.services import unit_seal_key

    return unit_seal_key(unit) is not None


def sign_as_unit(*, pdf: bytes, unit: Unit, lines: list[str], reason: str, by: Officer) -> bytes:
    """``pdf`` signed by ``unit`` alone at the top right of its first page with ``lines`` and the
    signing time. Errors: NotFound (code ``no_seal_key``), ValidationFailed (an unreadable PDF, a
    key that cannot sign)."""
    from congan.signatures import services as signing

    return signing.sign_for_unit(pdf=pdf, unit=unit, lines=lines, reason=reason, by=by)


def sign_register(*, pdf: bytes, signer: Officer, box: SignatureBox, unit: Unit, reason: str, by: Officer) -> bytes:
    """A closed register's PDF signed by ``signer`` (their image in ``box``), then sealed by ``unit``
    (its seal key or the nearest above, when there is one). Errors: NotFound (code
    ``no_signing_key``) when the signer has no key or no signature image."""
    from congan.signatures import services as signing

    return signing.sign_for_officer(
        pdf=pdf,
        officer=signer,
        page=box.page,
        box=(box.x1, box.y1, box.x2, box.y2),
        reason=reason,
        by=by,
        seal_unit=unit,
    )


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
