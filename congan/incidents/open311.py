"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the reports, in JSON and XML,
with the ``servicerequestupdates`` extension. Field names, list shapes and errors
(``[{"code", "description"}]``) follow the specification; ``address_id`` carries the 5-digit
commune code, which this jurisdiction needs to route a request."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from congan.core.apikeys import api_key_authenticate, rate_limit_check
from congan.core.errors import ApplicationError
from congan.incidents import selectors, services
from congan.incidents.models import Report, ReportEvent, ReportKind

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00Z"
OPEN = {Report.Status.RECEIVED, Report.Status.TRIAGED, Report.Status.IN_PROGRESS}
FORMATS = {"json": "application/json", "xml": "text/xml"}
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90  # the specification's default window for GET requests
POST_SCOPE = "open311.post"


def _stamp(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _xml(root: str, item: str, rows: Iterable[dict[str, Any]]) -> bytes:
    element = ET.Element(root)
    for row in rows:
        child = ET.SubElement(element, item)
        for key, value in row.items():
            ET.SubElement(child, key).text = (
                "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            )
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _respond(fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _errors(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def _format(fmt: str) -> str | None:
    return fmt if fmt in FORMATS else None


@require_http_methods(["GET"])
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    base = f"{settings.PUBLIC_BASE_URL}/open311/v2/"
    document = {
        "changeset": CHANGESET,
        "contact": settings.FORCE_NAME,
        "key_service": settings.PUBLIC_BASE_URL,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS.values()),
            }
        ],
    }
    if fmt == "xml":
        root = ET.Element("discovery")
        for key in ("changeset", "contact", "key_service"):
            ET.SubElement(root, key).text = document[key]
        endpoints = ET.SubElement(ET.SubElement(root, "endpoints"), "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(endpoints, key).text = document["endpoints"][0][key]
        formats = ET.SubElement(endpoints, "formats")
        for value in FORMATS.values():
            ET.SubElement(formats, "format").text = value
        return HttpResponse(ET.tostring(root, encoding="utf-8", xml_declaration=True), content_type="text/xml")
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


def _service(kind: ReportKind) -> dict[str, Any]:
    return {
        "service_code": kind.code,
        "service_name": kind.name,
        "description": kind.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": kind.parent.name if kind.parent else kind.name,
    }


@require_http_methods(["GET"])
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    kinds = [kind for kind in selectors.kinds() if kind.parent_id or not kind.children.exists()]
    return _respond(fmt, "services", "service", [_service(kind) for kind in kinds])


@require_http_methods(["GET"])
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    if not selectors.kinds().filter(code=code).exists():
        return _errors(fmt, 404, f"service_code {code} not found")
    if fmt == "xml":
        root = ET.Element("service_definition")
        ET.SubElement(root, "service_code").text = code
        ET.SubElement(root, "attributes")
        return HttpResponse(ET.tostring(root, encoding="utf-8", xml_declaration=True), content_type="text/xml")
    return JsonResponse({"service_code": code, "attributes": []})


def _status_notes(report: Report) -> str:
    last = report.events.filter(public=True).exclude(note="").order_by("-at", "-pk").first()
    return last.note if last else ""


ROUNDING = Decimal("0.001")  # about 110 m: where, but not which house


def _public_place(report: Report) -> tuple[str, float | None, float | None]:
    """Address and position as published: withheld for kinds that are never listed (crime tips),
    blurred to about 110 m and without the street address for anonymous reports."""
    if not report.kind.public_listing:
        return "", None, None
    address = "" if report.anonymous else report.address
    if report.latitude is None:
        return address, None, None
    if report.anonymous:
        return address, float(report.latitude.quantize(ROUNDING)), float(report.longitude.quantize(ROUNDING))
    return address, float(report.latitude), float(report.longitude)


def _request_row(report: Report) -> dict[str, Any]:
    address, lat, long = _public_place(report)
    return {
        "service_request_id": report.tracking_code,
        "status": "open" if report.status in OPEN else "closed",
        "status_notes": _status_notes(report),
        "service_name": report.kind.name,
        "service_code": report.kind.code,
        "description": report.description if report.kind.public_listing else "",
        "agency_responsible": report.unit.name,
        "service_notice": "",
        "requested_datetime": _stamp(report.received_at),
        "updated_datetime": _stamp(report.updated_at),
        "expected_datetime": None,
        "address": address,
        "address_id": report.commune_code,
        "zipcode": None,
        "lat": lat,
        "long": long,
        "media_url": None,
    }


def _window(request: HttpRequest) -> tuple[dt.datetime, dt.datetime] | str:
    end = parse_datetime(request.GET["end_date"]) if request.GET.get("end_date") else timezone.now()
    start = parse_datetime(request.GET["start_date"]) if request.GET.get("start_date") else None
    if end is None or (request.GET.get("start_date") and start is None):
        return "start_date and end_date must be w3c datetimes"
    return (start or end - dt.timedelta(days=DEFAULT_DAYS)), end


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    if request.method == "POST":
        return _post_request(request, fmt)
    reports = Report.objects.exclude(status=Report.Status.MERGED).select_related("kind", "unit")
    if request.GET.get("service_request_id"):
        ids = [value.strip().upper() for value in request.GET["service_request_id"].split(",")][:MAX_REQUESTS]
        reports = reports.filter(tracking_code__in=ids)
    else:  # a listing shows only the kinds that are public; a known id shows its request, withheld
        window = _window(request)
        if isinstance(window, str):
            return _errors(fmt, 400, window)
        reports = reports.filter(kind__public_listing=True, received_at__gte=window[0], received_at__lte=window[1])
        if request.GET.get("service_code"):
            reports = reports.filter(kind__code__in=request.GET["service_code"].split(","))
        status = request.GET.get("status", "")
        if status == "open":
            reports = reports.filter(status__in=OPEN)
        elif status == "closed":
            reports = reports.exclude(status__in=OPEN)
        elif status:
            return _errors(fmt, 400, "status must be open or closed")
    rows = [_request_row(report) for report in reports.order_by("-received_at")[:MAX_REQUESTS]]
    return _respond(fmt, "service_requests", "request", rows)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    key = api_key_authenticate(request.POST.get("api_key", ""))
    if key is None or POST_SCOPE not in key.scopes:
        return _errors(fmt, 403, "api_key is missing, invalid or not allowed to post requests")
    try:
        rate_limit_check(key=key)
    except ApplicationError:
        return _errors(fmt, 429, "too many requests")
    data = request.POST
    if not data.get("service_code"):
        return _errors(fmt, 400, "service_code is required")
    name = " ".join(part for part in (data.get("first_name", ""), data.get("last_name", "")) if part)
    # An idempotency key when the client sends one; otherwise each POST is a new request.
    token = request.headers.get("Idempotency-Key") or uuid.uuid4().hex
    try:
        report, _created = services.report_submit(
            kind_code=data["service_code"],
            description=data.get("description", ""),
            commune_code=data.get("address_id", ""),
            client_token=token,
            latitude=data.get("lat") or None,
            longitude=data.get("long") or None,
            address=data.get("address_string", ""),
            reporter_name=name[:150],
            reporter_phone=data.get("phone", ""),
            anonymous=not (data.get("phone") or data.get("email")),
            channel=Report.Channel.OPEN311,
            by=key,
        )
    except ApplicationError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        description = "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in details.items())
        return _errors(fmt, 400, description or str(exc.message))
    row = {"service_request_id": report.tracking_code, "service_notice": "", "account_id": None}
    return _respond(fmt, "service_requests", "request", [row], status=201)


@require_http_methods(["GET"])
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    report = Report.objects.select_related("kind", "unit").filter(tracking_code=request_id.upper()).first()
    if report is None:
        return _errors(fmt, 404, f"service_request_id {request_id} not found")
    return _respond(fmt, "service_requests", "request", [_request_row(report)])


@require_http_methods(["GET"])
def token_lookup(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Requests are given their id at once, so a token is the id itself."""
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    if not Report.objects.filter(tracking_code=token.upper()).exists():
        return _errors(fmt, 404, f"token {token} not found")
    return _respond(fmt, "service_requests", "request", [{"service_request_id": token.upper(), "token": token}])


@require_http_methods(["GET"])
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """The ``servicerequestupdates`` extension: public timeline steps in a window."""
    if not _format(fmt):
        return _errors("json", 404, "format must be json or xml")
    window = _window(request)
    if isinstance(window, str):
        return _errors(fmt, 400, window)
    events = ReportEvent.objects.filter(
        public=True, report__kind__public_listing=True, at__gte=window[0], at__lte=window[1]
    ).select_related("report")
    rows = [
        {
            "update_id": event.pk,
            "service_request_id": event.report.tracking_code,
            "status": "open" if (event.status_to or Report.Status.RECEIVED) in OPEN else "closed",
            "updated_datetime": _stamp(event.at),
            "description": event.note,
            "media_url": None,
        }
        for event in events.order_by("at", "pk")[:MAX_REQUESTS]
    ]
    return _respond(fmt, "service_request_updates", "request_update", rows)
