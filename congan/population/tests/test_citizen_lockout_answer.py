"""A locked citizen account answers exactly like an unknown ID number and a wrong password, on the
token endpoint and the sign-in page, so neither tells whether an account exists."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from congan.population import accounts
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-rat-dai-2026"
UNKNOWN_ID = "048190999999"


@pytest.fixture
def resident(commune):
    resident = ResidentFactory(
        unit=commune, full_name="Trần Thị Bích Ngọc", sex="female", birth_year=1990, birth_month=3, birth_day=21
    )
    accounts.citizen_register(
        personal_id=resident.personal_id,
        full_name="tran thi bich ngoc",
        birth_date=dt.date(1990, 3, 21),
        phone="0905 123 456",
        password=PASSWORD,
        client_ip="10.0.0.1",
    )
    return resident


def _token(client, personal_id: str, password: str):
    body = {"personal_id": personal_id, "password": password}
    return client.post("/api/v1/citizen/token", body, content_type="application/json")


def _lock(client, resident) -> None:
    for _attempt in range(accounts.MAX_FAILED_LOGINS):
        assert _token(client, resident.personal_id, "sai-mat-khau-0000").status_code == 401


def test_the_token_endpoint_answers_a_locked_account_as_an_unknown_one(client, resident):
    _lock(client, resident)

    locked = _token(client, resident.personal_id, PASSWORD)  # the right password, while locked
    wrong = _token(client, resident.personal_id, "sai-mat-khau-0000")
    unknown = _token(client, UNKNOWN_ID, PASSWORD)

    answers = {(answer.status_code, answer.content) for answer in (locked, wrong, unknown)}
    assert len(answers) == 1, answers
    assert locked.status_code == 401 and locked.json()["code"] == "not_authenticated"
    assert "tạm khóa" in locked.json()["message"]  # the one answer says a lock may be why


def test_the_sign_in_page_answers_a_locked_account_as_an_unknown_one(client, resident):
    _lock(client, resident)

    def page(personal_id: str) -> tuple[int, str]:
        response = client.post("/cong-dan/dang-nhap/", {"personal_id": personal_id, "password": PASSWORD})
        page = response.content.decode().replace(personal_id, "")
        return response.status_code, re.sub(r'[A-Za-z0-9]{64}(?=["\'])', "csrf", page)  # masked per response

    assert page(resident.personal_id) == page(UNKNOWN_ID)
