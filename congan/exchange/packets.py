"""What the exchange needs from the platform around edxml.py: the signing key, the trusted
senders, our units as edXML organisations, the outbox folder, and the Vietnamese wording of
errors and warnings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
from congan.documents import agency_ids
from congan.exchange import edxml
from congan.exchange.keys import signing_key_make
from congan.org.models import Unit

_keys: dict[str, edxml.SigningKey] = {}


def signing_key() -> edxml.SigningKey | None:
    """The platform's packet-signing key (EXCHANGE_SIGNING_FILE: private key and certificate in
    one PEM file); made once for development when the file is missing; None when signing is off."""
    if not settings.EXCHANGE_SIGN:
        return None
    path = Path(settings.EXCHANGE_SIGNING_FILE)
    cached = _keys.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        made = signing_key_make("congan edXML")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".edxml-key-")
        with os.fdopen(handle, "wb") as out:
            out.write(made.key_pem + made.cert_pem)
        Path(temporary).replace(path)  # whole or not at all, even when two processes race
    content = path.read_bytes()
    key = serialization.load_pem_private_key(content, password=None)
    certificate = x509.load_pem_x509_certificate(content)
    loaded = edxml.SigningKey(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
    )
    _keys[str(path)] = loaded
    return loaded


def trusted() -> list[bytes] | None:
    """The certificates of trusted sending systems (and our own), or None to check integrity only."""
    files = [Path(name) for name in settings.EXCHANGE_TRUSTED_CERTS if name]
    if not files:
        return None
    certificates = [path.read_bytes() for path in files]
    own = signing_key()
    return [*certificates, own.cert_pem] if own else certificates


def read(data: bytes) -> edxml.Parsed:
    """Parse with the platform's trust settings; an unreadable packet is a ValidationFailed."""
    if len(data) > settings.EXCHANGE_ENVELOPE_MAX_BYTES:
        raise error_of(edxml.EdxmlError("edXML", "too_large", str(len(data))))
    try:
        return edxml.parse(data, trusted=trusted(), require_signature=settings.EXCHANGE_REQUIRE_SIGNATURE)
    except edxml.EdxmlError as exc:
        raise error_of(exc) from None


def agency_of(unit: Unit) -> edxml.Organisation:
    """One of our units as an edXML organisation: its QCVN 102 identifier (its unit code when it
    has none yet, which the other side will see as a warning)."""
    return edxml.Organisation(organ_id=unit.agency_code or unit.code, name=unit.name, address=unit.address or "")


def outbox_write(name: str, data: bytes) -> None:
    """Put a packet to send under OUTBOX_DIR/edxml/ once the transaction commits."""

    def write() -> None:
        folder = Path(settings.OUTBOX_DIR) / "edxml"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    transaction.on_commit(write)


def _problem_text(exc: edxml.EdxmlError) -> str:
    values = {"element": exc.element, "detail": exc.detail[:200]}
    texts = {
        "malformed": _("Tệp không phải gói tin edXML đọc được (%(detail)s)."),
        "too_large": _("Gói tin lớn quá giới hạn cho phép."),
        "missing": _("Gói tin thiếu thành phần bắt buộc %(element)s."),
        "invalid": _("Giá trị của %(element)s không đọc được: %(detail)s."),
        "signature": _(
            "Chữ ký số của gói tin không hợp lệ (%(element)s): nội dung đã bị sửa sau khi ký hoặc chữ ký hỏng."
        ),
        "unsigned": _("Gói tin chưa được ký số (%(element)s) mà hệ thống yêu cầu chữ ký."),
        "base64": _("Tệp đính kèm %(element)s không mã hóa base64 đúng."),
        "digest": _("Tệp đính kèm %(element)s khác mã băm SHA-256 ghi trong danh mục tệp."),
        "size": _("Tệp đính kèm %(element)s khác dung lượng ghi trong danh mục tệp (%(detail)s)."),
        "attachment": _("Danh mục tệp và các tệp đính kèm không khớp nhau: %(element)s."),
    }
    return texts.get(exc.problem, _("Gói tin không hợp lệ ở %(element)s.")) % values


def error_of(exc: edxml.EdxmlError) -> ValidationFailed:
    return ValidationFailed(
        _problem_text(exc),
        details={"envelope": [_problem_text(exc)], "element": [exc.element], "problem": [exc.problem]},
    )


def warning_record(warning: edxml.Warning) -> dict[str, str]:
    return {"element": warning.element, "problem": warning.problem, "value": warning.value}


def warning_text(record: dict[str, Any]) -> str:
    """A stored warning in the reader's language."""
    problem, value, element = record.get("problem", ""), record.get("value", ""), record.get("element", "")
    if problem == "agency_id":
        return agency_ids.warning(value) or value
    texts = {
        "namespace": _(
            "Gói tin dùng không gian tên khác chuẩn ở %(element)s (%(value)s); vẫn đọc theo tên thành phần."
        ),
        "unsigned": _("Gói tin không có chữ ký số: hãy kiểm tra với nơi gửi."),
        "untrusted": _("Gói tin ký bởi %(value)s, không thuộc danh sách hệ thống gửi tin cậy."),
        "date_format": _("Ngày %(value)s ở %(element)s không theo dạng yyyy/MM/dd của QCVN 102; vẫn đọc được."),
        "notation": _(
            "Số, ký hiệu %(value)s không theo quy tắc của Nghị định 30/2020: đã ghi vào ghi chú để văn thư nhập lại."
        ),
        "not_pdf": _("Tệp %(value)s không phải PDF nên không lưu vào văn bản đến (vẫn còn trong gói tin)."),
        "issued_later": _("Ngày văn bản %(value)s sau ngày nhận: bỏ trống để văn thư nhập lại."),
    }
    text = texts.get(problem)
    return text % {"element": element, "value": value} if text else f"{element}: {problem} {value}"
