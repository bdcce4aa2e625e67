"""The organisation module registers its unit-scoped endpoints, and the check catches a leak."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from congan.core.testing.scope_leak import ScopedEndpoint, check_isolation, registered_endpoints
from congan.org.models import Officer
from congan.org.tests.factories import OfficerFactory
from congan.urls import urlpatterns as real_urlpatterns


def leaky_officer_list(request):
    """What a forgotten scope looks like: every officer, whatever the viewer's unit."""
    return HttpResponse("".join(f"<p>{officer.full_name}</p>" for officer in Officer.objects.all()))


def scoped_officer_list(request):
    officers = Officer.objects.filter(unit__path__startswith=request.user.unit.path)
    return HttpResponse("".join(f"<p>{officer.full_name}</p>" for officer in officers))


def leaky_officer_detail(request, pk):
    return JsonResponse({"full_name": get_object_or_404(Officer, pk=pk).full_name})


urlpatterns = [
    *real_urlpatterns,
    path("leaky/officers/", leaky_officer_list),
    path("scoped/officers/", scoped_officer_list),
    path("leaky/officers/<int:pk>/", leaky_officer_detail),
]


def _endpoint(**urls) -> ScopedEndpoint:
    return ScopedEndpoint(
        name="test endpoint",
        make=lambda unit: OfficerFactory(unit=unit, full_name=f"Cán bộ Kiểm Tra {unit.code}"),
        marker=lambda officer: officer.full_name,
        **urls,
    )


def test_org_registers_its_unit_scoped_pages_and_api():
    names = {endpoint.name for endpoint in registered_endpoints()}
    assert {
        "org.officer_list page",
        "org.officers api",
        "org.training page",
        "org.training_courses api",
        "org.unit_list page",
        "org.units api",
    } <= names
    officers_api = next(e for e in registered_endpoints() if e.name == "org.officers api")
    assert officers_api.list_url() == "/api/v1/org/officers"
    assert officers_api.detail_url is not None


@pytest.mark.urls(__name__)
def test_check_catches_a_list_that_shows_another_commune(client, officer, commune, other_commune):
    endpoint = _endpoint(list_url=lambda: "/leaky/officers/")
    with pytest.raises(AssertionError, match="LEAK, another commune's 'Cán bộ Kiểm Tra CAP20197' is listed"):
        check_isolation(endpoint, client=client, viewer=officer, own_unit=commune, other_unit=other_commune)


@pytest.mark.urls(__name__)
def test_check_catches_a_detail_that_answers_for_another_commune(client, officer, commune, other_commune):
    endpoint = _endpoint(detail_url=lambda obj: f"/leaky/officers/{obj.pk}/")
    with pytest.raises(AssertionError, match="another commune's detail answered 200, not 404"):
        check_isolation(endpoint, client=client, viewer=officer, own_unit=commune, other_unit=other_commune)


@pytest.mark.urls(__name__)
def test_check_passes_a_scoped_list(client, officer, commune, other_commune):
    endpoint = _endpoint(list_url=lambda: "/scoped/officers/")
    # The positive control: check_isolation raises AssertionError on any failure, so passing is the proof.
    check_isolation(endpoint, client=client, viewer=officer, own_unit=commune, other_unit=other_commune)


def test_check_refuses_markers_that_overlap(client, officer, commune, other_commune):
    endpoint = ScopedEndpoint(
        name="overlapping",
        make=lambda unit: OfficerFactory(unit=unit, full_name="Nguyễn Văn An" if unit == commune else "Nguyễn Văn Anh"),
        marker=lambda o: o.full_name,
        list_url=lambda: "/api/v1/org/officers",
    )
    with pytest.raises(AssertionError, match="overlap"):
        check_isolation(endpoint, client=client, viewer=officer, own_unit=commune, other_unit=other_commune)
