"""Reads of a report by officers are audited: each view of the report's page (it shows the reporter's
name and phone), and each download of one of its photos or videos; both stay inside the unit scope."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congan.core.models import AuditEvent
from congan.incidents import services
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def report(province, commune):
    services.kinds_load(by="system")
    return services.report_submit(
        kind_code="GT.TAINAN",
        description="Va chạm giữa hai xe máy ở ngã tư",
        commune_code="20194",
        client_token="read-1",
        latitude=Decimal("16.12"),
        longitude=Decimal("108.13"),
        reporter_name="Lê Văn Tâm",
        reporter_phone="0905333444",
        media=[SimpleUploadedFile("cccd.jpg", _photo())],
    ).report


def _views(action: str):
    return AuditEvent.objects.filter(action=action).order_by("seq")


def test_each_view_of_a_report_by_an_officer_is_audited_once(report, officer, client):
    client.force_login(officer)
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/")
    assert page.status_code == 200 and "0905333444" in page.content.decode()
    [event] = _views("incidents.report.view")
    assert (event.actor_type, event.actor_id, event.actor_label) == ("officer", str(officer.pk), officer.username)
    assert (event.target_type, event.target_id, event.unit_id) == ("incidents.report", str(report.pk), report.unit_id)
    assert event.purpose and event.details == {"tracking_code": report.tracking_code, "reporter_shown": True}
    client.get(f"/tin-bao/xu-ly/{report.pk}/")
    assert _views("incidents.report.view").count() == 2


def test_a_view_without_the_reporters_identity_is_audited_too(report, commune, client):
    clerk = OfficerFactory(unit=commune, roles=[roles.CLERK])
    clerk.user_permissions.add(*_permissions("view_report"))
    client.force_login(clerk)
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/")
    assert page.status_code == 200 and "0905333444" not in page.content.decode()
    [event] = _views("incidents.report.view")
    assert event.actor_id == str(clerk.pk) and event.details["reporter_shown"] is False


def test_another_communes_officer_reads_nothing_and_leaves_no_view(report, other_commune_officer, client):
    client.force_login(other_commune_officer)
    assert client.get(f"/tin-bao/xu-ly/{report.pk}/").status_code == 404
    item = report.media.get()
    assert client.get(f"/tin-bao/xu-ly/{report.pk}/tep/{item.pk}/").status_code == 404
    assert not _views("incidents.report.view").exists() and not _views("incidents.report.media_view").exists()


def test_each_download_of_a_reports_file_is_audited(report, officer, client):
    item = report.media.get()
    client.force_login(officer)
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/").content.decode()
    url = f"/tin-bao/xu-ly/{report.pk}/tep/{item.pk}/"
    assert url in page
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == _photo()
    assert download["X-Content-Type-Options"] == "nosniff"
    [event] = _views("incidents.report.media_view")
    assert (event.actor_type, event.actor_id) == ("officer", str(officer.pk))
    assert (event.target_type, event.target_id, event.unit_id) == (
        "incidents.reportmedia",
        str(item.pk),
        report.unit_id,
    )
    assert event.purpose and event.details == {
        "report": report.pk,
        "tracking_code": report.tracking_code,
        "name": "cccd.jpg",
    }
    client.get(url)
    assert _views("incidents.report.media_view").count() == 2
    other_report_file = f"/tin-bao/xu-ly/{report.pk + 1}/tep/{item.pk}/"
    assert client.get(other_report_file).status_code == 404


def _permissions(*codenames: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="incidents", codename__in=codenames)


def test_the_dispatcher_sees_a_photo_as_a_thumbnail_that_opens_it(report, officer, client):
    item = report.media.get()
    client.force_login(officer)
    page = client.get(f"/tin-bao/xu-ly/{report.pk}/").content.decode()
    url = f"/tin-bao/xu-ly/{report.pk}/tep/{item.pk}/"
    assert f'<img class="thumb" src="{url}" alt="cccd.jpg" loading="lazy">' in page
    assert client.get(url)["Content-Disposition"].startswith("inline")  # the browser shows it


def test_the_photo_time_reads_as_a_date_not_as_exif_writes_it():
    from congan.incidents.models import ReportMedia

    assert ReportMedia(taken_at="2026:12:05 14:03:22").taken_at_display == "05/12/2026 14:03"
    assert ReportMedia(taken_at="không rõ").taken_at_display == "không rõ"
