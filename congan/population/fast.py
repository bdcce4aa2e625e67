"""The partner identity check in the fast lane (congan.core.fastlane): the same use case as
``POST /api/v1/identity/verify`` (congan.population.api), population's selectors.identity_verify,
without the request cycle."""

from __future__ import annotations

from typing import Any

from congan.core import fastlane
from congan.core.api import scope_required
from congan.population import api as endpoints
from congan.population import selectors


@fastlane.route(endpoints.verify_identity)
def verify_identity(request: fastlane.FastRequest) -> dict[str, Any]:
    api_key = request.partner_key()
    payload = request.parse_json()
    scope_required(api_key, "identity.verify")
    return selectors.identity_verify(api_key=api_key, payload=payload)
