"""Citizen-facing API: "who looked me up", verified with facts from the identity card."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from congan.core.api import error_responses
from congan.core.middleware import client_ip
from congan.population.citizen import citizen_lookups

router = Router(tags=["citizen"])


class MyLookupsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    personal_id: str = Field(..., max_length=32, description="Số định danh cá nhân, 12 chữ số")
    full_name: str = Field(..., min_length=1, max_length=150, description="Họ, chữ đệm và tên như trên thẻ")
    birth_date: dt.date = Field(..., description="Ngày sinh, YYYY-MM-DD")
    id_card_issued_on: dt.date = Field(..., description="Ngày cấp thẻ căn cước, YYYY-MM-DD")


class LookupOut(Schema):
    occurred_at: dt.datetime
    who: str
    kind: str
    action: str
    purpose: str


class MyLookupsOut(Schema):
    lookups: list[LookupOut]


@router.post("/citizen/my-lookups", auth=None, response={200: MyLookupsOut, **error_responses(400, 401, 422, 429)})
def my_lookups(request: HttpRequest, payload: MyLookupsIn):
    """Ai đã tra cứu thông tin của tôi — cán bộ (theo đơn vị) và hệ thống đối tác (theo cơ quan),
    kèm mục đích. Thông tin xác minh sai hoặc số định danh không có đều nhận cùng một lỗi 401;
    quá 10 lần trong 10 phút từ một địa chỉ thì nhận 429."""
    lookups = citizen_lookups(
        personal_id=payload.personal_id, full_name=payload.full_name, birth_date=payload.birth_date,
        id_card_issued_on=payload.id_card_issued_on, client_ip=client_ip(request),
    )  # fmt: skip
    return {"lookups": [vars(lookup) for lookup in lookups]}
