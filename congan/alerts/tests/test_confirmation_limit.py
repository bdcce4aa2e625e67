"""Confirmation codes are limited per recipient, whatever address asks: a phone or mailbox gets at
most three codes an hour; beyond that the API answers 429 (Retry-After) and the page shows why."""

from __future__ import annotations

import pytest

from congan.core.models import Notification

pytestmark = pytest.mark.django_db
PHONE = "0905123123"
MESSAGE = "Đã gửi nhiều mã xác nhận tới địa chỉ nhận này."


def _subscribe(client, address: str, recipient: str = PHONE):
    body = {"channel": "sms", "recipient": recipient, "commune_codes": ["20194"]}
    return client.post("/api/v1/alert-subscriptions", body, content_type="application/json", REMOTE_ADDR=address)


def test_one_phone_gets_three_codes_an_hour_whichever_addresses_ask(client, seats):
    statuses = [_subscribe(client, f"198.51.100.{n}").status_code for n in range(1, 4)]
    refused = _subscribe(client, "198.51.100.4")

    assert statuses == [202, 202, 202]
    assert refused.status_code == 429
    body = refused.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "rate_limited"
    assert MESSAGE in body["message"]
    assert 0 < int(refused["Retry-After"]) <= 3600 and body["details"] == {"retry_after": int(refused["Retry-After"])}
    assert Notification.objects.filter(recipient=PHONE).count() == 3
    assert _subscribe(client, "198.51.100.5", recipient="0905999888").status_code == 202  # another phone


def test_the_subscription_page_explains_the_limit(client, seats):
    for n in range(3):
        assert _subscribe(client, f"198.51.100.{n + 1}").status_code == 202
    page = client.post(
        "/canh-bao/dang-ky/",
        {"channel": "sms", "recipient": PHONE, "commune_codes": ["20197"]},
        REMOTE_ADDR="198.51.100.9",
    )
    assert page.status_code == 400
    assert MESSAGE in page.content.decode()
    assert Notification.objects.filter(recipient=PHONE).count() == 3
