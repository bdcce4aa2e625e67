from __future__ import annotations

import random

import factory

from congan.core.text import fold, vietnamese_name_sort_string
from congan.org.demo import vietnamese_name
from congan.org.tests.factories import UnitFactory
from congan.population.models import Household, Resident, Sex
from congan.population.validation import century_sex_digit


def personal_id_for(*, sex: str, birth_year: int, serial: int, prefix: str = "048") -> str:
    return f"{prefix}{century_sex_digit(sex=sex, birth_year=birth_year)}{birth_year % 100:02d}{serial % 1_000_000:06d}"


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    sex = factory.Sequence(lambda n: Sex.FEMALE if n % 2 else Sex.MALE)
    birth_year = factory.Sequence(lambda n: 1950 + n % 70)
    birth_month = 6
    birth_day = 15
    full_name = factory.LazyAttributeSequence(
        lambda o, n: vietnamese_name(random.Random(n), female=o.sex == Sex.FEMALE)
    )
    personal_id = factory.LazyAttributeSequence(
        lambda o, n: personal_id_for(sex=o.sex, birth_year=o.birth_year, serial=n)
    )
    unit = factory.SubFactory(UnitFactory, area_code="20194")
    current_commune = factory.LazyAttribute(lambda o: o.unit.area_code if len(o.unit.area_code) == 5 else "20194")
    permanent_commune = factory.LazyAttribute(lambda o: o.current_commune)
    full_name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    sort_name = factory.LazyAttribute(lambda o: vietnamese_name_sort_string(o.full_name))
    ethnicity = "Kinh"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"HK{n:09d}")
    unit = factory.SubFactory(UnitFactory, area_code="20194")
    address_commune = "20194"
    address_street = "Số 12 đường Lê Lợi, tổ 5"
