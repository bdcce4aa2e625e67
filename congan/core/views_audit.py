from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from congan.core import selectors
from congan.core.forms import AuditFilterForm
from congan.core.labels import data_label
from congan.core.listing import EXPORT_LIMIT, Column, Listing

AUDIT_COLUMNS = [
    Column("seq", "#", lambda e: e.seq, ("seq",)),
    Column("at", _("Thời điểm"), lambda e: e.occurred_at, ("occurred_at",)),
    Column("actor", _("Chủ thể"), lambda e: e.actor_display, ("actor_type", "actor_label")),
    Column("action", _("Hành động"), lambda e: e.action, ("action",)),
    Column("target", _("Đối tượng"), lambda e: e.target_display, ("target_type", "target_id")),
    Column("purpose", _("Mục đích"), lambda e: data_label(e.purpose), ("purpose",)),
    Column("ip", _("IP"), lambda e: e.ip or ""),
]


@require_safe
@login_required
@permission_required("core.view_audit_log", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter(**form.cleaned_data) if form.is_valid() else selectors.AuditFilter()
    listing = Listing(AUDIT_COLUMNS, request.GET)
    events = listing.ordered(selectors.audit_event_list(viewer=request.user, filters=filters))
    if listing.export_format:
        rows = list(events[:EXPORT_LIMIT])
        selectors.audit_events_exported(viewer=request.user, events=rows, filters=filters, sort=listing.sort)
        return listing.export(rows, filename="nhat-ky-kiem-toan")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "listing": listing, "query": listing.query_string}
    # A history restore (back button after hx-push-url) needs the whole page, not the rows.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "core/audit_list.html#rows" if partial else "core/audit_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # one URL, two bodies: caches must tell them apart
    return response
