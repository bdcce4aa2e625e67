"""The officers' search box: a dossier number, a report's tracking code, a plate or a personal ID
opens the record among those the officer may see (the profile behind its purpose gate); a name
leads to the residents' search; nothing of another unit is found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.eservices.catalogue import catalogue_load
from congan.eservices.services import dossier_submit
from congan.incidents import services as incidents
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory
from congan.traffic.tests import factories as traffic

pytestmark = pytest.mark.django_db
EVERY_ROLE = [roles.RECEPTION, roles.PROCESSING, roles.DISPATCHER, roles.SPECIALIST]


@pytest.fixture
def officer_client(client, commune):
    client.force_login(OfficerFactory(unit=commune, roles=EVERY_ROLE))
    return client


def _search(client, q):
    return client.get(reverse("search"), {"q": q})


def test_a_tracking_code_opens_the_report(officer_client):
    incidents.kinds_load(by="system")
    report = incidents.report_submit(
        kind_code="CHAY.NHA",
        description="Cháy nhà dân, khói lớn",
        commune_code="20194",
        client_token="s1",
        anonymous=True,
    ).report
    response = _search(officer_client, report.tracking_code.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:report_detail", args=[report.pk])


def test_a_dossier_number_opens_the_dossier(officer_client, commune, province):
    catalogue_load(by="system")
    commune.agency_code = "000.00.20.H48"
    commune.save()
    applicant = ResidentFactory(
        unit=commune,
        birth_year=1991,
        birth_month=5,
        birth_day=7,
        phone="0905111222",
        current_street="Số 3 Trần Phú",
        current_commune="20194",
    )
    dossier = dossier_submit(
        applicant=applicant,
        procedure_code="CA.CT.02",
        data={"new_commune": "20194", "new_street": "Số 8 Lê Lợi"},
        client_token="s2",
    )
    response = _search(officer_client, f" {dossier.code} ")
    assert response["Location"] == reverse("eservices:officer_dossier", args=[dossier.pk])


def test_a_personal_id_opens_the_profile_behind_its_purpose_gate(officer_client, commune):
    resident = ResidentFactory(unit=commune, full_name="Trần Thị Bích")
    response = _search(officer_client, resident.personal_id)
    assert response["Location"] == reverse("population:resident_profile", args=[resident.pk])
    gate = officer_client.get(response["Location"])
    assert "Trần Thị Bích" not in gate.content.decode()  # the purpose first


def test_finding_a_personal_id_is_audited_and_a_miss_is_not(officer_client, commune):
    resident = ResidentFactory(unit=commune)
    _search(officer_client, resident.personal_id)
    _search(officer_client, "048099000001")  # nobody: nothing shown, nothing recorded
    events = AuditEvent.objects.filter(action="population.resident.search")
    assert [event.details["residents"] for event in events] == [[resident.pk]]
    assert events.get().details["q"] == resident.personal_id


def test_a_plate_however_written_lists_its_violations(officer_client, commune):
    camera = traffic.camera(commune)
    first = traffic.event(camera, plate="43A12345")
    second = traffic.event(camera, plate="43A12345")
    page = _search(officer_client, "43a-123.45")
    assert page.status_code == 200
    text = page.content.decode()
    for event in (first, second):
        assert reverse("traffic:violation", args=[event.pk]) in text
    assert "43A-123.45" in text


def test_a_name_leads_to_the_residents_search(officer_client):
    page = _search(officer_client, "nguyen van a")
    assert page.status_code == 200
    assert "/dan-cu/?q=nguyen+van+a" in page.content.decode()


def test_nothing_of_another_unit_is_found(client, commune, other_commune):
    resident = ResidentFactory(unit=commune)
    client.force_login(OfficerFactory(unit=other_commune, roles=EVERY_ROLE))
    page = _search(client, resident.personal_id)
    assert page.status_code == 200 and 'data-testid="search-empty"' in page.content.decode()
    assert reverse("population:resident_profile", args=[resident.pk]) not in page.content.decode()


def test_the_header_offers_the_box_to_officers_only(client, officer_client):
    assert 'data-testid="header-search"' in officer_client.get(reverse("dashboard")).content.decode()
    client.logout()
    assert 'data-testid="header-search"' not in client.get("/").content.decode()
