"""Report intake in the fast lane (congan.core.fastlane): the same checks, idempotency and answers
as ``POST /api/v1/reports`` in congan.incidents.api, without the request cycle."""

from __future__ import annotations

from congan.core import fastlane
from congan.incidents import api as endpoints
from congan.incidents.api import public_report_body, report_submit


@fastlane.route(endpoints.submit_report)
def submit_report(request: fastlane.FastRequest) -> fastlane.Answer:
    payload = request.parse_json()
    report, created = report_submit(
        payload, idempotency_key=request.header("Idempotency-Key"), client_ip=request.client_ip
    )
    return fastlane.Answer(201 if created else 200, public_report_body(report))
