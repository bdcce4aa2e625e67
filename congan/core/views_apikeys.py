"""Pages for administrators to manage partner systems and their API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congan.core import apikeys, selectors
from congan.core.errors import ApplicationError
from congan.core.forms import ApiClientForm, ApiKeyForm, add_error_details
from congan.core.listing import Column, Listing
from congan.core.models import ApiKey

manage = permission_required("core.manage_api_keys", raise_exception=True)


def _show_issued(request: HttpRequest, issued: apikeys.IssuedKey) -> HttpResponse:
    """The only time the raw key is shown: never cached, not even by the browser."""
    response = render(request, "core/apikey_issued.html", {"issued": issued})
    add_never_cache_headers(response)
    return response


def _key_state(key: ApiKey) -> str:
    if key.revoked_at:
        return _("Đã thu hồi")
    return _("Hiệu lực") if key.is_usable else _("Hết hạn")


KEY_COLUMNS = [
    Column("client", gettext_lazy("Đối tác"), lambda k: k.client.name, ("client__name",)),
    Column("name", gettext_lazy("Tên khóa"), lambda k: k.name, ("name",)),
    Column("prefix", gettext_lazy("Tiền tố"), lambda k: k.prefix),
    Column("scopes", gettext_lazy("Phạm vi"), lambda k: ", ".join(k.scopes)),
    Column("rate", gettext_lazy("Giới hạn/phút"), lambda k: k.rate_limit_per_minute, ("rate_limit_per_minute",)),
    Column("last_used", gettext_lazy("Dùng lần cuối"), lambda k: k.last_used_at, ("last_used_at",)),
    Column("state", gettext_lazy("Trạng thái"), _key_state),
]


@login_required
@manage
def apikey_list(request: HttpRequest) -> HttpResponse:
    listing = Listing(KEY_COLUMNS, request.GET)
    keys = listing.ordered(selectors.api_key_list())
    if listing.export_format:  # partners' key names, prefixes and scopes; no secret, no person
        return listing.export(keys, filename="khoa-api")
    context = {"clients": selectors.api_client_list(), "keys": keys, "listing": listing}
    return render(request, "core/apikey_list.html", context)


@login_required
@manage
def client_create(request: HttpRequest) -> HttpResponse:
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = apikeys.api_client_create(by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            messages.success(request, _("Đã thêm đối tác %(name)s.") % {"name": client.name})
            return redirect("core:apikey_list")
    return render(request, "core/apiclient_form.html", {"form": form})


@login_required
@manage
@require_POST
def client_set_active(request: HttpRequest, client_id: int) -> HttpResponse:
    client = selectors.api_client_get(client_id=client_id)
    active = request.POST.get("active") == "1"
    client = apikeys.api_client_set_active(by=request.user, client=client, active=active)
    if client.active:
        messages.success(request, _("Đối tác %(name)s hoạt động trở lại.") % {"name": client.name})
    else:
        messages.success(
            request, _("Đã tạm ngừng đối tác %(name)s: mọi khóa của đối tác bị từ chối.") % {"name": client.name}
        )
    return redirect("core:apikey_list")


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
            add_error_details(form, exc)
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
