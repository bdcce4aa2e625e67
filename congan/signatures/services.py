"""Signing PDF documents with PAdES (pyHanko), presented as Decree 30 Appendix I says.

``sign_pdf`` is the one signing path: a PKCS#12 key or a PKCS#11 token (``keys.open_signer``), the
signer's box with their image and the unit's seal or the unit's corner stamp (``appearance``),
PAdES B-B, B-T when ``CONGAN_SIGNING_TSA_URL`` names an RFC 3161 authority, B-LT when, with a
timestamp, the certificate's OCSP responder or CRL answers (the revocation data is embedded).
``sign_for_officer`` is what the outgoing documents call through ``documents.signing_port``.
"""

from __future__ import annotations

import hashlib
import io
import logging
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import RevokedError

from congan.core.audit import audit_record
from congan.core.errors import NotFound, ServiceUnavailable, ValidationFailed
from congan.org.actors import OfficerOrSystem
from congan.signatures.appearance import (
    CopyCornerPlacement,
    CornerStampStyle,
    SignerBoxPlacement,
    corner_style,
    signer_box_style,
)
from congan.signatures.keys import open_signer
from congan.signatures.models import SigningKey

logger = logging.getLogger(__name__)

__all__ = ["CopyCornerPlacement", "SignerBoxPlacement", "sign_for_officer", "sign_for_unit", "sign_pdf"]

A4 = (595.28, 841.89)


def _refuse_non_pdf(pdf: bytes) -> None:
    if not pdf.lstrip()[:5] == b"%PDF-":
        raise ValidationFailed(details={"pdf": [_("Tệp không phải PDF.")]})


def _first_page_size(writer: IncrementalPdfFileWriter) -> tuple[float, float]:
    try:
        page = writer.root["/Pages"]
        while "/Kids" in page:
            kids = page["/Kids"]
            box = page.get("/MediaBox")
            page = kids[0].get_object()
        box = page.get("/MediaBox") or box
        x1, y1, x2, y2 = (float(value) for value in box)
    except (KeyError, TypeError, ValueError, IndexError):
        return A4
    return x2 - x1, y2 - y1


def _field_name(writer: IncrementalPdfFileWriter) -> str:
    existing = {name for name, _, _ in fields.enumerate_sig_fields(writer, filled_status=None)}
    number = len(existing) + 1
    while f"ChuKy{number}" in existing:
        number += 1
    return f"ChuKy{number}"


def _revocation_urls(signer: Signer) -> bool:
    """Whether the signing certificate names an OCSP responder or a CRL to ask."""
    certificate = signer.signing_cert
    if certificate is None:
        return False
    return bool(certificate.ocsp_urls or certificate.crl_distribution_points)


def _refuse_invalid_certificate(signer: Signer) -> None:
    """Circular 15/2025/TT-BKHCN: signing software checks the certificate before signing. Its
    validity period here (no network needed); its revocation while fetching B-LT data."""
    certificate = signer.signing_cert
    if certificate is None:
        raise ValidationFailed(_("Khóa ký số không có chứng thư."), code="key_unusable")
    now = timezone.now()
    validity = certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        raise ValidationFailed(
            _("Chứng thư của khóa đã hết hạn hoặc chưa đến hạn dùng (%(start)s – %(end)s): không ký.")
            % {
                "start": timezone.localtime(validity["not_before"].native).strftime("%d/%m/%Y"),
                "end": timezone.localtime(validity["not_after"].native).strftime("%d/%m/%Y"),
            },
            code="certificate_expired",
        )


def _chain_roots(signer: Signer) -> list[Any]:
    roots = [cert for cert in signer.cert_registry if cert.self_signed == "maybe" or cert.self_signed == "yes"]
    if not roots:
        from congan.signatures.trust import trust_roots

        roots = list(trust_roots().certificates)
    return roots


@lru_cache(maxsize=4)
def _timestamper(url: str, timeout: float) -> HTTPTimeStamper:
    """One client per authority: making one builds an SSL context (~60 ms), per signature a waste."""
    return HTTPTimeStamper(url, timeout=timeout)


