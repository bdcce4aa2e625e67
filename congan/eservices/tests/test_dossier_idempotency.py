"""A dossier's idempotency key belongs to the account that submitted it: a replay is authorized
first, and someone else's replay of a key answers exactly as a new key would (issue 16, item 2)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from congan.core.errors import PermissionDenied
from congan.eservices import services
from congan.eservices.models import Dossier
from congan.population import accounts
from congan.population.models import CitizenAccount, Household, Relationship, Resident
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
DATA = {"new_commune": "20194", "new_street": "Số 8 Lê Lợi", "phone": "0905111222"}


def _bearer(resident: Resident, level: int = 2) -> dict[str, str]:
    account = CitizenAccount.objects.create(resident=resident, phone="0905000000", password="!", level=level)
    return {"Authorization": f"Bearer {accounts.citizen_token_issue(account)}"}


def _post(client, headers, *, token: str, applicant_personal_id: str = "", procedure: str = "CA.CT.02"):
    body = {"procedure": procedure, "data": DATA, "client_token": token}
    if applicant_personal_id:
        body["applicant_personal_id"] = applicant_personal_id
    return client.post("/api/v1/dossiers", body, content_type="application/json", headers=headers)


@pytest.fixture
def family(applicant, commune):
    """The applicant heads a household with her husband and their child of eight."""
    household = Household.objects.create(code="HK000000888", unit=commune, address_commune="20194", head=applicant)
    husband = ResidentFactory(unit=commune, full_name="Lê Văn Tâm", sex="male", birth_year=1989)
    child = ResidentFactory(unit=commune, full_name="Lê Phan Minh", sex="male", birth_year=2017)
    Resident.objects.filter(pk=applicant.pk).update(household=household, relationship=Relationship.HEAD)
    Resident.objects.filter(pk=husband.pk).update(household=household, relationship=Relationship.SPOUSE)
    Resident.objects.filter(pk=child.pk).update(household=household, relationship=Relationship.CHILD)
    for person in (applicant, husband, child):
        person.refresh_from_db()
    return husband, child


@pytest.fixture
def stranger(catalogue, other_commune):
    return ResidentFactory(unit=other_commune, full_name="Hồ Văn Lạ", birth_year=1980)


def test_a_strangers_replay_with_the_applicants_id_answers_as_a_new_key_would(client, applicant, stranger):
    owner = _bearer(applicant)
    created = _post(client, owner, token="bi-mat-1")
    assert created.status_code == 201
    thief = _bearer(stranger)
    replay = _post(client, thief, token="bi-mat-1", applicant_personal_id=applicant.personal_id)
    fresh = _post(client, thief, token="chua-dung-bao-gio", applicant_personal_id=applicant.personal_id)
    assert replay.status_code == 403, replay.json()
    assert replay.json() == fresh.json()
    assert replay.json()["code"] == "guardian_not_allowed"
    assert created.json()["code"] not in replay.content.decode()
    assert Dossier.objects.count() == 1


def test_an_unknown_id_and_a_person_one_may_not_act_for_get_the_same_answer(client, applicant, stranger):
    thief = _bearer(stranger)
    known = _post(client, thief, token="k-1", applicant_personal_id=applicant.personal_id)
    unknown = _post(client, thief, token="k-2", applicant_personal_id="048199999999")
    assert (known.status_code, unknown.status_code) == (403, 403)
    assert known.json() == unknown.json()


def test_two_guardians_using_the_same_key_for_one_child_make_two_dossiers(client, applicant, family):
    husband, child = family
    mother, father = _bearer(applicant), _bearer(husband)
    first = _post(client, mother, token="gia-dinh-1", applicant_personal_id=child.personal_id)
    second = _post(client, father, token="gia-dinh-1", applicant_personal_id=child.personal_id)
    assert (first.status_code, second.status_code) == (201, 201), second.json()
    assert first.json()["code"] != second.json()["code"]
    assert set(Dossier.objects.values_list("submitted_by", flat=True)) == {applicant.pk, husband.pk}
    again = _post(client, father, token="gia-dinh-1", applicant_personal_id=child.personal_id)
    assert (again.status_code, again.json()["code"]) == (200, second.json()["code"])


def test_a_replay_is_authorized_before_it_is_answered(applicant):
    account = CitizenAccount.objects.create(resident=applicant, phone="0905000000", password="!", level=2)
    dossier = services.dossier_submit(
        applicant=applicant, procedure_code="CA.XNC.01", data={"reason": "Du lịch"}, client_token="x-1", account=account
    )
    account.level = 1  # the account lost its level 2 since (e.g. the confirmation was withdrawn)
    with pytest.raises(PermissionDenied) as refused:
        services.dossier_submit(
            applicant=applicant, procedure_code="CA.XNC.01", data={}, client_token="x-1", account=account
        )
    assert refused.value.code == "account_level_too_low"
    assert Dossier.objects.get().pk == dossier.pk


def test_the_database_keeps_one_dossier_per_owner_and_key(applicant, family, submit):
    husband, _child = family
    first = submit()
    duplicate = Dossier(
        code="DUP-1",
        procedure=first.procedure,
        form=first.form,
        applicant=applicant,
        unit=first.unit,
        client_token=first.client_token,
        key_owner=applicant,
        submitted_at=first.submitted_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    duplicate.key_owner, duplicate.submitted_by = husband, husband
    duplicate.save()  # the same key from another submitter is another dossier


@pytest.mark.slow
def test_the_migration_gives_stored_dossiers_their_submitter_as_key_owner(transactional_db, applicant, family):
    """Stored dossiers get their submitter as owner, on both engines (PostgreSQL refuses a NOT NULL
    change with the backfill's foreign key checks pending); a key the guardian used for themself
    and for a child (allowed until now) stays with the first dossier."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    _husband, child = family
    first = services.dossier_submit(applicant=applicant, procedure_code="CA.CT.02", data=DATA, client_token="m-1")
    before, after = [("eservices", "0005_roles")], [("eservices", "0006_dossier_key_owner")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("eservices", "Dossier")
    fields = {"procedure_id": first.procedure_id, "form_id": first.form_id, "unit_id": first.unit_id}
    at = first.submitted_at
    old.objects.create(code="OLD-1", applicant_id=applicant.pk, client_token="m-2", submitted_at=at, **fields)
    old.objects.create(
        code="OLD-2", applicant_id=child.pk, submitted_by_id=applicant.pk, client_token="m-2", submitted_at=at, **fields
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    owners = {
        code: (owner, token) for code, owner, token in Dossier.objects.values_list("code", "key_owner", "client_token")
    }
    old_2 = Dossier.objects.get(code="OLD-2")
    assert owners == {
        first.code: (applicant.pk, "m-1"),
        "OLD-1": (applicant.pk, "m-2"),  # the guardian's first use of the key keeps it
        "OLD-2": (applicant.pk, f"m-2~{old_2.pk}"),
    }
