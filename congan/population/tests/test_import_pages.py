"""The upload page queues a background import; the batch page shows progress, rejects and a CSV report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congan.org.tests.otp import verified_login
from congan.population.models import ImportBatch, Resident
from congan.population.tests.factories import ResidentFactory, personal_id_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"
    return settings.IMPORT_ROOT


def _upload(client, content: str, *, name: str = "bhyt.csv", mapping: str | None = None):
    data = {
        "source_agency": "Bảo hiểm xã hội tỉnh",
        "file": SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv"),
    }
    if mapping is not None:
        data["mapping"] = SimpleUploadedFile("mapping.json", mapping.encode("utf-8"))
    return client.post(reverse("population:import_list"), data)


def test_administrator_uploads_a_file_and_the_background_import_applies_it(
    client, admin_officer, province, import_root, django_capture_on_commit_callbacks
):
    resident = ResidentFactory(unit=province, phone="0905000001")
    new_id = personal_id_for(sex="female", birth_year=1992, serial=777)
    content = (
        "SO_DD,DIEN_THOAI,HO_TEN,NGAY_SINH,GIOI_TINH,MA_THE_BHYT\n"
        f"{resident.personal_id},0905123456,,,,DN4480012345\n"
        f"{new_id},,Hồ Thị Lan,12/03/1992,Nữ,\n"
        "12345,,,,,\n"
    )
    mapping = (
        '{"columns": {"SO_DD": "personal_id", "DIEN_THOAI": "phone", "HO_TEN": "full_name", '
        '"NGAY_SINH": "birth_date", "GIOI_TINH": "sex", "MA_THE_BHYT": "enriched.health_insurance_card"}}'
    )
    verified_login(client, admin_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content, mapping=mapping)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("population:import_detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.DONE
    assert batch.task_id
    assert (batch.created_count, batch.updated_count, batch.rejected_count) == (1, 1, 1)
    assert Resident.objects.get(pk=resident.pk).enriched["health_insurance_card"]["v"] == "DN4480012345"

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page.content.decode()
    progress = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b'data-testid="import-progress"' in progress.content
    assert b"<html" not in progress.content

    report = client.get(reverse("population:import_rejects_csv", args=[batch.pk]))
    text = b"".join(report.streaming_content).decode("utf-8")
    assert report["Content-Type"].startswith("text/csv")
    assert text.splitlines()[1] == "4,personal_id,Số định danh cá nhân phải gồm đúng 12 chữ số."


def test_a_file_with_unknown_columns_is_refused_on_the_form(client, admin_officer, import_root):
    verified_login(client, admin_officer)
    response = _upload(client, "personal_id,BI_AN\n048090000001,x\n")
    assert response.status_code == 400
    assert "BI_AN" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_unsupported_file_type_is_refused(client, admin_officer, import_root):
    verified_login(client, admin_officer)
    response = _upload(client, "x", name="data.pdf")
    assert response.status_code == 400
    assert "Chỉ nhận tệp .csv, .xlsx hoặc .jsonl." in response.content.decode()


def test_officers_without_the_import_permission_get_403(officer_client):
    assert officer_client.get(reverse("population:import_list")).status_code == 403


def test_a_failed_batch_resumes_from_the_page(
    client, admin_officer, province, import_root, tmp_path, django_capture_on_commit_callbacks
):
    from django.db import connection

    from congan.population.importing import writers
    from congan.population.importing.batches import import_batch_create
    from congan.population.importing.engine import run_import
    from congan.population.tests.test_import import CrashOnChunk

    people = [ResidentFactory(unit=province) for _ in range(4)]
    path = tmp_path / "phones.csv"
    path.write_text(
        "personal_id,phone\n" + "".join(f"{p.personal_id},09120000{i:02d}\n" for i, p in enumerate(people)),
        encoding="utf-8",
    )
    batch = import_batch_create(by=admin_officer, unit=province, path=path, file_name=path.name, source_agency="VNPT")
    with pytest.raises(RuntimeError):
        run_import(batch, chunk_rows=2, writer=CrashOnChunk(writers.writer_for(connection), 2))
    verified_login(client, admin_officer)
    page = client.get(reverse("population:import_detail", args=[batch.pk]))
    assert "Nhập tiếp từ điểm đã lưu" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("population:import_resume", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.updated_count == 4
    assert [Resident.objects.get(pk=p.pk).phone for p in people] == [f"09120000{i:02d}" for i in range(4)]


def _batch(unit, agency: str, created, rejected: int = 0) -> ImportBatch:
    batch = ImportBatch.objects.create(
        unit=unit,
        source_agency=agency,
        file_name="bhyt.csv",
        file_path="/khong-co/bhyt.csv",
        file_sha256="0" * 64,
        file_format="csv",
        rejected_count=rejected,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=created)
    return batch


def test_the_batches_list_sorts_filters_by_day_and_exports_without_another_units_batches(
    client, commune, other_commune
):
    import csv
    import datetime as dt
    import io

    from django.contrib.auth.models import Permission
    from django.utils import timezone
    from openpyxl import load_workbook

    from congan.org.tests.factories import OfficerFactory

    tz = timezone.get_current_timezone()
    _batch(commune, "=Sở Y tế", dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz), rejected=4)
    _batch(commune, "Bảo hiểm xã hội tỉnh", dt.datetime(2026, 2, 1, 9, 0, tzinfo=tz), rejected=9)
    _batch(other_commune, "Nguồn của phường khác", dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz))
    importer = OfficerFactory(unit=commune)
    importer.user_permissions.add(Permission.objects.get(codename="import_enrichment"))
    client.force_login(importer)
    url = reverse("population:import_list")

    by_rejects = client.get(url, {"sort": "-rejected"}).context["page"]
    assert [b.source_agency for b in by_rejects] == ["Bảo hiểm xã hội tỉnh", "=Sở Y tế"]
    march = client.get(url, {"date_from": "01/03/2026", "date_to": "31/03/2026"}).context["page"]
    assert [b.source_agency for b in march] == ["=Sở Y tế"]

    rows = list(csv.reader(io.StringIO(client.get(url, {"sort": "at", "export": "csv"}).content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Thời điểm", "Cơ quan cung cấp", "Tệp", "Trạng thái"] and len(rows) == 3
    assert rows[1][:2] == ["01/02/2026 09:00", "Bảo hiểm xã hội tỉnh"] and rows[1][7] == "9"
    assert rows[2][1] == "'=Sở Y tế"
    sheet = load_workbook(io.BytesIO(client.get(url, {"sort": "at", "export": "xlsx"}).content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[2][1] == "'=Sở Y tế" and values[2][7] == 4 and len(values) == 3
