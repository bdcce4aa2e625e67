from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from congan.core import selectors
from congan.core.forms import AuditFilterForm


@require_safe
@login_required
@permission_required("core.view_audit_log", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter(**form.cleaned_data) if form.is_valid() else selectors.AuditFilter()
    events = selectors.audit_event_list(viewer=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # A history restore (back button after hx-push-url) needs the whole page, not the rows.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "core/audit_list.html#rows" if partial else "core/audit_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # one URL, two bodies: caches must tell them apart
    return response
