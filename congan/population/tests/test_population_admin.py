"""The admin lists residents without personal data, read-only (changes go through services); the
rest of what it must not show is in test_purpose_gate.py."""

from __future__ import annotations

from django.urls import reverse

from congan.org.tests.otp import verified_login
from congan.population.tests.factories import ResidentFactory


def test_admin_lists_residents_by_unit_and_refuses_to_add_or_delete(client, admin_officer, commune):
    admin_officer.is_superuser = True
    admin_officer.save()
    resident = ResidentFactory(unit=commune, full_name="Phạm Thị Hồng")
    verified_login(client, admin_officer)
    listing = client.get(reverse("admin:population_resident_changelist"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert commune.name in body and reverse("population:resident_profile", args=[resident.pk]) in body
    assert "Phạm Thị Hồng" not in body
    assert client.get(reverse("admin:population_resident_add")).status_code == 403
    assert client.get(reverse("admin:population_resident_delete", args=[resident.pk])).status_code == 403
    detail = client.get(reverse("admin:population_resident_change", args=[resident.pk]))
    assert detail["Location"] == reverse("population:resident_profile", args=[resident.pk])
