"""Every registered unit-scoped endpoint keeps each commune's data to itself.

The endpoints come from ``congan.<app>.tests.scope_endpoints`` modules (see
congan.core.testing.scope_leak); adding a module there adds its endpoints here.
"""

from __future__ import annotations

import pytest

from congan.core.testing.scope_leak import check_isolation, check_parent_sees_both, registered_endpoints

ENDPOINTS = registered_endpoints()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_commune_officer_sees_nothing_of_another_commune(endpoint, client, officer, commune, other_commune):
    check_isolation(endpoint, client=client, viewer=officer, own_unit=commune, other_unit=other_commune)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_province_officer_sees_both_communes_below(
    endpoint, client, officer, province, commune, other_commune, make_officer
):
    province_officer = make_officer(unit=province, roles=list(officer.groups.values_list("name", flat=True)))
    check_parent_sees_both(endpoint, client=client, viewer=province_officer, units=(commune, other_commune))
