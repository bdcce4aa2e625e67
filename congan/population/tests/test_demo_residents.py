"""Demo residents: valid, consistent families on the province's communes; seeded, idempotent, extendable."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Max

from congan.core.models import AuditEvent
from congan.core.text import fold, vietnamese_name_sort_string
from congan.org import demo as org_demo
from congan.org.models import Unit
from congan.org.tests.factories import UnitFactory
from congan.population import selectors
from congan.population.demo import commune_quotas, demo_build_residents
from congan.population.models import Household, ResidenceRecord, Resident
from congan.population.tests.factories import ResidentFactory
from congan.population.validation import check_personal_id, folded_name

TODAY = dt.date(2026, 5, 20)
N = 2000


@pytest.fixture
def rural_commune(province):
    return UnitFactory(parent=province, kind="commune", code="CAX20305", name="Công an xã Hòa Vang", area_code="20305")


@pytest.fixture
def communes(commune, other_commune, rural_commune):
    return [commune, other_commune, rural_commune]


@pytest.fixture
def built(province, communes):
    """The demo population of the test province, with units it must not touch around it."""
    UnitFactory(parent=province, kind="department", code="CA48-PC06", name="Phòng PC06")
    elsewhere = UnitFactory(kind="province", code="CA56", name="Công an tỉnh Khánh Hòa", area_code="56")
    UnitFactory(parent=elsewhere, kind="ward", code="CAP22333", name="Công an phường Nha Trang", area_code="22333")
    return demo_build_residents(province=province, residents=N, today=TODAY)


def _snapshot() -> list[tuple]:
    return list(
        Resident.objects.order_by("personal_id").values_list(
            "personal_id",
            "full_name",
            "sex",
            "birth_year",
            "birth_month",
            "birth_day",
            "household__code",
            "relationship",
            "ethnicity",
            "religion",
            "phone",
            "id_card_issued_on",
            "permanent_street",
            "unit__code",
        )
    )


def test_counts_match_the_rows_and_every_commune_of_the_province_gets_its_share(built, communes):
    assert N <= built["residents"] < N + 7 * len(communes)
    assert built["residents"] == Resident.objects.count() == ResidenceRecord.objects.count()
    assert built["households"] == Household.objects.count()
    assert built["residents"] / built["households"] > 2.5  # families, not lone people
    per_unit = Counter(Resident.objects.values_list("unit__code", flat=True))
    assert set(per_unit) == {unit.code for unit in communes}  # no department, nothing in the other province
    quotas = dict(zip([u.code for u in communes], commune_quotas(communes, N), strict=True))
    assert quotas == {"CAP20194": 750, "CAP20197": 750, "CAX20305": 500}  # phường weigh 3, xã 2
    for code, quota in quotas.items():
        assert quota <= per_unit[code] < quota + 7


def test_addresses_follow_the_commune_unit(built, communes):
    units = {unit.pk: unit for unit in communes}
    for r in Resident.objects.select_related("household"):
        unit = units[r.unit_id]
        assert r.permanent_commune == r.current_commune == r.household.address_commune == unit.area_code
        assert r.permanent_street == r.current_street == r.household.address_street
        assert r.household.unit_id == r.unit_id
        if unit.kind == "ward":
            assert re.fullmatch(r"Số \d+ đường [^,]+, tổ \d+", r.permanent_street), r.permanent_street
        else:
            assert re.fullmatch(r"Thôn \d+", r.permanent_street), r.permanent_street
    for record in ResidenceRecord.objects.select_related("resident"):
        assert record.kind == "permanent" and record.valid_to is None
        assert record.commune == record.resident.permanent_commune
        assert dt.date(record.resident.birth_year, 1, 1) <= record.valid_from <= TODAY


def test_personal_ids_are_valid_unique_and_match_sex_and_birth_year(built):
    residents = list(Resident.objects.all())
    assert len({r.personal_id for r in residents}) == len(residents)
    for r in residents:
        check = check_personal_id(r.personal_id, sex=r.sex, birth_year=r.birth_year)
        assert check.ok and not check.warnings, (r.personal_id, r.sex, r.birth_year)
        assert r.birth_registration_place == check.info.registration_place
        assert r.nationality == "VN"
    prefixes = Counter(r.personal_id[:3] for r in residents)
    assert 0.75 < prefixes["048"] / len(residents) < 0.95  # mostly born in Đà Nẵng, some elsewhere
    assert len(prefixes) > 10
    assert {r.sex for r in residents} == {"male", "female"}


def test_id_cards_from_fourteen_and_phones_for_adults(built):
    for r in Resident.objects.all():
        age = TODAY.year - r.birth_year - ((r.birth_month or 1, r.birth_day or 1) > (TODAY.month, TODAY.day))
        if age < 14 or r.status != "alive":
            assert not r.id_card_number and r.id_card_issued_on is None and r.id_card_expires_on is None
        else:
            assert r.id_card_number == r.personal_id
            assert dt.date(2021, 1, 1) <= r.id_card_issued_on <= TODAY
            assert r.id_card_authority
            if age < 58:
                assert r.id_card_expires_on.year - r.birth_year in (25, 40, 60)
                assert r.id_card_expires_on > r.id_card_issued_on
        if age < 18:
            assert not r.phone
        elif r.phone:
            assert len(r.phone) == 10 and r.phone[:2] in {"09", "08", "07", "03"} and r.phone.isdigit()
    assert Resident.objects.exclude(phone="").count() > Resident.objects.count() / 2


def test_birth_dates_are_plausible_and_some_are_partial(built):
    residents = list(Resident.objects.all())
    year_only = [r for r in residents if r.birth_month is None]
    year_month = [r for r in residents if r.birth_month is not None and r.birth_day is None]
    assert all(r.birth_day is None for r in year_only)
    assert 0.01 < len(year_only) / len(residents) < 0.06
    assert 0.005 < len(year_month) / len(residents) < 0.04
    for r in residents:
        if r.birth_day:
            assert dt.date(r.birth_year, r.birth_month, r.birth_day) <= TODAY  # a real, past date
        assert TODAY.year - 100 <= r.birth_year <= TODAY.year


def test_households_have_one_head_and_realistic_families(built):
    members = defaultdict(list)
    for r in Resident.objects.all():
        members[r.household_id].append(r)
    sizes = Counter()
    for household in Household.objects.all():
        family = members[household.pk]
        sizes[len(family)] += 1
        assert 1 <= len(family) <= 7
        heads = [r for r in family if r.relationship == "head"]
        assert heads == [household.head]  # exactly one head, and it is a member
        head = heads[0]
        surname = head.full_name.split(" ")[0]
        spouses = [r for r in family if r.relationship == "spouse"]
        assert len(spouses) <= 1
        for spouse in spouses:
            assert spouse.sex != head.sex
        for r in family:
            if r.relationship in ("child", "grandchild"):
                assert r.birth_year >= head.birth_year + 15
            if r.relationship == "child" and head.sex == "male":
                assert r.full_name.split(" ")[0] == surname  # children carry the father's family name
            if r.relationship == "parent":
                assert r.birth_year <= head.birth_year - 15
                if r.sex == "male":
                    assert r.full_name.split(" ")[0] == surname
    assert set(sizes) >= {1, 2, 3, 4, 5}
    couples = Resident.objects.filter(relationship="spouse").select_related("household__head")
    different = sum(s.full_name.split(" ")[0] != s.household.head.full_name.split(" ")[0] for s in couples)
    assert different / len(couples) > 0.85  # spouses usually have another family name
    assert Resident.objects.filter(relationship="child").count() > Resident.objects.count() / 4
    ethnicities = Counter(Resident.objects.values_list("ethnicity", flat=True))
    religions = Counter(Resident.objects.values_list("religion", flat=True))
    assert ethnicities.most_common(1)[0][0] == "Kinh" and len(ethnicities) > 1
    assert religions.most_common(1)[0][0] == "Không" and len(religions) > 2
    assert Counter(Resident.objects.values_list("status", flat=True)).most_common(1)[0][0] == "alive"


def test_names_are_folded_sortable_female_for_women_and_searchable(built, leader):
    female_given = set(org_demo._FEMALE_GIVEN)
    male_given = set(org_demo._MALE_GIVEN)
    for r in Resident.objects.all():
        assert r.full_name_folded == folded_name(r.full_name) == fold(r.full_name)
        assert r.sort_name == vietnamese_name_sort_string(r.full_name)
        given = r.full_name.split(" ")[-1]
        assert given in (female_given if r.sex == "female" else male_given)
    someone = Resident.objects.order_by("pk")[7]
    assert someone in selectors.resident_search(viewer=leader, q=someone.full_name_folded)
    assert someone in selectors.resident_search(viewer=leader, q=fold(someone.full_name).upper())
    nguyen = selectors.resident_search(viewer=leader, q="nguyen")
    assert nguyen.count() == Resident.objects.filter(full_name__contains="Nguyễn").count() > 0


def test_second_run_creates_nothing_and_the_build_is_audited_once(built, province):
    events = AuditEvent.objects.filter(action="population.demo.build")
    assert events.count() == 1
    event = events.get()
    assert event.actor_type == "system"
    assert event.details["residents"] == built["residents"] and event.details["households"] == built["households"]
    before = _snapshot()
    again = demo_build_residents(province=province, residents=N, today=TODAY)
    assert again == {"residents": 0, "households": 0, "residence_records": 0}
    assert _snapshot() == before
    assert events.count() == 1
    assert demo_build_residents(province=province, residents=0) == again


def test_asking_for_more_extends_the_same_households(built, province):
    first = _snapshot()
    codes = set(Household.objects.values_list("code", flat=True))
    more = demo_build_residents(province=province, residents=2 * N, today=TODAY)
    assert more["residents"] > N - 30
    assert Resident.objects.count() == built["residents"] + more["residents"] >= 2 * N
    assert set(first) <= set(_snapshot())  # earlier people untouched, no duplicates (ids are unique)
    assert codes < set(Household.objects.values_list("code", flat=True))
    # A new resident created the ordinary way gets a fresh primary key (sequences were reset).
    top = Resident.objects.aggregate(top=Max("pk"))["top"]
    assert ResidentFactory(unit=Unit.objects.get(code="CAP20194")).pk > top


def test_same_seed_same_people_other_seed_other_people(built, province):
    first = _snapshot()
    Household.objects.update(head=None)
    Resident.objects.all().delete()
    Household.objects.all().delete()
    assert demo_build_residents(province=province, residents=N, today=TODAY) == built
    assert _snapshot() == first
    Resident.objects.all().delete()
    Household.objects.all().delete()
    demo_build_residents(province=province, residents=N, seed="another", today=TODAY)
    other = _snapshot()
    assert len({row[0] for row in other} & {row[0] for row in first}) < 10
    assert Counter(row[1] for row in other) != Counter(row[1] for row in first)


def test_a_number_already_held_by_a_real_resident_is_not_reused(built, province, commune):
    taken = Resident.objects.order_by("pk").values_list("personal_id", flat=True)[3]
    Resident.objects.all().delete()
    Household.objects.all().delete()
    real = ResidentFactory(unit=commune, personal_id=taken, sex="male" if taken[3] in "02" else "female")
    created = demo_build_residents(province=province, residents=N, today=TODAY)
    assert created["residents"] == built["residents"]
    assert Resident.objects.filter(personal_id=taken).get() == real
    for r in Resident.objects.exclude(pk=real.pk):
        assert check_personal_id(r.personal_id, sex=r.sex, birth_year=r.birth_year).ok


def test_demo_command_builds_residents_through_the_registry(db):
    out = io.StringIO()
    call_command("demo", "--officers", "0", "--residents", "400", stdout=out)
    assert "population: created residents" in out.getvalue()
    province = Unit.objects.get(code="CA48")
    count = Resident.objects.filter(unit__path__startswith=province.path).count()
    assert 400 <= count < 400 + 7 * 94
    assert not Resident.objects.exclude(unit__kind__in=["ward", "commune", "special_zone"]).exists()
    call_command("demo", "--officers", "0", "--residents", "400", stdout=io.StringIO())
    assert Resident.objects.count() == count
