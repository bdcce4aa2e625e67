"""Every page and API operation is checked by the scope-leak harness or exempted with a reason.

A page or operation nobody registers would never be checked for unit scope: this gate walks the
whole URL configuration and the OpenAPI document of each API (method + path) and fails, naming the
route and what to do, for each one that is neither visited by a registered endpoint
(congan/<app>/tests/scope_endpoints.py) nor listed in congan/core/tests/scope_exemptions.py.
"""

from __future__ import annotations

import pytest

from congan.core.testing.scope_leak import (
    ANY_METHOD,
    EXEMPTIONS_TABLE,
    OWN,
    PARTNER,
    PUBLIC,
    WRITE,
    Exemption,
    Route,
    coverage_failures,
    normalise_route,
    registered_route_keys,
    site_routes,
)
from congan.core.tests.scope_exemptions import EXEMPTIONS

HARNESS = "(a ScopedEndpoint, see congan.core.testing.scope_leak)"


def gate_failures(unit) -> list[str]:
    routes = site_routes()
    registered, problems = registered_route_keys(unit, routes)
    return problems + coverage_failures(routes, registered, EXEMPTIONS)


@pytest.mark.django_db
def test_every_route_is_registered_or_exempted(commune):
    failures = gate_failures(commune)
    assert failures == [], f"{len(failures)} routes are not accounted for:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.urls("congan.core.tests.scope_coverage_urls")
def test_the_gate_names_a_new_page_and_new_api_operations_and_says_what_to_do(commune):
    unregistered = "register it in congan/core/tests/scope_endpoints.py " + HARNESS
    todo = f"or exempt it with a reason in {EXEMPTIONS_TABLE}"
    assert sorted(gate_failures(commune)) == [
        f"/api/kiem-tra/ [scope-coverage-test:api-root (functools)] is neither checked nor exempted: "
        f"register it in congan/<app>/tests/scope_endpoints.py {HARNESS} {todo}",
        # hidden from the OpenAPI document, so listed as a page: it cannot escape
        "/api/kiem-tra/hidden-records [scope-coverage-test:hidden_records (ninja.operation)] is neither checked "
        f"nor exempted: register it in congan/<app>/tests/scope_endpoints.py {HARNESS} {todo}",
        "/kiem-tra-pham-vi/ [unregistered_page (congan.core.tests.scope_coverage_urls)] is neither checked nor "
        f"exempted: {unregistered} {todo}",
        "DELETE /api/kiem-tra/fake-records/{record_id} "
        "[operation congan_core_tests_scope_coverage_urls_delete_fake_record] is neither checked nor exempted: "
        f"{unregistered} {todo}",
        "GET /api/kiem-tra/fake-records/{record_id} "
        "[operation congan_core_tests_scope_coverage_urls_get_fake_record] is neither checked nor exempted: "
        f"{unregistered} {todo}",
    ]


def test_the_walk_lists_pages_by_path_and_api_operations_by_method_and_path():
    routes = {route.key: route for route in site_routes()}
    profile = routes["/dan-cu/{resident_id}/"]
    assert (profile.app, profile.namespace) == ("population", "population")
    assert {"GET /api/v1/alert-drafts/{alert_id}", "PUT /api/v1/alert-drafts/{alert_id}"} <= set(routes)
    assert "/api/v1/alert-drafts/{alert_id}" not in routes  # the operations stand for their path
    assert routes["GET /api/v1/org/units"].officers and not routes["GET /api/v1/alerts"].officers
    assert routes["GET /api/v1/org/units"].app == "org"
    assert "/open311/v2/requests/{request_id}.{fmt}" in routes
    assert routes["/admin/"].namespace == "admin"


@pytest.mark.parametrize(
    ("route", "path"),
    [
        ("", "/"),
        ("dan-cu/<int:resident_id>/", "/dan-cu/{resident_id}/"),
        ("api/v1/org/units/<unit_id>", "/api/v1/org/units/{unit_id}"),
        (
            "open311/v2/^requests/(?P<request_id>[A-Za-z0-9]+)\\.(?P<fmt>[a-z]+)$",
            "/open311/v2/requests/{request_id}.{fmt}",
        ),
        ("admin/(?P<url>.*)$", "/admin/{url}"),
    ],
)
def test_routes_are_normalised_to_the_openapi_form(route, path):
    assert normalise_route(route) == path


PAGE = Route(ANY_METHOD, "/tin-bao/xu-ly/", "incidents:queue (congan.incidents.views)", "incidents", "incidents")
OPERATION = Route("GET", "/api/v1/fake", "operation congan_incidents_api_fake", "incidents", "", officers=True)
ANONYMOUS = Route("GET", "/api/v1/public", "operation congan_alerts_api_public", "alerts")
ADMIN_PAGE = Route(ANY_METHOD, "/admin/org/unit/", "admin:org_unit_changelist", "", "admin")
REAL_TEST = "congan/core/tests/test_scope_coverage.py::test_every_route_is_registered_or_exempted"


