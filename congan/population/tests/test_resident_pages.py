"""Officer pages: folded search, a purpose before any personal data, audited profile, who viewed."""

from __future__ import annotations

from django.urls import reverse

from congan.core.models import AuditEvent
from congan.population.selectors import population_figures
from congan.population.tests.factories import HouseholdFactory, ResidentFactory


def test_search_without_diacritics_lists_the_resident(officer_client, commune):
    resident = ResidentFactory(unit=commune, full_name="Nguyễn Thị Hoà")
    response = officer_client.get(reverse("population:resident_search"), {"q": "nguyen thi hoa"})
    assert response.status_code == 200
    assert resident.full_name in response.content.decode()


def test_htmx_search_returns_only_the_results_partial(officer_client, commune):
    ResidentFactory(unit=commune, full_name="Trần Văn Hùng")
    response = officer_client.get(reverse("population:resident_search"), {"q": "hung"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Trần Văn Hùng" in body
    assert "<html" not in body


def test_opening_a_profile_asks_for_a_purpose_and_shows_nothing_personal(officer_client, commune):
    resident = ResidentFactory(unit=commune, phone="0905123456")
    response = officer_client.get(reverse("population:resident_profile", args=[resident.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lý do tra cứu" in body
    assert resident.personal_id not in body and "0905123456" not in body
    empty = officer_client.post(
        reverse("population:resident_profile", args=[resident.pk]), {"declare_purpose": "1", "preset": "", "detail": ""}
    )
    assert empty.status_code == 400
    assert "Phải nêu lý do tra cứu." in empty.content.decode()
    assert resident.personal_id not in empty.content.decode()
    assert not AuditEvent.objects.filter(action="population.resident.view").exists()


def test_profile_with_purpose_is_audited_and_shows_who_viewed(officer_client, officer, commune):
    resident = ResidentFactory(unit=commune, phone="0905123456")
    response = officer_client.post(
        reverse("population:resident_profile", args=[resident.pk]),
        {"declare_purpose": "1", "preset": "Xác minh tin báo, tố giác", "detail": "Tin báo số 12"},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert resident.personal_id in body and "0905123456" in body
    event = AuditEvent.objects.get(action="population.resident.view", target_id=str(resident.pk))
    assert event.purpose == "Xác minh tin báo, tố giác — Tin báo số 12"
    assert event.actor_label == officer.username
    who_viewed = body.split('data-testid="who-viewed"')[1]
    assert "Tin báo số 12" in who_viewed
    assert officer.full_name in who_viewed and officer.username not in who_viewed


def test_another_communes_resident_is_not_found(officer_client, other_commune):
    stranger = ResidentFactory(unit=other_commune)
    url = reverse("population:resident_profile", args=[stranger.pk])
    assert officer_client.get(url).status_code == 404
    assert officer_client.post(url, {"declare_purpose": "1", "preset": "Quản lý cư trú"}).status_code == 404


def test_officer_without_population_permission_is_refused(client, commune):
    from congan.org.tests.factories import OfficerFactory

    clerk = OfficerFactory(unit=commune, roles=["Văn thư"])
    client.force_login(clerk)
    assert client.get(reverse("population:resident_search")).status_code == 403


def test_dashboard_shows_the_population_panel_with_counts_of_the_viewers_units(
    officer_client, officer, commune, other_commune
):
    for _ in range(3):
        ResidentFactory(unit=commune)
    ResidentFactory(unit=other_commune)
    HouseholdFactory(unit=commune)
    page = officer_client.get(reverse("dashboard")).content.decode()
    assert "Lượt mở hồ sơ trong 7 ngày" in page
    figures = population_figures(viewer=officer)
    assert (figures["residents"], figures["households"], figures["profile_views"]) == (3, 1, 0)


def test_addresses_name_their_commune_never_its_code(officer_client, commune):
    resident = ResidentFactory(
        unit=commune,
        full_name="Phan Thị Thu",
        current_commune="20194",
        permanent_commune="20194",
        current_street="12 Lê Lợi",
    )
    found = officer_client.get(reverse("population:resident_search"), {"q": "phan thi thu"}).content.decode()
    assert "12 Lê Lợi (Phường Hải Vân)" in found and "(20194)" not in found
    profile = officer_client.post(
        reverse("population:resident_profile", args=[resident.pk]),
        {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Hồ sơ CT01 số 7"},
        follow=True,
    ).content.decode()
    assert "Phường Hải Vân" in profile and "20194" not in profile
