"""Officers' reads of dossiers are audited, one event per list view with the IDs shown, and the
applicant sees them in "who looked me up" with the officer's name and unit (issue 16, item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congan.core.models import AuditEvent
from congan.eservices import services, workflow
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.citizen import citizen_own_lookups

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DATA = {"new_commune": "20194", "new_street": "Số 8 Lê Lợi"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clerk_client(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_the_inbox_page_is_one_event_with_the_dossiers_shown(clerk_client, clerk, submit, applicant):
    dossiers = [submit(), submit()]
    page = clerk_client.get("/dich-vu-cong/xu-ly/")
    assert page.status_code == 200
    [event] = _events("eservices.dossier.list")
    assert sorted(event.details["dossiers"]) == sorted(d.pk for d in dossiers)
    assert event.details["residents"] == [applicant.pk]
    assert (event.actor_id, event.unit_id) == (str(clerk.pk), clerk.unit_id)


def test_the_inbox_sorts_and_exports_open_dossiers_and_the_export_is_audited(clerk_client, submit, applicant):
    first, second = submit(), submit()
    page = clerk_client.get("/dich-vu-cong/xu-ly/?sort=-code")
    assert [d.pk for d in page.context["page"]] == sorted([first.pk, second.pk], key=lambda pk: -pk)
    assert page.context["form"]["status"].value() == "open"  # sorting keeps the open ones
    exported = clerk_client.get("/dich-vu-cong/xu-ly/?sort=code&export=xlsx")
    assert exported["Content-Disposition"].startswith('attachment; filename="ho-so-dich-vu-cong-')
    from io import BytesIO

    from openpyxl import load_workbook

    rows = [[cell.value for cell in row] for row in load_workbook(BytesIO(exported.content)).active.iter_rows()]
    assert rows[0][:3] == ["Số hồ sơ", "Thủ tục", "Người nộp"]
    assert [row[0] for row in rows[1:]] == sorted([first.code, second.code])
    assert rows[1][2] == applicant.full_name
    export_event = _events("eservices.dossier.list")[-1]
    assert sorted(export_event.details["dossiers"]) == sorted([first.pk, second.pk])


def test_the_inbox_api_is_one_event_with_the_page_shown(clerk_client, submit):
    dossiers = [submit() for _ in range(3)]
    response = clerk_client.get("/api/v1/eservices/inbox", {"page_size": 2})
    assert response.status_code == 200
    shown = [item["id"] for item in response.json()["items"]]
    assert len(shown) == 2
    [event] = _events("eservices.dossier.list")
    assert sorted(event.details["dossiers"]) == sorted(shown)
    assert set(shown) <= {d.pk for d in dossiers}


def test_an_attachment_download_is_audited(clerk_client, clerk, applicant):
    dossier = services.dossier_submit(
        applicant=applicant,
        procedure_code="CA.CT.02",
        data=DATA,
        client_token="tep-1",
        attachments=[("Thẻ căn cước", SimpleUploadedFile("cccd.pdf", PDF))],
    )
    attachment = dossier.attachments.get()
    response = clerk_client.get(f"/dich-vu-cong/xu-ly/{dossier.pk}/tep/{attachment.pk}/")
    assert response.status_code == 200
    [event] = _events("eservices.dossier.attachment_view")
    assert (event.target_type, event.target_id) == ("eservices.dossier", str(dossier.pk))
    assert event.details["attachment"] == attachment.pk
    assert event.actor_id == str(clerk.pk)


def test_three_officers_opening_a_dossier_are_in_who_looked_me_up_by_name_and_unit(submit, applicant, commune):
    dossier = submit()
    officers = [OfficerFactory(unit=commune, roles=[roles.RECEPTION]) for _ in range(3)]
    for officer in officers:
        client = Client()
        client.force_login(officer)
        assert client.get(f"/dich-vu-cong/xu-ly/{dossier.pk}/").status_code == 200
    lookups = citizen_own_lookups(resident=applicant)
    assert sorted(lookup.who for lookup in lookups) == sorted(f"{o.full_name} ({commune.name})" for o in officers)
    assert {lookup.action for lookup in lookups} == {"Xem hồ sơ thủ tục hành chính"}
    for officer in officers:
        assert all(officer.username not in lookup.who for lookup in lookups)


def test_dossier_reads_of_someone_else_are_not_in_my_lookups(submit, applicant, commune, clerk_client):
    from congan.population.tests.factories import ResidentFactory

    other = ResidentFactory(unit=commune, full_name="Người Khác", birth_year=1970)
    theirs = submit(who=other, phone="0905000999")
    clerk_client.get(f"/dich-vu-cong/xu-ly/{theirs.pk}/")
    assert citizen_own_lookups(resident=applicant) == []
    assert len(citizen_own_lookups(resident=other)) == 1


def test_an_apology_letter_pdf_is_audited_and_listed_for_the_applicant(clerk_client, clerk, submit, applicant):
    dossier = workflow.transition(by=clerk, dossier_id=submit().pk, action="receive")
    new_due_on = max(dossier.due_on or timezone.localdate(), timezone.localdate()) + dt.timedelta(days=5)
    letter = workflow.apologise(by=clerk, dossier_id=dossier.pk, new_due_on=new_due_on, reason="Cần xác minh thêm")
    response = clerk_client.get(reverse("eservices:officer_apology_pdf", args=[dossier.pk, letter.pk]))
    assert response.status_code == 200
    [event] = _events("eservices.dossier.apology_view")
    assert (event.actor_id, event.target_id, event.unit_id) == (str(clerk.pk), str(dossier.pk), dossier.unit_id)
    assert event.details["letter"] == letter.pk
    assert "Xem thư xin lỗi gửi công dân" in [lookup.action for lookup in citizen_own_lookups(resident=applicant)]


def test_many_dossiers_are_given_to_one_officer_and_a_finished_one_is_named(clerk_client, clerk, submit, commune):
    from congan.eservices.models import Dossier

    first, second, done = submit(), submit(), submit()
    Dossier.objects.filter(pk=done.pk).update(status=Dossier.Status.RETURNED)
    colleague = OfficerFactory(unit=commune, roles=[roles.PROCESSING])
    page = clerk_client.get("/dich-vu-cong/xu-ly/").content.decode()
    assert 'data-testid="assign-form"' in page and f'data-testid="pick-{first.pk}"' in page
    response = clerk_client.post(
        "/dich-vu-cong/xu-ly/giao-hang-loat/",
        {"dossiers": [first.pk, second.pk, done.pk], "officer": colleague.pk, "back": "status=open"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/dich-vu-cong/xu-ly/?status=open"
    shown = [str(message) for message in response.context["messages"]]
    assert "Đã giao 2 hồ sơ." in shown and any(f"#{done.pk}" in message for message in shown)
    assigned = dict(Dossier.objects.values_list("pk", "assigned_to"))
    assert (assigned[first.pk], assigned[second.pk]) == (colleague.pk, colleague.pk)
    assert assigned[done.pk] != colleague.pk
