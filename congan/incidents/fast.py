"""Report intake in the fast lane (congan.core.fastlane): ``POST /api/v1/reports`` parsed and
answered as congan.incidents.api does (the same schema, arguments, service and rendering), without
the request cycle."""

from __future__ import annotations

from congan.core import fastlane
from congan.incidents import api as endpoints
from congan.incidents import services, submitters
from congan.incidents.api import public_report_body, submission


@fastlane.route(endpoints.submit_report)
def submit_report(request: fastlane.FastRequest) -> fastlane.Answer:
    payload = request.parse_json()
    secret, new_secret = submitters.secret_from_cookie_header(request.header("Cookie"))
    report, created = services.report_submit(
        **submission(payload, idempotency_key=request.header("Idempotency-Key")),
        client_secret=secret,
        client_ip=request.client_ip,
    )
    headers = (submitters.cookie_header(secret),) if new_secret else ()
    return fastlane.Answer(201 if created else 200, public_report_body(report), headers=headers)
