"""Verifying the signatures of a PDF (pyHanko's validation): for each signature its signer, the chain
to the configured trust roots, the signing time (timestamped or only claimed), integrity, the
changes made after signing and the PAdES level, worded in Vietnamese for the verification page,
the document pages' signature panel and the API."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from congan.core.errors import ValidationFailed
from congan.signatures.trust import TrustRoots, trust_roots

logger = logging.getLogger(__name__)

# Circular 15/2025/TT-BKHCN: the smallest keys accepted.
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256

TRUST_LABELS = {
    "trusted": gettext_lazy("Tin cậy: chuỗi chứng thư dẫn tới gốc tin cậy đã cấu hình"),
    "trusted_demo": gettext_lazy("Tin cậy trong bản demo: gốc là CA thử nghiệm của bản demo, không có giá trị pháp lý"),
    "untrusted": gettext_lazy("Không tin cậy: chứng thư không dẫn tới gốc tin cậy nào đã cấu hình"),
    "expired": gettext_lazy("Chứng thư đã hết hạn hoặc chưa đến hạn dùng"),
    "revoked": gettext_lazy("Chứng thư đã bị thu hồi"),
    "unknown": gettext_lazy("Không xác định được tình trạng chứng thư"),
}
INTEGRITY_LABELS = {
    "intact": gettext_lazy("Toàn vẹn: nội dung đã ký không bị thay đổi"),
    "modified": gettext_lazy("Không toàn vẹn: nội dung đã ký bị thay đổi sau khi ký"),
}
CHANGE_LABELS = {
    "none": gettext_lazy("Không có thay đổi sau khi ký"),
    "ltv": gettext_lazy("Chỉ bổ sung dữ liệu kiểm tra dài hạn hoặc dấu thời gian"),
    "form_filling": gettext_lazy("Có thay đổi sau khi ký: điền biểu mẫu hoặc thêm chữ ký khác (được phép)"),
    "annotations": gettext_lazy("Có thay đổi sau khi ký: thêm ghi chú"),
    "other": gettext_lazy("Có thay đổi khác sau khi ký: nội dung hiển thị có thể đã khác bản đã ký"),
    "unknown": gettext_lazy("Không phân tích được thay đổi sau khi ký"),
}
LEVEL_LABELS = {
    "B-B": gettext_lazy("PAdES B-B: chữ ký cơ bản, thời điểm ký do người ký tự khai"),
    "B-T": gettext_lazy("PAdES B-T: có dấu thời gian của tổ chức cấp dấu thời gian"),
    "B-LT": gettext_lazy("PAdES B-LT: có dấu thời gian và dữ liệu thu hồi chứng thư kèm trong tệp"),
    "B-LTA": gettext_lazy("PAdES B-LTA: như B-LT, thêm dấu thời gian lưu trữ cho toàn tệp"),
}


@dataclass
class SignatureReport:
    field: str
    signer_name: str
    subject: str
    issuer: str
    trust: str
    integrity: str
    changes: str
    level: str
    signing_time: datetime | None
    timestamped: bool
    key: str
    weak_key: bool
    reason: str = ""
    location: str = ""
    problems: list[str] = dataclass_field(default_factory=list)

    @property
    def valid(self) -> bool:
        return (
            self.trust in ("trusted", "trusted_demo")
            and self.integrity == "intact"
            and self.changes in ("none", "ltv", "form_filling")
            and not self.weak_key
        )

    @property
    def trust_label(self) -> str:
        return str(TRUST_LABELS[self.trust])

    @property
    def integrity_label(self) -> str:
        return str(INTEGRITY_LABELS[self.integrity])

    @property
    def changes_label(self) -> str:
        return str(CHANGE_LABELS[self.changes])

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))

    @property
    def time_source(self) -> str:
        return _("theo dấu thời gian") if self.timestamped else _("do người ký tự khai, không có dấu thời gian")

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer_name": self.signer_name,
            "subject": self.subject,
            "issuer": self.issuer,
            "valid": self.valid,
            "trust": self.trust,
            "trust_label": self.trust_label,
            "integrity": self.integrity,
            "integrity_label": self.integrity_label,
            "changes": self.changes,
            "changes_label": self.changes_label,
            "level": self.level,
            "level_label": self.level_label,
            "signing_time": self.signing_time,
            "timestamped": self.timestamped,
            "key": self.key,
            "weak_key": self.weak_key,
            "reason": self.reason,
            "location": self.location,
            "problems": list(self.problems),
        }


@dataclass
class VerificationReport:
    signatures: list[SignatureReport]

    @property
    def all_valid(self) -> bool:
        return bool(self.signatures) and all(signature.valid for signature in self.signatures)


DN_PARTS = (
    ("common_name", "CN"),
    ("organizational_unit_name", "OU"),
    ("organization_name", "O"),
    ("locality_name", "L"),
    ("state_or_province_name", "ST"),
    ("country_name", "C"),
)


def distinguished_name(name: Any) -> str:
    """``CN=…, O=…, C=VN``: the usual short form, without asn1crypto's English labels."""
    native = name.native
    parts = []
    for key, short in DN_PARTS:
        value = native.get(key)
        for item in value if isinstance(value, list) else [value] if value else []:
            parts.append(f"{short}={item}")
    return ", ".join(parts) or name.human_friendly


