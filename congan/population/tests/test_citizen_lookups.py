"""A citizen sees who looked them up after proving who they are with their identity card."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from congan.core.apikeys import api_key_issue
from congan.core.audit import audit_read, buffer
from congan.core.errors import NotAuthenticated, RateLimited
from congan.core.models import ApiClient, AuditEvent
from congan.population import accounts
from congan.population.citizen import citizen_lookups
from congan.population.lookups import record_partner_lookups
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/citizen/my-lookups"


@pytest.fixture
def citizen(commune):
    return ResidentFactory(
        unit=commune,
        full_name="Trương Thị Thu",
        sex="female",
        birth_year=1990,
        birth_month=4,
        birth_day=12,
        id_card_issued_on=dt.date(2021, 7, 1),
    )


@pytest.fixture
def looked_up(citizen, officer_client, officer):
    """An officer opened the profile, and a bank's system verified the person."""
    officer_client.post(
        reverse("population:resident_profile", args=[citizen.pk]),
        {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Hồ sơ HS-12"},
        follow=True,
    )
    bank = ApiClient.objects.create(name="Ngân hàng Đông Á")
    key = api_key_issue(by="system", client=bank, name="core", scopes=["identity.verify"]).key
    audit_read(actor=key, action="population.identity.verify", target=citizen, purpose="Mở tài khoản")
    buffer.flush()
    return citizen


def _claim(citizen, **change):
    body = {
        "personal_id": citizen.personal_id,
        "full_name": "truong thi thu",
        "birth_date": "1990-04-12",
        "id_card_issued_on": "2021-07-01",
    }
    return {**body, **change}


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_citizen_sees_officers_and_partner_agencies_that_looked_them_up(client, looked_up, officer, commune):
    response = _post(client, _claim(looked_up))
    assert response.status_code == 200
    lookups = response.json()["lookups"]
    assert [(item["who"], item["purpose"]) for item in lookups] == [
        ("Ngân hàng Đông Á", "Mở tài khoản"),
        (f"{officer.full_name} ({commune.name})", "Quản lý cư trú — Hồ sơ HS-12"),
    ]
    assert [(item["kind"], item["action"]) for item in lookups] == [
        ("Hệ thống cơ quan đối tác", "Xác thực thông tin"),
        ("Cán bộ công an", "Xem hồ sơ"),
    ]
    assert set(lookups[0]) == {"occurred_at", "who", "kind", "action", "purpose"}


def test_the_citizens_own_check_is_audited_with_its_purpose(client, looked_up):
    _post(client, _claim(looked_up))
    buffer.flush()
    event = AuditEvent.objects.get(action="population.citizen.own_lookups", target_id=str(looked_up.pk))
    assert (event.actor_type, event.purpose) == (AuditEvent.ActorType.CITIZEN, "Công dân tự tra cứu lịch sử truy cập")
    assert looked_up.personal_id not in event.actor_label


def test_officers_are_shown_by_name_and_unit_never_by_login(client, looked_up, officer):
    text = json.dumps(_post(client, _claim(looked_up)).json(), ensure_ascii=False)
    assert officer.username not in text
    assert officer.full_name in text


@pytest.mark.parametrize(
    "change",
    [
        {"full_name": "Trương Thị Thủy"},
        {"birth_date": "1990-04-13"},
        {"id_card_issued_on": "2021-07-02"},
        {"personal_id": "048190999999"},
    ],
    ids=["name", "birth-date", "issue-date", "unknown-id"],
)
def test_every_mismatch_gets_the_same_answer(client, citizen, change):
    response = _post(client, _claim(citizen, **change))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json() == _post(client, _claim(citizen, full_name="X")).json()
    assert not AuditEvent.objects.filter(action="population.citizen.own_lookups").exists()


def test_a_malformed_id_is_a_clear_validation_error(client, citizen):
    response = _post(client, _claim(citizen, personal_id="12AB"))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "personal_id" in response.json()["details"]


def test_too_many_attempts_from_one_address_get_429_with_retry_after(client, citizen):
    for _ in range(10):
        assert _post(client, _claim(citizen, full_name="Sai Tên")).status_code == 401
    response = _post(client, _claim(citizen))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_record_without_card_issue_date_points_to_the_commune_police(client, commune):
    child = ResidentFactory(unit=commune, full_name="Lê Minh", birth_year=2015, birth_month=1, birth_day=2)
    body = {
        "personal_id": child.personal_id,
        "full_name": "Lê Minh",
        "birth_date": "2015-01-02",
        "id_card_issued_on": "2024-01-01",
    }
    response = _post(client, body)
    assert response.status_code == 422
    assert "Công an xã" in response.json()["message"]


def test_the_public_page_lists_lookups_after_verification(client, looked_up, commune):
    page = client.post(
        reverse("population:citizen_lookups"),
        {
            "personal_id": looked_up.personal_id,
            "full_name": "Trương Thị Thu",
            "birth_date": "12/04/1990",
            "id_card_issued_on": "01/07/2021",
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ngân hàng Đông Á" in text
    assert commune.name in text
    wrong = client.post(
        reverse("population:citizen_lookups"),
        {
            "personal_id": looked_up.personal_id,
            "full_name": "Ai Khác",
            "birth_date": "12/04/1990",
            "id_card_issued_on": "01/07/2021",
        },
    )
    assert wrong.status_code == 400
    assert "Ngân hàng Đông Á" not in wrong.content.decode()


def test_a_partner_batch_lookup_is_listed(client, citizen):
    agency = ApiClient.objects.create(name="Bảo hiểm xã hội tỉnh")
    key = api_key_issue(by="system", client=agency, name="batch", scopes=["identity.verify"]).key
    record_partner_lookups(
        api_key=key,
        action="population.identity.verify_batch",
        resident_ids=[citizen.pk],
        purpose="Cấp thẻ BHYT",
        legal_basis="Luật BHYT",
        details={},
    )
    [lookup] = _post(client, _claim(citizen)).json()["lookups"]
    assert (lookup["who"], lookup["action"], lookup["purpose"]) == (
        "Bảo hiểm xã hội tỉnh",
        "Xác thực thông tin theo lô",
        "Cấp thẻ BHYT",
    )


def test_an_officer_opening_the_edit_form_is_listed(client, citizen, commune):
    from congan.org import roles
    from congan.org.tests.factories import OfficerFactory

    clerk = OfficerFactory(unit=commune, roles=[roles.PROCESSING])
    clerk_client = Client()
    clerk_client.force_login(clerk)
    clerk_client.post(
        reverse("population:resident_edit", args=[citizen.pk]),
        {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Hồ sơ CT01 số 7"},
        follow=True,
    )
    buffer.flush()
    [lookup] = _post(client, _claim(citizen)).json()["lookups"]
    assert (lookup["who"], lookup["action"]) == (f"{clerk.full_name} ({commune.name})", "Mở hồ sơ để cập nhật")


def test_the_public_page_answers_429_with_retry_after(client, citizen):
    data = {
        "personal_id": citizen.personal_id,
        "full_name": "Sai Tên",
        "birth_date": "12/04/1990",
        "id_card_issued_on": "01/07/2021",
    }
    for _ in range(10):
        assert client.post(reverse("population:citizen_lookups"), data).status_code == 400
    response = client.post(reverse("population:citizen_lookups"), {**data, "full_name": "Trương Thị Thu"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert 'data-testid="citizen-lookups"' not in response.content.decode()


def test_the_public_page_needs_no_sign_in_and_asks_for_four_facts(client):
    page = client.get(reverse("population:citizen_lookups"))
    assert page.status_code == 200
    assert list(page.context["form"].fields) == ["personal_id", "full_name", "birth_date", "id_card_issued_on"]


def _wrong_claim(citizen):
    return {
        "personal_id": citizen.personal_id,
        "full_name": "Sai Tên",
        "birth_date": dt.date(1990, 4, 12),
        "id_card_issued_on": dt.date(2021, 7, 1),
    }


def test_attempts_are_counted_per_address(citizen):
    for _ in range(10):
        with pytest.raises(NotAuthenticated):
            citizen_lookups(**_wrong_claim(citizen), client_ip="203.0.113.7")
    with pytest.raises(RateLimited):
        citizen_lookups(**_wrong_claim(citizen), client_ip="203.0.113.7")
    with pytest.raises(NotAuthenticated):  # another address still has its attempts
        citizen_lookups(**_wrong_claim(citizen), client_ip="203.0.113.8")


def test_ipv6_addresses_of_one_network_share_their_attempts(citizen):
    for host in range(10):
        with pytest.raises(NotAuthenticated):
            citizen_lookups(**_wrong_claim(citizen), client_ip=f"2001:db8:1:2::{host + 1:x}")
    with pytest.raises(RateLimited):
        citizen_lookups(**_wrong_claim(citizen), client_ip="2001:db8:1:2:ffff::1")
    with pytest.raises(NotAuthenticated):
        citizen_lookups(**_wrong_claim(citizen), client_ip="2001:db8:1:3::1")


def test_a_signed_in_citizen_sees_who_looked_them_up_without_typing_card_details(client, looked_up, officer):
    accounts.citizen_register(
        personal_id=looked_up.personal_id,
        full_name="Trương Thị Thu",
        birth_date=dt.date(1990, 4, 12),
        phone="0905 123 456",
        password="mat-khau-cong-dan-1",
        client_ip="10.0.0.1",
    )
    client.post(
        reverse("population_citizen:login"),
        {"personal_id": looked_up.personal_id, "password": "mat-khau-cong-dan-1"},
    )
    page = client.get(reverse("population:citizen_lookups"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="citizen-lookups-form"' not in text
    assert officer.full_name in text and "Ngân hàng Đông Á" in text
    assert AuditEvent.objects.filter(action="population.citizen.own_lookups", target_id=str(looked_up.pk)).exists()
