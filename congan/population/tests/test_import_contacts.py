"""The import cleans phones and e-mail addresses with the platform's cleaner (congan.core.contacts):
Vietnamese mobile numbers in any usual writing are stored as 0xxxxxxxxx, anything else is a
rejected row naming the field and the reason."""

from __future__ import annotations

import csv

import pytest

from congan.population.importing.batches import import_batch_create
from congan.population.importing.engine import run_import
from congan.population.models import Resident
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

MAPPING = {"SO_DINH_DANH": "personal_id", "DIEN_THOAI": "phone", "THU_DIEN_TU": "email"}


def _import(tmp_path, unit, rows):
    path = tmp_path / "lien-he.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(MAPPING))
        writer.writerows(rows)
    batch = import_batch_create(
        by="system", unit=unit, path=path, file_name=path.name, source_agency="Nhà mạng", mapping=MAPPING
    )
    return run_import(batch, chunk_rows=2)


def test_valid_contacts_are_stored_in_one_form(commune, tmp_path):
    people = ResidentFactory.create_batch(3, unit=commune, phone="", email="")

    batch = _import(
        tmp_path,
        commune,
        [
            [people[0].personal_id, "84905111222", "Lan@Example.VN"],
            [people[1].personal_id, "0912.345.678", ""],
            [people[2].personal_id, "(036) 512-3456", "hoa@so.gov.vn"],
        ],
    )

    assert batch.rejected_count == 0
    stored = [Resident.objects.values_list("phone", "email").get(pk=p.pk) for p in people]
    assert stored == [("0905111222", "Lan@example.vn"), ("0912345678", ""), ("0365123456", "hoa@so.gov.vn")]


def test_numbers_no_mobile_network_uses_and_bad_addresses_are_rejected_rows(commune, tmp_path):
    people = ResidentFactory.create_batch(4, unit=commune, phone="0905000001", email="")

    batch = _import(
        tmp_path,
        commune,
        [
            [people[0].personal_id, "0712345678", ""],  # 10 digits, but no network uses 071
            [people[1].personal_id, "0236 3822 222", ""],  # a landline receives no SMS
            [people[2].personal_id, "abc", ""],
            [people[3].personal_id, "", "lan..a@example.vn"],
        ],
    )

    rejects = list(batch.rejects.order_by("row_number").values_list("row_number", "field", "reason"))
    assert [(row, field) for row, field, _reason in rejects] == [(2, "phone"), (3, "phone"), (4, "phone"), (5, "email")]
    assert all("+84" in reason for _row, field, reason in rejects if field == "phone")
    assert {Resident.objects.get(pk=p.pk).phone for p in people} == {"0905000001"}
