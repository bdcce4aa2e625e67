"""Pages for administrators to manage partner systems and their API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congan.core import apikeys, selectors
from congan.core.audit import audit_record
from congan.core.errors import ApplicationError
from congan.core.forms import ApiClientForm, ApiKeyForm

manage = permission_required("core.manage_api_keys", raise_exception=True)


def _show_issued(request: HttpRequest, issued: apikeys.IssuedKey) -> HttpResponse:
    return render(request, "core/apikey_issued.html", {"issued": issued})


@login_required
@manage
def apikey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/apikey_list.html",
        {"clients": selectors.api_client_list(), "keys": selectors.api_key_list()},
    )


@login_required
@manage
def client_create(request: HttpRequest) -> HttpResponse:
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            client = form.save()
            audit_record(actor=request.user, action="core.api_client.create", target=client)
        messages.success(request, _("Đã thêm đối tác %(name)s.") % {"name": client.name})
        return redirect("core:apikey_list")
    return render(request, "core/apiclient_form.html", {"form": form})


@login_required
@manage
def apikey_create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None, initial={"client": request.GET.get("client")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = apikeys.api_key_issue(
                by=request.user,
                client=data["client"],
                name=data["name"],
                scopes=data["scopes"],
                rate_limit_per_minute=data["rate_limit_per_minute"],
                expires_at=data["expires_at"],
            )
        except ApplicationError as exc:
            for field, errors in exc.details.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return _show_issued(request, issued)
    return render(request, "core/apikey_form.html", {"form": form})


@login_required
@manage
@require_POST
def apikey_rotate(request: HttpRequest, key_id: int) -> HttpResponse:
    key = selectors.api_key_get(key_id=key_id)
    try:
        issued = apikeys.api_key_rotate(by=request.user, key=key)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("core:apikey_list")
    return _show_issued(request, issued)


@login_required
@manage
@require_POST
def apikey_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    key = selectors.api_key_get(key_id=key_id)
    try:
        apikeys.api_key_revoke(by=request.user, key=key)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã thu hồi khóa %(prefix)s.") % {"prefix": key.prefix})
    return redirect("core:apikey_list")
