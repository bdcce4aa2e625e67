from __future__ import annotations

import datetime as dt
import random

import factory
from django.contrib.auth.models import Group

from congan.org import services
from congan.org.demo import vietnamese_name
from congan.org.models import Officer, Rank, TrainingCourse, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    """Creates units through the service so the tree path is right."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Công an phường Thử Nghiệm {n}")
    kind = Unit.Kind.WARD
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.unit_create(by="system", **kwargs)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: vietnamese_name(random.Random(n), female=n % 3 == 0))
    officer_number = factory.Sequence(lambda n: f"{100000 + n}")
    rank = Rank.THIEU_TA
    position = "Cán bộ"
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            groups = list(Group.objects.filter(name__in=extracted))
            missing = set(extracted) - {group.name for group in groups}
            if missing:
                raise ValueError(f"unknown roles: {sorted(missing)}")
            self.groups.set(groups)
        if create:
            self.save()


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    topic = factory.Sequence(lambda n: f"Tập huấn nghiệp vụ số {n}")
    start_date = dt.date(2026, 10, 5)
    end_date = dt.date(2026, 10, 7)
    unit = factory.SubFactory(UnitFactory)
