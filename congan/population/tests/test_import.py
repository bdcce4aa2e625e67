"""Bulk enrichment import: validation, upsert with history and provenance, rejects, idempotence,
resume after a crash, the three file formats and the same outcome from both database writers."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook

from congan.core.errors import ValidationFailed
from congan.core.models import AuditEvent
from congan.population.importing import writers
from congan.population.importing.batches import import_batch_create, load_mapping
from congan.population.importing.engine import run_import
from congan.population.importing.fields import RESIDENT_COLUMNS
from congan.population.models import ImportBatch, Resident, ResidentChange
from congan.population.tests.factories import ResidentFactory, personal_id_for

pytestmark = pytest.mark.django_db

HEADER = ["SO_DINH_DANH", "HO_TEN", "NGAY_SINH", "GIOI_TINH", "DIEN_THOAI", "XA_HIEN_TAI", "SO_BHXH", "GHI_CHU"]
MAPPING = {
    "SO_DINH_DANH": "personal_id",
    "HO_TEN": "full_name",
    "NGAY_SINH": "birth_date",
    "GIOI_TINH": "sex",
    "DIEN_THOAI": "phone",
    "XA_HIEN_TAI": "current_commune",
    "SO_BHXH": "enriched.social_insurance_number",
    "GHI_CHU": "",
}
NEW_MAN = personal_id_for(sex="male", birth_year=1990, serial=900001)
NEW_WOMAN = personal_id_for(sex="female", birth_year=2001, serial=900002)


@pytest.fixture
def existing(commune):
    return [
        ResidentFactory(unit=commune, sex="male", birth_year=1980, full_name="Trần Văn Bình", phone="0905000001"),
        ResidentFactory(unit=commune, sex="female", birth_year=1975, full_name="Lê Thị Hoa", phone="0905000002"),
        ResidentFactory(unit=commune, sex="male", birth_year=1960, full_name="Phạm Đức Long", phone=""),
    ]


def _rows(existing) -> list[list[str]]:
    binh, hoa, long_ = existing
    return [
        # update: phone changes, social insurance number is new, name and birth date equal
        [binh.personal_id, "trần  văn bình", "15/06/1980", "Nam", "+84 905 111 222", "", "BH4801", "x"],
        # nothing changes (empty cells leave stored values alone)
        [hoa.personal_id, "", "", "", "0905000002", "", "", ""],
        # new resident with everything a new record needs
        [NEW_MAN, "Võ Minh Khang", "03/02/1990", "nam", "0912345678", "20194", "BH4802", ""],
        # rejects: bad ID, impossible date, sex against the ID digit, unknown resident without a name
        ["04812345", "Ai Đó", "", "", "", "", "", ""],
        [long_.personal_id, "", "31/02/1960", "", "", "", "", ""],
        [NEW_WOMAN, "Đỗ Thu Trang", "2001", "Nam", "", "", "", ""],
        [personal_id_for(sex="male", birth_year=1999, serial=900003), "", "", "", "0912000000", "", "", ""],
        # duplicate of the first row
        [binh.personal_id, "", "", "", "0905999999", "", "", ""],
        # last: a valid partial birth date on a new woman
        [personal_id_for(sex="female", birth_year=1985, serial=900004), "Ngô Thị Mai", "07/1985", "Nữ", "", "", "", ""],
    ]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _write_jsonl(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({k: v for k, v in zip(header, row, strict=True) if v}, ensure_ascii=False) + "\n")
    return path


def _batch(path: Path, unit, *, mapping=MAPPING) -> ImportBatch:
    return import_batch_create(
        by="system", unit=unit, path=path, file_name=path.name, source_agency="BHXH Đà Nẵng", mapping=mapping
    )


def _snapshot() -> dict:
    """Everything an import writes, independent of primary keys and batch numbers."""
    residents = {
        r["personal_id"]: {
            **{c: r[c] for c in (*RESIDENT_COLUMNS, "full_name_folded", "sort_name", "unit_id")},
            "enriched": {k: v["v"] for k, v in (r["enriched"] or {}).items()},
        }
        for r in Resident.objects.values(
            "personal_id", *RESIDENT_COLUMNS, "full_name_folded", "sort_name", "unit_id", "enriched"
        )
    }
    history = sorted(
        ResidentChange.objects.values_list("resident__personal_id", "field", "old_value", "new_value", "source")
    )
    rejects = sorted((r.row_number, r.field) for batch in ImportBatch.objects.all() for r in batch.rejects.all())
    return {"residents": residents, "history": history, "rejects": rejects}


def test_import_updates_changed_fields_creates_new_residents_and_rejects_bad_rows(existing, commune, tmp_path):
    path = _write_csv(tmp_path / "bhxh.csv", HEADER, _rows(existing))
    batch = run_import(_batch(path, commune), chunk_rows=3)

    assert batch.status == ImportBatch.Status.DONE
    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.rejected_count) == (2, 1, 1, 5)
    assert batch.total_rows == 9
    binh = Resident.objects.get(pk=existing[0].pk)
    assert binh.phone == "0905111222"
    assert binh.full_name == "Trần Văn Bình"
    assert binh.enriched == {"social_insurance_number": {"v": "BH4801", "b": batch.pk}}
    changes = list(ResidentChange.objects.filter(resident=binh).values_list("field", "old_value", "new_value"))
    assert sorted(changes) == [
        ("enriched.social_insurance_number", "", "BH4801"),
        ("phone", "0905000001", "0905111222"),
    ]
    assert set(ResidentChange.objects.filter(resident=binh).values_list("source", "batch")) == {
        ("BHXH Đà Nẵng", batch.pk)
    }
    assert not ResidentChange.objects.filter(resident=existing[1]).exists()

    khang = Resident.objects.get(personal_id=NEW_MAN)
    assert (khang.full_name, khang.birth_day, khang.birth_month, khang.birth_year, khang.sex) == (
        "Võ Minh Khang",
        3,
        2,
        1990,
        "male",
    )
    assert khang.unit == commune
    assert khang.full_name_folded == "vo minh khang"
    mai = Resident.objects.get(personal_id__endswith="900004")
    assert (mai.birth_year, mai.birth_month, mai.birth_day) == (1985, 7, None)

    rejects = list(batch.rejects.values_list("row_number", "field"))
    assert rejects == [(5, "personal_id"), (6, "birth_date"), (7, "sex"), (8, "personal_id"), (9, "personal_id")]
    assert "dòng 2" in batch.rejects.get(row_number=9).reason


def test_rerunning_the_same_file_changes_nothing(existing, commune, tmp_path):
    path = _write_csv(tmp_path / "bhxh.csv", HEADER, _rows(existing))
    run_import(_batch(path, commune))
    before = _snapshot()
    history_count = ResidentChange.objects.count()
    updated_at = dict(Resident.objects.values_list("pk", "updated_at"))

    again = run_import(_batch(path, commune))

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert ResidentChange.objects.count() == history_count
    assert dict(Resident.objects.values_list("pk", "updated_at")) == updated_at
    assert _snapshot()["residents"] == before["residents"]


class CrashOnChunk:
    """A writer that dies when asked to write its ``n``-th chunk, like a killed process."""

    def __init__(self, inner, n: int) -> None:
        self.inner, self.n, self.calls = inner, n, 0

    def write_chunk(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.n:
            raise RuntimeError("simulated crash")
        return self.inner.write_chunk(*args, **kwargs)


def test_an_interrupted_import_resumes_from_its_checkpoint_without_duplicates(existing, commune, tmp_path):
    path = _write_csv(tmp_path / "bhxh.csv", HEADER, _rows(existing))
    batch = _batch(path, commune)
    with pytest.raises(RuntimeError):
        run_import(batch, chunk_rows=3, writer=CrashOnChunk(writers.writer_for(connection), 2))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.checkpoint_row == 4  # the first chunk (file rows 2–4) is committed
    assert "simulated crash" in batch.error

    run_import(batch, chunk_rows=3)
    resumed = _snapshot()
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.rejected_count) == (2, 1, 1, 5)

    # the same file imported in one go into a registry in the same starting state gives the same result
    ResidentChange.objects.all().delete()
    ImportBatch.objects.all().delete()
    Resident.objects.exclude(pk__in=[r.pk for r in existing]).delete()
    for resident in existing:
        resident.save()
    run_import(_batch(path, commune), chunk_rows=100)
    assert _snapshot() == resumed


@pytest.mark.parametrize("writer", [_write_xlsx, _write_jsonl], ids=["xlsx", "jsonl"])
def test_xlsx_and_json_lines_import_like_csv(existing, commune, tmp_path, writer):
    suffix = ".xlsx" if writer is _write_xlsx else ".jsonl"
    batch = run_import(_batch(writer(tmp_path / f"bhxh{suffix}", HEADER, _rows(existing)), commune))
    other = _snapshot()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.rejected_count) == (2, 1, 1, 5)
    expected_rows = [5, 6, 7, 8, 9] if writer is _write_xlsx else [4, 5, 6, 7, 8]  # JSON Lines has no header
    assert [number for number, _field in other["rejects"]] == expected_rows
    assert Resident.objects.get(pk=existing[0].pk).phone == "0905111222"


def test_a_file_with_an_unknown_column_is_refused_before_anything_is_written(existing, commune, tmp_path):
    path = _write_csv(tmp_path / "bad.csv", [*HEADER, "MA_LA"], [[existing[0].personal_id] + [""] * 8])
    with pytest.raises(ValidationFailed) as caught:
        _batch(path, commune)
    assert caught.value.details == {"columns": ["MA_LA"]}
    assert not ImportBatch.objects.exists()


def test_a_file_without_the_id_column_is_refused(commune, tmp_path):
    path = _write_csv(tmp_path / "bad.csv", ["HO_TEN"], [["Ai Đó"]])
    with pytest.raises(ValidationFailed, match="personal_id"):
        _batch(path, commune, mapping={"HO_TEN": "full_name"})


def test_mapping_files_in_json_and_toml():
    assert load_mapping('{"columns": {"SO_DD": "personal_id", "X": null}}') == {"SO_DD": "personal_id", "X": ""}
    assert load_mapping('[columns]\nSO_DD = "personal_id"\n', name="m.toml") == {"SO_DD": "personal_id"}
    with pytest.raises(ValidationFailed):
        load_mapping("[1, 2]")


def test_the_command_imports_and_reports_counts(existing, commune, tmp_path, capsys):
    path = _write_csv(tmp_path / "bhxh.csv", HEADER, _rows(existing))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": MAPPING}), encoding="utf-8")
    call_command(
        "population", "import", str(path), "--source", "BHXH", "--mapping", str(mapping), "--unit", commune.code
    )
    out = capsys.readouterr().out
    assert "created 2, updated 1, unchanged 1, rejected 5" in out
    assert AuditEvent.objects.filter(action="population.import.finish").count() == 1


def test_history_dates_read_the_same_in_both_writers(existing, commune, tmp_path):
    path = _write_csv(
        tmp_path / "cards.csv",
        ["personal_id", "id_card_issued_on", "id_card_expires_on"],
        [[existing[2].personal_id, "2021-04-01", "01/04/2036"]],
    )
    run_import(_batch(path, commune, mapping={}))
    change = ResidentChange.objects.get(resident=existing[2], field="id_card_issued_on")
    assert (change.old_value, change.new_value) == ("", "2021-04-01")
    assert Resident.objects.get(pk=existing[2].pk).id_card_expires_on == dt.date(2036, 4, 1)


@pytest.mark.postgres_only
def test_postgres_copy_writer_and_row_writer_give_the_same_result(existing, commune, tmp_path):
    path = _write_csv(tmp_path / "bhxh.csv", HEADER, _rows(existing))
    start = {r.pk: r for r in Resident.objects.all()}
    run_import(_batch(path, commune), chunk_rows=4, writer=writers.CopyWriter(connection))
    run_import(_batch(path, commune), chunk_rows=4, writer=writers.CopyWriter(connection))  # and idempotent
    by_copy = _snapshot()

    ResidentChange.objects.all().delete()
    ImportBatch.objects.all().delete()
    Resident.objects.exclude(pk__in=start).delete()
    for resident in start.values():
        resident.save()
    run_import(_batch(path, commune), chunk_rows=4, writer=writers.RowWriter())
    run_import(_batch(path, commune), chunk_rows=4, writer=writers.RowWriter())
    assert _snapshot() == by_copy


def _reset_to(existing) -> None:
    ResidentChange.objects.all().delete()
    ImportBatch.objects.all().delete()
    Resident.objects.exclude(pk__in=[r.pk for r in existing]).delete()
    for resident in existing:
        resident.save()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_pipelined_writes_on_a_second_connection_give_the_same_result_and_resume(existing, commune, tmp_path):
    path = _write_csv(tmp_path / "bhxh.csv", HEADER, _rows(existing))
    run_import(_batch(path, commune), chunk_rows=2, pipeline=False)
    inline = _snapshot()
    _reset_to(existing)

    batch = _batch(path, commune)
    with pytest.raises(RuntimeError):
        run_import(batch, chunk_rows=2, pipeline=True, writer=CrashOnChunk(writers.writer_for(connection), 3))
    batch.refresh_from_db()
    assert (batch.status, batch.checkpoint_row) == (ImportBatch.Status.FAILED, 5)
    run_import(batch, chunk_rows=2, pipeline=True)
    assert _snapshot() == inline
