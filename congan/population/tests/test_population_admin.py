"""The admin shows residents and households read-only (changes go through services)."""

from __future__ import annotations

from django.urls import reverse

from congan.org.tests.otp import verified_login
from congan.population.tests.factories import ResidentFactory


def test_admin_lists_residents_and_refuses_to_add_or_delete(client, admin_officer, commune):
    admin_officer.is_superuser = True
    admin_officer.save()
    resident = ResidentFactory(unit=commune, full_name="Phạm Thị Hồng")
    verified_login(client, admin_officer)
    listing = client.get(reverse("admin:population_resident_changelist"), {"q": "pham thi hong"})
    assert listing.status_code == 200
    assert "Phạm Thị Hồng" in listing.content.decode()
    assert client.get(reverse("admin:population_resident_add")).status_code == 403
    assert client.get(reverse("admin:population_resident_delete", args=[resident.pk])).status_code == 403
    detail = client.get(reverse("admin:population_resident_change", args=[resident.pk]))
    assert detail.status_code == 200
