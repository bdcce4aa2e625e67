"""Unit-scoped endpoints of the population module, checked by congan/core/tests/test_scope_leak.py."""

from __future__ import annotations

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.population.tests.factories import ResidentFactory

# What an officer posts on the purpose form of a gated page (congan.population.purpose_gate).
PURPOSE = {"declare_purpose": "1", "preset": "Quản lý cư trú", "detail": "Kiểm tra phạm vi"}


def _resident(unit):
    return ResidentFactory(unit=unit, full_name=f"Công Dân Kiểm Tra {unit.code}")


register(
    ScopedEndpoint(
        name="population.resident_search page",
        make=_resident,
        marker=lambda resident: resident.full_name,
        list_url=lambda: reverse("population:resident_search") + "?q=cong+dan+kiem+tra",
        detail_url=lambda resident: reverse("population:resident_profile", args=[resident.pk]),
        detail_post=PURPOSE,
    )
)


def _import_batch(unit):
    from congan.population.models import ImportBatch

    return ImportBatch.objects.create(
        unit=unit,
        source_agency=f"Nguồn kiểm tra {unit.code}",
        file_name="a.csv",
        file_path="/khong-co/a.csv",
        file_sha256="0" * 64,
        file_format="csv",
    )


register(
    ScopedEndpoint(
        name="population.import_batches page",
        make=_import_batch,
        marker=lambda batch: batch.source_agency,
        list_url=lambda: reverse("population:import_list"),
        detail_url=lambda batch: reverse("population:import_detail", args=[batch.pk]),
        permissions=("population.import_enrichment",),
    )
)
register(
    ScopedEndpoint(
        name="population.import_resume action",
        make=_import_batch,
        marker=lambda batch: batch.source_agency,
        # A pending batch is left as it is; the action answers with the batch's page.
        detail_url=lambda batch: reverse("population:import_resume", args=[batch.pk]),
        detail_post={},
        permissions=("population.import_enrichment",),
    )
)


def _rejected_batch(unit):
    from congan.population.models import ImportReject

    batch = _import_batch(unit)
    ImportReject.objects.create(batch=batch, row_number=2, field="phone", reason=f"Lý do kiểm tra {unit.code}")
    return batch


register(
    ScopedEndpoint(
        name="population.import_rejects csv",
        make=_rejected_batch,
        marker=lambda batch: batch.rejects.get().reason,
        detail_url=lambda batch: reverse("population:import_rejects_csv", args=[batch.pk]),
        permissions=("population.import_enrichment",),
    )
)


def _citizen_account(unit):
    from congan.population.models import CitizenAccount

    resident = ResidentFactory(unit=unit, full_name=f"Chủ Tài Khoản {unit.code}")
    return CitizenAccount.objects.create(resident=resident, phone="0905000000", password="!", level=1)


register(
    ScopedEndpoint(
        name="population.citizen_accounts page",
        make=_citizen_account,
        marker=lambda account: account.resident.full_name,
        list_url=lambda: reverse("population:citizen_accounts") + "?level=all",
        permissions=("population.confirm_citizen_account",),
    )
)


def _household(unit):
    from congan.population.tests.factories import HouseholdFactory

    return HouseholdFactory(unit=unit, code=f"HK-{unit.code}", address_street=f"Tổ dân phố kiểm tra {unit.code}")


register(
    ScopedEndpoint(
        name="population.household page",
        make=_household,
        marker=lambda household: household.address_street,
        detail_url=lambda household: reverse("population:household_detail", args=[household.pk]),
        detail_post=PURPOSE,
    )
)


register(
    ScopedEndpoint(
        name="population.resident_edit page",
        make=_resident,
        marker=lambda resident: resident.full_name,
        detail_url=lambda resident: reverse("population:resident_edit", args=[resident.pk]),
        detail_post=PURPOSE,
        permissions=("population.change_resident",),
    )
)
# The lists' exports hold what the page shows, in the same scope (core.listing).
register(
    ScopedEndpoint(
        name="population.import_batches csv export",
        make=_import_batch,
        marker=lambda batch: batch.source_agency,
        list_url=lambda: reverse("population:import_list") + "?export=csv",
        permissions=("population.import_enrichment",),
    )
)
register(
    ScopedEndpoint(
        name="population.citizen_accounts csv export",
        make=_citizen_account,
        marker=lambda account: account.resident.full_name,
        list_url=lambda: reverse("population:citizen_accounts") + "?level=all&export=csv",
        permissions=("population.confirm_citizen_account",),
    )
)