def _key_strength(certificate: Any) -> tuple[str, bool]:
    public_key = certificate.public_key
    algorithm = public_key.algorithm
    bits = public_key.bit_size
    if algorithm == "rsa":
        return f"RSA {bits}", bits < MIN_RSA_BITS
    if algorithm == "ec":
        return f"ECDSA {bits}", bits < MIN_EC_BITS
    return f"{algorithm.upper()} {bits}", False


def _trust(status: Any, roots: TrustRoots) -> str:
    if status.revoked:
        return "revoked"
    if status.trusted:
        path = status.validation_path
        anchor = getattr(getattr(path, "trust_anchor", None), "authority", None)
        certificate = getattr(anchor, "certificate", None)
        if certificate is not None and roots.is_demo(certificate):
            return "trusted_demo"
        return "trusted"
    indication = getattr(status.trust_problem_indic, "name", "")
    if indication in ("REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"):
        return "revoked"
    if indication in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        return "expired"
    if indication == "NO_CERTIFICATE_CHAIN_FOUND":
        return "untrusted"
    return "unknown"


CHANGES = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "ltv",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}


def _context(reader: PdfFileReader, roots: TrustRoots) -> ValidationContext:
    # By default no network: revocation is checked against what the file carries (PAdES B-LT),
    # "soft-fail" when it carries none, so a verdict never waits on an unreachable responder. With
    # CONGAN_SIGNING_VERIFY_ONLINE the OCSP responders and CRLs the certificates name are asked too.
    kwargs: dict[str, Any] = {
        "trust_roots": list(roots.certificates),
        "allow_fetching": settings.SIGNING_VERIFY_ONLINE,
        "revocation_mode": "soft-fail",
    }
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)


def _has_revocation_data(reader: PdfFileReader) -> bool:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return False
    return bool(dss.ocsps or dss.crls)


def _one(reader: PdfFileReader, embedded: Any, roots: TrustRoots, lta: bool, revocation: bool) -> SignatureReport:
    status = validate_pdf_signature(embedded, _context(reader, roots))
    certificate = status.signing_cert
    key, weak = _key_strength(certificate)
    timestamped = status.timestamp_validity is not None
    when = status.timestamp_validity.timestamp if status.timestamp_validity is not None else status.signer_reported_dt
    changes = CHANGES.get(status.modification_level, "unknown") if status.modification_level is not None else "unknown"
    integrity = "intact" if status.intact and status.valid else "modified"
    level = "B-B"
    if timestamped:
        level = "B-LTA" if lta and revocation else "B-LT" if revocation else "B-T"
    problems: list[str] = []
    if weak:
        problems.append(_("Khóa %(key)s yếu hơn mức tối thiểu (RSA 2048, ECDSA 256 bit).") % {"key": key})
    if status.docmdp_ok is False:
        problems.append(_("Thay đổi sau khi ký vượt quá mức người ký cho phép."))
    sig_object = embedded.sig_object
    return SignatureReport(
        field=embedded.field_name or "",
        signer_name=certificate.subject.native.get("common_name", "") or distinguished_name(certificate.subject),
        subject=distinguished_name(certificate.subject),
        issuer=distinguished_name(certificate.issuer),
        trust=_trust(status, roots),
        integrity=integrity,
        changes=changes,
        level=level,
        signing_time=when,
        timestamped=timestamped,
        key=key,
        weak_key=weak,
        reason=str(sig_object.get("/Reason", "") or ""),
        location=str(sig_object.get("/Location", "") or ""),
        problems=problems,
    )


def _unreadable() -> ValidationFailed:
    return ValidationFailed(details={"pdf": [_("Không đọc được tệp PDF.")]}, code="invalid_pdf")


def verify_pdf(pdf: bytes) -> VerificationReport:
    """Each signature of ``pdf`` checked against the configured trust roots. ``ValidationFailed``
    (field ``pdf``) for a file that is not a PDF or cannot be read."""
    if pdf.lstrip()[:5] != b"%PDF-":
        raise ValidationFailed(details={"pdf": [_("Tệp không phải PDF.")]}, code="not_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        regular = list(reader.embedded_regular_signatures)
        lta = bool(list(reader.embedded_timestamp_signatures))
    except Exception as exc:  # any file from outside: a malformed one is a field error, never a 500
        logger.info("unreadable PDF: %r", exc)
        raise _unreadable() from exc
    roots = trust_roots()
    revocation = _has_revocation_data(reader)
    reports: list[SignatureReport] = []
    for embedded in regular:
        try:
            reports.append(_one(reader, embedded, roots, lta, revocation))
        except Exception as exc:  # a malformed signature is reported as such, never a 500
            logger.info("signature %s unreadable: %r", embedded.field_name, exc)
            reports.append(
                SignatureReport(
                    field=embedded.field_name or "",
                    signer_name="",
                    subject="",
                    issuer="",
                    trust="unknown",
                    integrity="modified",
                    changes="unknown",
                    level="",
                    signing_time=None,
                    timestamped=False,
                    key="",
                    weak_key=False,
                    problems=[_("Không đọc được chữ ký này.")],
                )
            )
    return VerificationReport(signatures=reports)


def signature_panel(pdf_bytes: bytes | None) -> dict[str, Any]:
    """The context of ``signatures/panel.html``: the report, or why there is none."""
    if not pdf_bytes:
        return {"report": None, "error": ""}
    try:
        return {"report": verify_pdf(pdf_bytes), "error": ""}
    except ValidationFailed as exc:
        return {"report": None, "error": " ".join(str(m) for msgs in (exc.details or {}).values() for m in msgs)}
