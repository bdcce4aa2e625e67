"""Platform pages: landing, dashboard, health, metrics, error pages."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from congan.core import dashboard as dashboard_panels
from congan.core import metrics as metrics_module
from congan.core import search as site_search
from congan.core.attention import items_for as attention_items
from congan.core.middleware import API_PREFIX, client_ip, error_code_and_message, json_error


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/landing.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"panels": dashboard_panels.panels_for(request.user)})


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker at the site root (a worker's scope cannot reach above its own path)."""
    context = {"default_title": _("Cảnh báo của Công an")}
    return render(request, "core/service_worker.js", context, content_type="text/javascript; charset=utf-8")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        metrics_module.DB_UP.set(0)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    elapsed = time.perf_counter() - started
    metrics_module.DB_UP.set(1)
    metrics_module.DB_LATENCY.observe(elapsed)
    return JsonResponse({"status": "ok", "database": "ok", "database_ms": round(elapsed * 1000, 2)})


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    allowed = client_ip(request) in settings.METRICS_ALLOWED_IPS or (
        request.user.is_authenticated and request.user.is_staff
    )
    if not allowed:
        return HttpResponse(status=403)
    return HttpResponse(metrics_module.render(), content_type="text/plain; version=0.0.4; charset=utf-8")


def _error_page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        code, message = error_code_and_message(status)
        details = {"request_id": getattr(request, "request_id", "")} if status >= 500 else {}
        return json_error(code, message, details, status=status)
    return render(request, template, {"request_id": getattr(request, "request_id", "")}, status=status)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, "403.html")


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "404.html")


def error_500(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500, "500.html")


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The header's search box: one exact hit opens its record, otherwise the hits are listed."""
    q = request.GET.get("q", "")[: site_search.MAX_QUERY]
    hits = site_search.search(viewer=request.user, q=q)
    one = site_search.the_one(hits)
    if one is not None:
        return redirect(one.url)
    elsewhere = site_search.elsewhere_for(request.user, q)
    return render(request, "core/search.html", {"q": q, "hits": hits, "elsewhere": elsewhere})


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    """Việc cần làm: what needs the officer now, each with the list that holds it."""
    return render(request, "core/attention.html", {"items": attention_items(request.user)})
