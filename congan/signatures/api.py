"""``POST /api/v1/documents/verify``: the signatures of a PDF sent as base64 JSON, checked like on the
verification page. Officers who read the document registers may call it."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from congan.core.api import error_responses, officer_auth
from congan.core.errors import PermissionDenied, ValidationFailed
from congan.org.models import Officer
from congan.signatures import selectors
from congan.signatures.views import VIEW

router = Router(tags=["documents"])


class SignatureVerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field("", max_length=255)
    content_base64: str = Field(..., description="Tệp PDF đã ký, mã hóa base64")


class SignatureCheckOut(Schema):
    field: str
    signer_name: str
    subject: str
    issuer: str
    valid: bool
    trust: str = Field(..., description="trusted | trusted_demo | untrusted | expired | revoked | unknown")
    trust_label: str
    integrity: str = Field(..., description="intact | modified")
    integrity_label: str
    changes: str = Field(..., description="none | ltv | form_filling | annotations | other | unknown")
    changes_label: str
    level: str = Field(..., description="PAdES: B-B | B-T | B-LT | B-LTA")
    level_label: str
    signing_time: dt.datetime | None
    timestamped: bool
    key: str
    weak_key: bool
    reason: str
    location: str
    problems: list[str]


class SignatureVerifyOut(Schema):
    all_valid: bool
    signatures: list[SignatureCheckOut]


@router.post(
    "/documents/verify",
    auth=officer_auth,
    response={200: SignatureVerifyOut, **error_responses(401, 403, 422, 429)},
)
def verify_document_signatures(request: HttpRequest, payload: SignatureVerifyIn):
    """Kiểm tra chữ ký số của một tệp PDF: người ký, chuỗi tin cậy, thời điểm ký, toàn vẹn, thay đổi sau
    khi ký, mức PAdES. Tệp không được lưu lại. Nội dung phải là base64 của một tệp PDF đọc được, không quá
    CONGAN_SIGNING_MAX_PDF_BYTES; nếu không, trả 422 với lỗi ở trường content_base64."""
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Officer) or not caller.has_perm(VIEW):
        raise PermissionDenied()
    if len(payload.content_base64) > settings.SIGNING_MAX_PDF_BYTES * 4 // 3 + 4:
        raise ValidationFailed(details={"content_base64": [_("Tệp quá lớn.")]})
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(details={"content_base64": [_("base64 không hợp lệ.")]}) from None
    try:
        report = selectors.verify_pdf(content)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, details={"content_base64": exc.details["pdf"]}, code=exc.code) from None
    return {"all_valid": report.all_valid, "signatures": [signature.as_dict() for signature in report.signatures]}