def test_registered_or_exempted_routes_pass():
    exemptions = (Exemption("GET /api/v1/public", PUBLIC, "published"), Exemption("admin:*", "admin", "the admins"))
    assert coverage_failures([PAGE, OPERATION, ANONYMOUS, ADMIN_PAGE], {PAGE.key, OPERATION.key}, exemptions) == []


def test_an_operation_is_matched_by_its_method():
    post = Route("POST", "/api/v1/fake", "operation congan_incidents_api_post_fake", "incidents")
    assert coverage_failures([OPERATION, post], {"GET /api/v1/fake"}, ()) == [
        "POST /api/v1/fake [operation congan_incidents_api_post_fake] is neither checked nor exempted: register it "
        f"in congan/incidents/tests/scope_endpoints.py {HARNESS} or exempt it with a reason in {EXEMPTIONS_TABLE}"
    ]


def test_a_route_both_registered_and_exempted_is_refused():
    assert coverage_failures([PAGE], {PAGE.key}, (Exemption(PAGE.key, OWN, "mine"),)) == [
        f"/tin-bao/xu-ly/ is registered and exempted: remove '/tin-bao/xu-ly/' from {EXEMPTIONS_TABLE}"
    ]


def test_an_exemption_of_a_route_that_does_not_exist_is_refused():
    assert coverage_failures([PAGE], {PAGE.key}, (Exemption("/da-xoa/", PUBLIC, "gone"),)) == [
        f"'/da-xoa/' in {EXEMPTIONS_TABLE} names no route of the site: remove it"
    ]


def test_an_operation_officers_reach_is_not_exempted_as_public_or_partner():
    for category in (PUBLIC, PARTNER):
        assert coverage_failures([OPERATION], set(), (Exemption(OPERATION.key, category, "x"),)) == [
            f"GET /api/v1/fake is exempted as {category} but accepts an officer's session: register it in "
            f"congan/incidents/tests/scope_endpoints.py or exempt it for what it shows officers in {EXEMPTIONS_TABLE}"
        ]
    assert coverage_failures([OPERATION], set(), (Exemption(OPERATION.key, OWN, "the caller's own"),)) == []


def test_a_write_names_a_test_that_exists():
    def failures(reason: str) -> list[str]:
        return coverage_failures([PAGE], set(), (Exemption(PAGE.key, WRITE, reason),))

    assert failures("refused elsewhere") == [
        "'/tin-bao/xu-ly/': name the tests that check it, as congan/<app>/tests/test_x.py::test_y"
    ]
    assert failures("congan/core/tests/test_scope_coverage.py::test_nothing_like_this") == [
        "'/tin-bao/xu-ly/': the test congan/core/tests/test_scope_coverage.py::test_nothing_like_this does not exist"
    ]
    assert failures(f"refused: {REAL_TEST}") == []


def test_an_exemption_needs_a_known_category_a_reason_and_one_line():
    assert coverage_failures([PAGE], set(), (Exemption(PAGE.key, "misc", "x"),)) == [
        "'/tin-bao/xu-ly/': unknown category 'misc'; "
        "use one of public, own, partner, province, write, figures, admin, links"
    ]
    assert coverage_failures([PAGE], set(), (Exemption(PAGE.key, OWN, " "),)) == ["'/tin-bao/xu-ly/': give a reason"]
    twice = (Exemption(PAGE.key, OWN, "mine"), Exemption(PAGE.key, OWN, "mine"))
    assert coverage_failures([PAGE], set(), twice) == [f"'/tin-bao/xu-ly/' is exempted twice in {EXEMPTIONS_TABLE}"]


def test_a_namespace_exemption_covers_its_pages_only():
    exemption = Exemption("admin:*", "admin", "the admins")
    assert exemption.matches(ADMIN_PAGE) and not exemption.matches(PAGE) and not exemption.matches(OPERATION)


@pytest.mark.django_db
def test_a_registration_whose_url_reaches_no_route_is_named(commune, monkeypatch):
    from congan.core.testing import scope_leak

    lost = scope_leak.ScopedEndpoint(
        name="kiểm tra: trang đã bỏ", make=lambda unit: unit, marker=str, list_url=lambda: "/khong-co-trang/"
    )
    monkeypatch.setattr(scope_leak, "registered_endpoints", lambda: [lost])
    assert registered_route_keys(commune, [PAGE]) == (
        set(),
        ["kiểm tra: trang đã bỏ: GET /khong-co-trang/ reaches no route; correct its URL"],
    )
