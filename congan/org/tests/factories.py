from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group
from faker import Faker

from congan.org import services
from congan.org.models import Officer, Rank, TrainingCourse, Unit

fake = Faker("vi_VN")


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
    full_name = factory.LazyFunction(lambda: fake.name())
    officer_number = factory.Sequence(lambda n: f"{100000 + n}")
    rank = Rank.THIEU_TA
    position = "Cán bộ"
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    topic = factory.Sequence(lambda n: f"Tập huấn nghiệp vụ số {n}")
    start_date = dt.date(2026, 10, 5)
    end_date = dt.date(2026, 10, 7)
    unit = factory.SubFactory(UnitFactory)
