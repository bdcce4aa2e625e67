"""Citizen accounts: sign-up matched against the registry, lockout, reset by one-time code
through the outbox, level 2 by an officer in scope, sessions and tokens a password change voids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from congan.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, RateLimited, ValidationFailed
from congan.core.models import AuditEvent, Notification
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population import accounts
from congan.population.models import CitizenAccount
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-rat-dai-2026"


@pytest.fixture
def resident(commune):
    return ResidentFactory(
        unit=commune, full_name="Trần Thị Bích Ngọc", sex="female", birth_year=1990, birth_month=3, birth_day=21
    )


def _register(resident, **overrides):
    values = {
        "personal_id": resident.personal_id,
        "full_name": "tran thi bich ngoc",
        "birth_date": dt.date(1990, 3, 21),
        "phone": "0905 123 456",
        "password": PASSWORD,
        "client_ip": "10.0.0.1",
    }
    return accounts.citizen_register(**{**values, **overrides})


def _login(resident, password=PASSWORD):
    return accounts.citizen_login(personal_id=resident.personal_id, password=password, client_ip="10.0.0.2")


def test_sign_up_matched_against_the_registry_gives_a_level_1_account(resident):
    account = _register(resident)
    assert (account.level, account.phone, account.resident_id) == (1, "0905123456", resident.pk)
    assert account.password != PASSWORD
    event = AuditEvent.objects.get(action="population.citizen_account.register")
    assert event.actor_label == f"******{resident.personal_id[-6:]}"


def test_a_wrong_name_birth_date_or_unknown_id_get_the_same_answer(resident):
    answers = set()
    for overrides in (
        {"full_name": "Trần Thị Bích"},
        {"birth_date": dt.date(1990, 3, 22)},
        {"personal_id": "048190999999"},
    ):
        with pytest.raises(NotAuthenticated) as caught:
            _register(resident, **overrides)
        answers.add(str(caught.value.message))
    assert len(answers) == 1
    assert not CitizenAccount.objects.exists()


def test_a_partial_birth_date_in_the_registry_matches_any_day_within_it(commune):
    resident = ResidentFactory(
        unit=commune, full_name="Lê Văn Tám", sex="male", birth_year=1948, birth_month=None, birth_day=None
    )
    account = _register(resident, full_name="Lê Văn Tám", birth_date=dt.date(1948, 8, 19))
    assert account.level == 1


def test_deceased_residents_and_second_accounts_are_refused(resident, commune):
    _register(resident)
    with pytest.raises(Conflict):
        _register(resident)
    deceased = ResidentFactory(unit=commune, full_name="Ngô Văn Hải", status="deceased", birth_year=1950)
    with pytest.raises(NotAuthenticated):
        _register(deceased, full_name="Ngô Văn Hải", birth_date=dt.date(1950, 6, 15))


def test_weak_passwords_and_bad_phones_are_field_errors(resident):
    with pytest.raises(ValidationFailed) as weak:
        _register(resident, password="12345678901")
    assert "password" in weak.value.details
    with pytest.raises(ValidationFailed) as contains_id:
        _register(resident, password=f"abc{resident.personal_id}")
    assert "password" in contains_id.value.details
    with pytest.raises(ValidationFailed) as phone:
        _register(resident, phone="12")
    assert "phone" in phone.value.details


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(resident):
    _register(resident)
    for _attempt in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(NotAuthenticated):
            _login(resident, password="sai-mat-khau-0000")
    with pytest.raises(NotAuthenticated) as locked:
        _login(resident)  # the right password does not open a locked account
    assert locked.value.code == "not_authenticated"  # the answer to any failure (no account is revealed)
    account = CitizenAccount.objects.get()
    assert account.locked_until > timezone.now() + dt.timedelta(minutes=14)
    CitizenAccount.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _login(resident).pk == account.pk
    assert AuditEvent.objects.filter(action="population.citizen_account.login_failed").count() == 5


def test_an_unknown_id_and_a_wrong_password_get_the_same_answer(resident):
    _register(resident)
    with pytest.raises(NotAuthenticated) as wrong:
        _login(resident, password="sai-mat-khau-0000")
    with pytest.raises(NotAuthenticated) as unknown:
        accounts.citizen_login(personal_id="048190999999", password=PASSWORD, client_ip="10.0.0.2")
    assert str(wrong.value.message) == str(unknown.value.message)


def test_sign_ins_from_one_address_are_rate_limited(resident):
    _register(resident)
    for _attempt in range(accounts.ATTEMPTS_PER_ADDRESS):
        with pytest.raises(NotAuthenticated):
            accounts.citizen_login(personal_id="048190999999", password="x", client_ip="10.9.9.9")
    with pytest.raises(RateLimited):
        accounts.citizen_login(personal_id=resident.personal_id, password=PASSWORD, client_ip="10.9.9.9")
    assert _login(resident).pk  # another address is not held back


def _sent_code() -> str:
    body = Notification.objects.filter(channel="sms").latest("created_at").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_reset_code_goes_through_the_outbox_and_sets_a_new_password(resident):
    _register(resident)
    accounts.citizen_password_reset_request(personal_id=resident.personal_id, phone="0905123456", client_ip="1.1.1.1")
    message = Notification.objects.get()
    assert (message.channel, message.recipient, message.status) == ("sms", "0905123456", "pending")
    account = accounts.citizen_password_reset_confirm(
        personal_id=resident.personal_id, code=_sent_code(), new_password="mot-mat-khau-moi-2026"
    )
    assert account.credentials_version == 2
    assert _login(resident, password="mot-mat-khau-moi-2026").pk == account.pk
    with pytest.raises(ValidationFailed):  # a code is used once
        accounts.citizen_password_reset_confirm(
            personal_id=resident.personal_id, code=_sent_code(), new_password="lai-mat-khau-moi-2027"
        )


def test_a_reset_request_with_another_phone_sends_nothing_and_says_the_same(resident):
    _register(resident)
    accounts.citizen_password_reset_request(personal_id=resident.personal_id, phone="0912000000", client_ip="1.1.1.1")
    accounts.citizen_password_reset_request(personal_id="048190999999", phone="0905123456", client_ip="1.1.1.1")
    assert not Notification.objects.exists()


def test_a_reset_code_allows_five_tries_then_is_spent(resident):
    _register(resident)
    accounts.citizen_password_reset_request(personal_id=resident.personal_id, phone="0905123456", client_ip="1.1.1.1")
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(accounts.CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed):
            accounts.citizen_password_reset_confirm(
                personal_id=resident.personal_id, code=wrong, new_password="mot-mat-khau-moi-2026"
            )
    with pytest.raises(ValidationFailed):  # even the right code now
        accounts.citizen_password_reset_confirm(
            personal_id=resident.personal_id, code=code, new_password="mot-mat-khau-moi-2026"
        )


@pytest.fixture
def reception(commune):
    return OfficerFactory(unit=commune, roles=[roles.RECEPTION])


def test_level_2_is_confirmed_by_an_officer_of_the_residents_unit(resident, reception, other_commune):
    account = _register(resident)
    outsider = OfficerFactory(unit=other_commune, roles=[roles.RECEPTION])
    with pytest.raises(NotFound):
        accounts.citizen_confirm_level2(by=outsider, account_id=account.pk, card_checked="Thẻ căn cước")
    without_permission = OfficerFactory(unit=resident.unit, roles=[roles.SPECIALIST])
    with pytest.raises(PermissionDenied):
        accounts.citizen_confirm_level2(by=without_permission, account_id=account.pk, card_checked="Thẻ căn cước")
    confirmed = accounts.citizen_confirm_level2(by=reception, account_id=account.pk, card_checked="Thẻ căn cước")
    assert (confirmed.level, confirmed.level2_confirmed_by) == (2, reception)
    event = AuditEvent.objects.get(action="population.citizen_account.confirm_level2")
    assert (event.actor_label, event.details["card_checked"]) == (reception.username, "Thẻ căn cước")
    with pytest.raises(Conflict):
        accounts.citizen_confirm_level2(by=reception, account_id=account.pk, card_checked="Thẻ căn cước")


# --- pages ------------------------------------------------------------------------------------


def _register_page(client, resident, **overrides):
    data = {
        "personal_id": resident.personal_id,
        "full_name": "Trần Thị Bích Ngọc",
        "birth_date": "21/03/1990",
        "phone": "0905123456",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **overrides,
    }
    return client.post(reverse("population_citizen:register"), data)


def test_signing_up_on_the_page_signs_the_citizen_in_and_opens_their_page(client, resident):
    response = _register_page(client, resident)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert resident.personal_id in home.content.decode()
    assert AuditEvent.objects.filter(action="population.citizen.own_profile", target_id=str(resident.pk)).exists()


def test_the_sign_up_page_shows_field_errors_and_the_mismatch(client, resident):
    response = _register_page(client, resident, password_again="khac-han-2026-xyz")
    assert response.status_code == 400
    assert "password_again" in response.context["form"].errors
    mismatch = _register_page(client, resident, full_name="Người Khác")
    assert mismatch.status_code == 401
    assert mismatch.context["form"].non_field_errors()


def test_citizen_pages_need_a_sign_in_and_come_back_after_it(client, resident):
    _register(resident)
    home = reverse("eservices:citizen_home")
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("population_citizen:login"))
    signed_in = client.post(
        f"{reverse('population_citizen:login')}?next={home}",
        {"personal_id": resident.personal_id, "password": PASSWORD, "next": home},
    )
    assert signed_in["Location"] == home
    assert client.get(home).status_code == 200


def test_sign_in_never_redirects_off_site(client, resident):
    _register(resident)
    response = client.post(
        reverse("population_citizen:login"),
        {"personal_id": resident.personal_id, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("eservices:citizen_home")


def test_a_password_reset_ends_sessions_opened_before_it(client, resident):
    _register(resident)
    client.post(reverse("population_citizen:login"), {"personal_id": resident.personal_id, "password": PASSWORD})
    assert client.get(reverse("eservices:citizen_home")).status_code == 200
    accounts.citizen_password_reset_request(personal_id=resident.personal_id, phone="0905123456", client_ip="1.1.1.1")
    client.post(
        reverse("population_citizen:reset_confirm"),
        {
            "personal_id": resident.personal_id,
            "code": _sent_code(),
            "password": "mot-mat-khau-moi-2026",
            "password_again": "mot-mat-khau-moi-2026",
        },
    )
    assert client.get(reverse("eservices:citizen_home")).status_code == 302


def test_sign_out_ends_the_citizen_session(client, resident):
    _register_page(client, resident)
    client.post(reverse("population_citizen:logout"))
    assert client.get(reverse("eservices:citizen_home")).status_code == 302


def test_reception_confirms_level_2_from_the_accounts_page(client, resident, reception):
    account = _register(resident)
    client.force_login(reception)
    page = client.get(reverse("population:citizen_accounts"))
    assert resident.personal_id in page.content.decode()
    client.post(reverse("population:citizen_account_confirm", args=[account.pk]), {"card_checked": "Thẻ căn cước"})
    account.refresh_from_db()
    assert account.level == 2


def _account(unit, full_name: str, created: dt.datetime) -> CitizenAccount:
    resident: Any = ResidentFactory(unit=unit, full_name=full_name)
    account = CitizenAccount.objects.create(resident=resident, phone="0905000000", password="!", level=1)
    CitizenAccount.objects.filter(pk=account.pk).update(created_at=created)
    return account


def test_the_accounts_list_sorts_filters_by_sign_up_day_and_exports_audited(client, reception, commune, other_commune):
    import csv
    import io

    from openpyxl import load_workbook

    tz = timezone.get_current_timezone()
    binh = _account(commune, "Lê Văn Bình", dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz))
    an = _account(commune, "=Nguyễn Văn An", dt.datetime(2026, 2, 1, 9, 0, tzinfo=tz))
    _account(other_commune, "Trần Thị Khác", dt.datetime(2026, 3, 10, 10, 0, tzinfo=tz))  # never shown here
    client.force_login(reception)
    url = reverse("population:citizen_accounts")

    by_name = client.get(url, {"sort": "name"}).context["page"]
    assert [a.pk for a in by_name] == [an.pk, binh.pk]  # Vietnamese order, given name first: An, Bình
    march = client.get(url, {"date_from": "01/03/2026", "date_to": "31/03/2026"}).context["page"]
    assert [a.pk for a in march] == [binh.pk]

    AuditEvent.objects.filter(action="population.citizen_account.list").delete()
    exported = client.get(url, {"sort": "-created", "export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Số định danh", "Họ tên", "Ngày sinh", "Đăng ký lúc", "Mức", "Xác nhận mức 2"]
    assert [row[1] for row in rows[1:]] == ["Lê Văn Bình", "'=Nguyễn Văn An"]
    assert rows[1][0] == binh.resident.personal_id and rows[1][3] == "10/03/2026 09:00"
    [event] = AuditEvent.objects.filter(action="population.citizen_account.list")
    assert event.details["export"] is True and event.details["residents"] == sorted([an.resident_id, binh.resident_id])
    sheet = load_workbook(io.BytesIO(client.get(url, {"sort": "name", "export": "xlsx"}).content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[1] for row in values[1:]] == ["'=Nguyễn Văn An", "Lê Văn Bình"]


def test_officers_without_the_permission_cannot_open_the_accounts_page(client, officer):
    client.force_login(officer)
    assert client.get(reverse("population:citizen_accounts")).status_code == 403


# --- API --------------------------------------------------------------------------------------


def _token(client, resident, password=PASSWORD):
    return client.post(
        "/api/v1/citizen/token",
        {"personal_id": resident.personal_id, "password": password},
        content_type="application/json",
    )


def test_a_citizen_token_reads_the_citizens_own_record(client, resident):
    _register(resident)
    response = _token(client, resident)
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    me = client.get("/api/v1/citizen/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert (me.json()["personal_id"], me.json()["level"]) == (resident.personal_id, 1)


def test_api_errors_for_bad_credentials_tokens_and_lockout(client, resident):
    _register(resident)
    wrong = _token(client, resident, password="sai-mat-khau-0000")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "not_authenticated")
    assert client.get("/api/v1/citizen/me", headers={"Authorization": "Bearer forged"}).status_code == 401
    for _attempt in range(accounts.MAX_FAILED_LOGINS - 1):
        _token(client, resident, password="sai-mat-khau-0000")
    locked = _token(client, resident)
    assert (locked.status_code, locked.json()) == (401, wrong.json())
    bad = client.post("/api/v1/citizen/token", {"personal_id": "1"}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "details"}


def test_a_token_issued_before_a_password_change_is_void(client, resident):
    _register(resident)
    token = _token(client, resident).json()["token"]
    CitizenAccount.objects.update(credentials_version=5)
    assert client.get("/api/v1/citizen/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
