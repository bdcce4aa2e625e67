"""Prometheus metrics for /metrics (per process; see docs/operations.md for multi-worker)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "congan_http_requests_total",
    "HTTP responses by method, area and status",
    ["method", "area", "status"],
    registry=REGISTRY,
)
AUDIT_PENDING = Gauge(
    "congan_audit_buffer_pending",
    "Audit events waiting in this process's buffer",
    registry=REGISTRY,
)
AUDIT_FLUSHED = Gauge(
    "congan_audit_buffer_flushed",
    "Audit events chained by this process's buffer",
    registry=REGISTRY,
)
DB_UP = Gauge("congan_database_up", "1 when the database answered the last health check", registry=REGISTRY)
DB_LATENCY = Histogram("congan_database_ping_seconds", "Database round trip of the health check", registry=REGISTRY)


def _area(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/static/"):
        return "static"
    return "pages"


def observe_response(request: HttpRequest, response: HttpResponse) -> None:
    observe(request.method or "", request.path, response.status_code)


def observe(method: str, path: str, status: int) -> None:
    REQUESTS.labels(method, _area(path), str(status)).inc()


def render() -> bytes:
    from congan.core.audit import buffer

    stats = buffer.stats()
    AUDIT_PENDING.set(stats["pending"])
    AUDIT_FLUSHED.set(stats["flushed"])
    return generate_latest(REGISTRY)
