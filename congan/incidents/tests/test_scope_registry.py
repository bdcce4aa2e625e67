"""The incidents module registers every page and API operation that shows unit-scoped data with the
scope-leak check (congan/core/tests/test_scope_leak.py runs them)."""

from __future__ import annotations

from congan.core.testing.scope_leak import registered_endpoints


def test_incidents_registers_its_unit_scoped_pages_and_api():
    names = {endpoint.name for endpoint in registered_endpoints() if endpoint.name.startswith("incidents.")}
    assert names == {
        "incidents.queue page",
        "incidents.queue api",
        "incidents.triage api",
        "incidents.report_media page",
        "incidents.board page: reports",
        "incidents.board page: teams",
        "incidents.board_data json: reports",
        "incidents.board_data json: teams",
        "incidents.recommendations api",
        "incidents.patrol_unit position api",
        "incidents.patrol_unit status api",
        "incidents.field page",
        "incidents.metrics page",
        "incidents.metrics page: heat map",
    }
