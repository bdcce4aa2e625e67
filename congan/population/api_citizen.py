"""Citizen-facing API: "who looked me up" (facts from the identity card, or a citizen token);
sign-in for a bearer token and the citizen's own registry record."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import HttpBearer
from pydantic import ConfigDict

from congan.core.api import error_responses
from congan.core.middleware import client_ip
from congan.core.openapi import documented
from congan.population import accounts
from congan.population.citizen import citizen_lookups, citizen_own_profile
from congan.population.models import CitizenAccount

router = Router(tags=["citizen"])
# What the citizen services take as a personal ID (stripped, then 12 digits; 422 otherwise).
ID_TEXT = r"^\s*[0-9]{12}\s*$"


class CitizenToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /citizen/token``; valid 8 hours, void once the
    password changes."""

    def authenticate(self, request: HttpRequest, token: str) -> CitizenAccount | None:
        account = accounts.citizen_from_token(token)
        if account is not None:
            request.citizen = account  # type: ignore[attr-defined]
        return account


citizen_token = CitizenToken()


class MyLookupsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    personal_id: str = Field(
        ..., max_length=32, description="Số định danh cá nhân, 12 chữ số", json_schema_extra=documented(pattern=ID_TEXT)
    )
    full_name: str = Field(..., min_length=1, max_length=150, description="Họ, chữ đệm và tên như trên thẻ")
    birth_date: dt.date = Field(..., description="Ngày sinh, YYYY-MM-DD")
    id_card_issued_on: dt.date = Field(..., description="Ngày cấp thẻ căn cước, YYYY-MM-DD")


class MyLookupOut(Schema):
    occurred_at: dt.datetime
    who: str
    kind: str
    action: str
    purpose: str


class MyLookupsOut(Schema):
    lookups: list[MyLookupOut]


@router.post("/citizen/my-lookups", auth=None, response={200: MyLookupsOut, **error_responses(400, 401, 422, 429)})
def my_lookups(request: HttpRequest, payload: MyLookupsIn):
    """Ai đã tra cứu thông tin của tôi — cán bộ (họ tên và đơn vị) và hệ thống đối tác (theo cơ quan),
    kèm mục đích. Thông tin xác minh sai hoặc số định danh không có đều nhận cùng một lỗi 401;
    quá 10 lần trong 10 phút từ một địa chỉ thì nhận 429."""
    lookups = citizen_lookups(
        personal_id=payload.personal_id,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        id_card_issued_on=payload.id_card_issued_on,
        client_ip=client_ip(request),
    )
    return {"lookups": [vars(lookup) for lookup in lookups]}


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    personal_id: str = Field(
        ..., max_length=32, description="Số định danh cá nhân, 12 chữ số", json_schema_extra=documented(pattern=ID_TEXT)
    )
    password: str = Field(..., min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 (the scheme's name)
    expires_in: int
    level: int


@router.post("/citizen/token", auth=None, response={200: TokenOut, **error_responses(401, 422, 429)})
def citizen_token_create(request: HttpRequest, payload: TokenIn):
    """Đăng nhập tài khoản định danh, nhận mã truy cập (Bearer) dùng 8 giờ. Sai 5 lần liên tiếp thì
    tài khoản tạm khóa 15 phút; khi đang khóa, câu trả lời giống hệt số định danh không có hay sai mật khẩu
    (401), để không lộ tài khoản nào tồn tại."""
    account = accounts.citizen_login(
        personal_id=payload.personal_id, password=payload.password, client_ip=client_ip(request)
    )
    return {
        "token": accounts.citizen_token_issue(account),
        "expires_in": accounts.TOKEN_MAX_AGE,
        "level": account.level,
    }


class MeOut(Schema):
    personal_id: str
    full_name: str
    birth_date: str
    sex: str
    level: int
    phone: str


@router.get("/citizen/me", auth=citizen_token, response={200: MeOut, **error_responses(401)})
def citizen_me(request: HttpRequest):
    """Thông tin của tôi trong CSDL dân cư (chỉ đọc) và mức tài khoản."""
    resident = citizen_own_profile(resident=request.citizen.resident)
    return {
        "personal_id": resident.personal_id,
        "full_name": resident.full_name,
        "birth_date": resident.birth_date_display,
        "sex": resident.sex,
        "level": request.citizen.level,
        "phone": request.citizen.phone,
    }