def pades_level(*, timestamped: bool, revocation: bool) -> str:
    if timestamped and revocation:
        return "B-LT"
    return "B-T" if timestamped else "B-B"


def sign_pdf(
    *,
    pdf: bytes,
    key: SigningKey,
    placement: SignerBoxPlacement | CopyCornerPlacement,
    reason: str = "",
    location: str = "",
    by: OfficerOrSystem | None = None,
) -> bytes:
    """``pdf`` with one more PAdES signature by ``key``, drawn as ``placement`` says. Audited."""
    _refuse_non_pdf(pdf)
    if not key.active:
        raise ValidationFailed(_("Khóa ký số “%(label)s” đã ngừng dùng.") % {"label": key.label}, code="key_unusable")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise ValidationFailed(details={"pdf": [_("Không đọc được tệp PDF.")]}) from exc
    style: StaticStampStyle | CornerStampStyle
    if isinstance(placement, SignerBoxPlacement):
        rect, style = signer_box_style(placement)
        page = placement.page
    else:
        width, height = _first_page_size(writer)
        rect, style = corner_style(placement, width, height)
        page = 0
    field_name = _field_name(writer)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=rect)  # type: ignore[arg-type]
    url = settings.SIGNING_TSA_URL
    timestamper = _timestamper(url, settings.SIGNING_TSA_TIMEOUT_SECONDS) if url else None
    with open_signer(key) as signer:
        _refuse_invalid_certificate(signer)
        base = {
            "field_name": field_name,
            "reason": reason or None,
            "location": location or None,
            "subfilter": SigSeedSubFilter.PADES,
            "md_algorithm": "sha256",
        }
        attempts: list[dict[str, Any]] = []
        if timestamper is not None and _revocation_urls(signer):
            context = ValidationContext(
                trust_roots=_chain_roots(signer), allow_fetching=True, revocation_mode="hard-fail"
            )
            attempts.append({**base, "embed_validation_info": True, "validation_context": context})
        attempts.append(base)
        signed: bytes | None = None
        revocation = False
        for attempt in attempts:
            meta = signers.PdfSignatureMetadata(**attempt)
            pdf_signer = signers.PdfSigner(
                meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
            )
            try:
                out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False))
            except SigningError as exc:
                if isinstance(exc.__cause__, RevokedError):
                    # Circular 15/2025: the certificate is checked before signing; revoked, no signature.
                    raise ValidationFailed(
                        _("Chứng thư của khóa “%(label)s” đã bị thu hồi: không ký.") % {"label": key.label},
                        code="certificate_revoked",
                    ) from exc
                if attempt is attempts[-1]:
                    raise ValidationFailed(
                        _("Không ký được văn bản: %(error)s") % {"error": exc}, code="sign_failed"
                    ) from exc
                logger.warning("signing with revocation data failed (%s); signing without it", exc)
                continue
            except TimestampRequestError as exc:
                # Nothing signed: a document the authority was asked to timestamp is not issued without.
                raise ServiceUnavailable(
                    _("Không lấy được dấu thời gian từ %(url)s; chưa ký. Thử lại sau.") % {"url": url},
                    code="tsa_unavailable",
                ) from exc
            except Exception as exc:
                if attempt is attempts[-1]:
                    raise
                logger.warning("signing with revocation data failed (%s); signing without it", exc)
                continue
            signed = out.getvalue()
            revocation = bool(attempt.get("embed_validation_info"))
            break
        if signed is None:  # every attempt failed softly: cannot happen, the last one raises
            raise ValidationFailed(_("Không ký được văn bản."), code="sign_failed")
        subject = signer.signing_cert.subject.human_friendly if signer.signing_cert else ""
    level = pades_level(timestamped=timestamper is not None, revocation=revocation)
    audit_record(
        actor=by if by is not None else "system",
        action="signatures.sign",
        target=key,
        unit=key.unit if key.unit_id else getattr(key.officer, "unit", None),
        details={
            "key": key.label,
            "certificate": subject,
            "level": level,
            "placement": "signer_box" if isinstance(placement, SignerBoxPlacement) else "copy_corner",
            "field": field_name,
            "sha256_before": hashlib.sha256(pdf).hexdigest(),
            "sha256_after": hashlib.sha256(signed).hexdigest(),
        },
    )
    return signed


