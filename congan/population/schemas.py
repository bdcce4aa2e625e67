"""Partner API schemas. Inputs forbid unknown fields; outputs never carry stored values on verify."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, WithJsonSchema

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
    for name in ("purpose", "legal_basis"):
        schema["properties"][name].pop("default", None)


class Declaration(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_declared)

    purpose: str = Field(
        "", max_length=500, description="Mục đích tra cứu (bắt buộc)", json_schema_extra=documented(pattern=NON_BLANK)
    )
    legal_basis: str = Field(
        "", max_length=200, description="Căn cứ pháp lý (bắt buộc)", json_schema_extra=documented(pattern=NON_BLANK)
    )


# What ``verification.verify_item`` and the read take as a personal ID (422 ``invalid_personal_id``
# otherwise, with that code: so the document says it, pydantic does not check it).
PERSONAL_ID_PATTERN = r"^[0-9]{12}$"
PersonalIdText = Annotated[str, WithJsonSchema({"type": "string", "pattern": PERSONAL_ID_PATTERN})]


def _verify_rules(schema: dict[str, Any]) -> None:
    """A single verification states what ``verification.verify_item`` refuses with 422: a personal ID
    that is not 12 digits, and a claim with nothing to compare (``nothing_to_verify``). In a batch
    these are answered per item, so the batch's items do not say it."""
    _declared(schema)
    text = {"type": "string", "minLength": 1}
    schema["anyOf"] = [
        {"required": ["full_name"], "properties": {"full_name": text}},
        {"required": ["birth_date"], "properties": {"birth_date": text}},
        {"required": ["sex"], "properties": {"sex": {"enum": ["male", "female"]}}},
        {
            "required": ["address"],
            "properties": {
                "address": {
                    "type": "object",
                    "anyOf": [
                        {"required": ["commune"], "properties": {"commune": text}},
                        {"required": ["street"], "properties": {"street": text}},
                    ],
                }
            },
        },
    ]


class VerifyIn(VerifyItemIn, Declaration):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_verify_rules)

    personal_id: str = Field(
        ...,
        max_length=32,
        description="Số định danh cá nhân, 12 chữ số",
        json_schema_extra=documented(pattern=PERSONAL_ID_PATTERN),
    )


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
