"""Partner API schemas. Inputs forbid unknown fields; outputs never carry stored values on verify."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from congan.core.openapi import NON_BLANK, documented

Match = Literal["exact", "folded", "no_match"]
BIRTH_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class Strict(BaseModel):
    """Request bodies: plain pydantic models. ninja's Schema adds a per-object resolver meant for
    ORM objects that made parsing a 1,000-item batch cost more than verifying it."""

    model_config = ConfigDict(extra="forbid")


class AddressIn(Strict):
    commune: str | None = Field(None, pattern=r"^\d{5}$", description="Mã xã 2025 (5 chữ số)")
    street: str | None = Field(None, max_length=300)


class VerifyItemIn(Strict):
    personal_id: str = Field(..., max_length=32, description="Số định danh cá nhân, 12 chữ số")
    full_name: str | None = Field(None, max_length=150)
    birth_date: str | None = Field(None, pattern=BIRTH_DATE_PATTERN, description="YYYY, YYYY-MM hoặc YYYY-MM-DD")
    sex: Literal["male", "female"] | None = None
    address: AddressIn | None = None


def _declared(schema: dict[str, Any]) -> None:
    """The document says what ``policy_check`` enforces, with its own error codes
    (``purpose_required``, ``legal_basis_required``): both are required and not blank."""
    schema["required"] = sorted({*schema.get("required", []), "purpose", "legal_basis"})


class Declaration(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_declared)

    purpose: str = Field(
        "", max_length=500, description="Mục đích tra cứu (bắt buộc)", json_schema_extra=documented(pattern=NON_BLANK)
    )
    legal_basis: str = Field(
        "", max_length=200, description="Căn cứ pháp lý (bắt buộc)", json_schema_extra=documented(pattern=NON_BLANK)
    )


class VerifyIn(VerifyItemIn, Declaration):
    pass


class VerifyBatchIn(Declaration):
    items: list[VerifyItemIn] = Field(..., min_length=1)


class VerifyOut(Schema):
    personal_id: str
    found: bool
    match: bool
    fields: dict[str, Match]


class ItemError(Schema):
    code: str
    message: str


class VerifyBatchItemOut(Schema):
    personal_id: str
    found: bool | None = None
    match: bool | None = None
    fields: dict[str, Match] | None = None
    error: ItemError | None = None


class VerifyBatchOut(Schema):
    results: list[VerifyBatchItemOut]


class ResidentReadOut(Schema):
    personal_id: str
    fields: dict[str, Any]
