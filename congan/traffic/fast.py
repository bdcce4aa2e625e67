"""The public plate lookup in the fast lane (congan.core.fastlane): the same admission, checks and
answers as ``GET /api/v1/violations/lookup`` in congan.traffic.api_violations."""

from __future__ import annotations

from typing import Any

from congan.core import fastlane
from congan.core.api import scope_required
from congan.core.errors import NotAuthenticated
from congan.traffic import api_violations, challenge, services


@fastlane.route(api_violations.lookup)
def lookup(request: fastlane.FastRequest) -> dict[str, Any]:
    api_key = request.partner_key(required=False)
    if api_key is None and not challenge.lookup_admit(request.header("X-Challenge-Proof"), client_ip=request.client_ip):
        raise NotAuthenticated()
    filters = request.parse_query()
    scope_required(api_key, "violations.lookup")
    return services.public_lookup(plate=filters.plate, vehicle_kind=filters.vehicle_kind)
