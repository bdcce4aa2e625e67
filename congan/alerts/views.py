"""Public pages of the warnings module: the list, one alert, its CAP XML, the Atom index feed,
subscribing and unsubscribing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from congan.alerts import selectors, services
from congan.alerts.cap import CAP_CONTENT_TYPE, cap_xml
from congan.alerts.forms import ConfirmForm, SubscribeForm
from congan.alerts.models import Alert
from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details
from congan.core.limits import rate_limit_client
from congan.core.middleware import client_ip
from congan.core.webpush import push_enabled, vapid_public_key
from congan.org.selectors import commune_choices
from congan.population.accounts import citizen_from_session

RECENT_DAYS = 30


def map_context(alert: Alert | None = None) -> dict[str, object]:
    """The area to draw (tiles and centre come from the site context)."""
    circle = (
        [alert.circle_latitude, alert.circle_longitude, alert.circle_radius_km] if alert and alert.has_circle else None
    )
    return {"area": {"polygon": alert.polygon if alert else [], "circle": circle}}


def public_list(request: HttpRequest) -> HttpResponse:
    commune = request.GET.get("xa", "")[:5]
    current = list(selectors.public_alerts(commune_code=commune))
    since = timezone.now() - timezone.timedelta(days=RECENT_DAYS)
    past = selectors.public_alerts(commune_code=commune, include_past=True).filter(sent__gte=since)
    past = past.exclude(pk__in=[alert.pk for alert in current])[:20]
    context = {
        "emergencies": [alert for alert in current if not alert.is_advisory],
        "advisories": [alert for alert in current if alert.is_advisory],
        "past": past,
        "communes": commune_choices(),
        "commune": commune,
    }
    return render(request, "alerts/public_list.html", context)


def _public(identifier: str) -> Alert:
    try:
        return selectors.public_alert(identifier=identifier)
    except NotFound:
        raise Http404 from None


def public_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = _public(identifier)
    context = {"alert": alert, "followups": selectors.thread_of(alert), **map_context(alert)}
    return render(request, "alerts/public_detail.html", context)


def cap_document(request: HttpRequest, identifier: str) -> HttpResponse:
    return HttpResponse(cap_xml(_public(identifier)), content_type=f"{CAP_CONTENT_TYPE}; charset=utf-8")


class CapIndexFeed(Feed):
    """Atom index of published CAP messages: each entry links to its CAP document."""

    feed_type = Atom1Feed
    title = gettext_lazy("Cảnh báo của Công an")
    subtitle = gettext_lazy("Bản tin cảnh báo theo chuẩn CAP 1.2")

    def link(self) -> str:
        return reverse("alerts:public_list")

    def items(self) -> list[Alert]:
        return list(selectors.public_alerts(include_past=True)[:100])

    def item_title(self, item: Alert) -> str:
        return item.headline

    def item_description(self, item: Alert) -> str:
        return item.description

    def item_link(self, item: Alert) -> str:
        return reverse("alerts:cap", args=[item.identifier])

    def item_guid(self, item: Alert) -> str:
        return item.identifier

    def item_pubdate(self, item: Alert):
        return item.sent

    def item_updateddate(self, item: Alert):
        return item.updated_at

    def item_author_name(self, item: Alert) -> str:
        return item.unit.name

    def item_categories(self, item: Alert) -> list[str]:
        return [item.category, item.msg_type]


@never_cache
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None, communes=commune_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate_limit_client(
                name="alert-subscribe",
                client_ip=client_ip(request),
                limit=services.SUBSCRIBE_CALLS,
                window_seconds=services.SUBSCRIBE_WINDOW_SECONDS,
            )
            rows = services.subscription_request(
                channel=data["channel"],
                recipient=data["recipient"],
                commune_codes=data["commune_codes"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                citizen=citizen_from_session(request),
            )
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            if all(row.status == row.Status.ACTIVE for row in rows):
                messages.success(request, _("Đã đăng ký nhận cảnh báo."))
                return redirect("alerts:public_list")
            query = urlencode({"channel": rows[0].channel, "recipient": rows[0].recipient})
            return redirect(f"{reverse('alerts:confirm')}?{query}")
    context = {"form": form, "push_key": vapid_public_key() if push_enabled() else ""}
    return render(request, "alerts/subscribe.html", context, status=400 if form.errors else 200)


@never_cache
def confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_client(
                name="alert-confirm",
                client_ip=client_ip(request),
                limit=services.SUBSCRIBE_CALLS * 2,
                window_seconds=services.SUBSCRIBE_WINDOW_SECONDS,
            )
            count = services.subscription_confirm(**form.cleaned_data)
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            messages.success(request, _("Đã xác nhận. Bạn sẽ nhận cảnh báo cho %(count)d khu vực.") % {"count": count})
            return redirect("alerts:public_list")
    return render(request, "alerts/confirm.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.subscription_end(token=token)
        except NotFound:
            raise Http404 from None
        messages.success(request, _("Đã hủy đăng ký nhận cảnh báo."))
        return redirect("alerts:public_list")
    return render(request, "alerts/unsubscribe.html", {"token": token})