def _read(field_file: Any) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def officer_key(officer: Any) -> SigningKey:
    key = SigningKey.objects.filter(officer=officer, active=True).order_by("-created_at").first()
    if key is None:
        raise NotFound(_("Cán bộ %(name)s chưa có khóa ký số.") % {"name": officer}, code="no_signing_key")
    return key


def unit_seal_key(unit: Any) -> SigningKey | None:
    """The unit's seal key: the unit's own, else the nearest unit above it that has one."""
    if unit is None:
        return None
    ancestors = [unit.pk]
    parent = unit.parent
    while parent is not None:
        ancestors.append(parent.pk)
        parent = parent.parent
    keys = {key.unit_id: key for key in SigningKey.objects.filter(Q(unit_id__in=ancestors), active=True)}
    return next((keys[pk] for pk in ancestors if pk in keys), None)


def sign_for_officer(
    *,
    pdf: bytes,
    officer: Any,
    page: int,
    box: tuple[float, float, float, float],
    reason: str,
    by: OfficerOrSystem | None = None,
    seal_unit: Any = None,
) -> bytes:
    """An issued document signed as Decree 30 Appendix I presents it, signer first, then organisation:
    ``officer``'s signature (their key, their image centred in ``box`` of ``page`` — 0 the first, -1 the
    last, where the signature block of a document usually is — box 7c), then the
    signature of their unit (its seal key, the seal image at its real size over the left third of the
    signer's image, box 8) when the unit, or the nearest unit above it, has a seal key. ``seal_unit``:
    the unit whose seal follows, when it is not the officer's own (a register of the unit they head).
    Errors: ``NotFound`` (code ``no_signing_key``) when the officer has no key or no signature image."""
    key = officer_key(officer)
    if not key.signer_image:
        raise NotFound(_("Khóa ký số của %(name)s chưa có ảnh chữ ký.") % {"name": officer}, code="no_signing_key")
    seal = unit_seal_key(seal_unit if seal_unit is not None else getattr(officer, "unit", None))
    signer_image = _read(key.signer_image)
    actor = by if by is not None else officer
    signed = sign_pdf(
        pdf=pdf,
        key=key,
        placement=SignerBoxPlacement(page=page, box=box, signer_image=signer_image),
        reason=reason,
        by=actor,
    )
    if seal is None or not seal.seal_image:
        return signed
    placement = SignerBoxPlacement(
        page=page,
        box=box,
        signer_image=signer_image,
        seal_image=_read(seal.seal_image),
        seal_size_mm=float(seal.seal_size_mm),
        seal_only=True,
    )
    return sign_pdf(pdf=signed, key=seal, placement=placement, reason=reason, by=actor)


def sign_for_unit(*, pdf: bytes, unit: Any, lines: list[str], reason: str, by: OfficerOrSystem | None = None) -> bytes:
    """``pdf`` signed by the unit alone (its seal key, or the nearest unit above it that has one), as
    Decree 30 Appendix I presents the organisation's signature on separate-file attachments and on
    electronic copies: at the top right of the first page, no image, ``lines`` and the signing time
    in ISO 8601 at +07:00, Times New Roman 10. Errors: ``NotFound`` (code ``no_seal_key``) when no
    unit up the tree has a seal key."""
    key = unit_seal_key(unit)
    if key is None:
        raise NotFound(
            _("%(unit)s chưa có khóa ký số của cơ quan (con dấu số).") % {"unit": getattr(unit, "name", unit)},
            code="no_seal_key",
        )
    return sign_pdf(pdf=pdf, key=key, placement=CopyCornerPlacement(lines=list(lines)), reason=reason, by=by)
