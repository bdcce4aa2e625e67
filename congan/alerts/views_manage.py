"""Officer pages: the alert list, compose/edit with a map, and the approval actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.alerts import selectors, services
from congan.alerts.forms import AlertForm, ReturnForm
from congan.alerts.models import Alert, MsgType
from congan.alerts.views import map_context
from congan.core.errors import ApplicationError
from congan.core.forms import add_error_details, run_with_message
from congan.core.listing import Column, DateRangeForm, Listing
from congan.org.actors import OfficerRequest
from congan.org.selectors import commune_choices

can_view = permission_required("alerts.view_alert", raise_exception=True)
can_compose = permission_required("alerts.compose_alert", raise_exception=True)


def _alert(request: HttpRequest, alert_id: int) -> Alert:
    alert = selectors.officer_alerts(viewer=request.user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


@never_cache
@login_required
@can_view
def manage(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in Alert.State.values else ""
    dates = DateRangeForm(request.GET)
    listing = Listing(MANAGE_COLUMNS, request.GET)
    alerts = listing.ordered(dates.apply(selectors.officer_alerts(viewer=request.user, state=state), "updated_at"))
    if listing.export_format:
        return listing.export(alerts, filename="canh-bao")
    context = {
        "alerts": alerts[:200],
        "state": state,
        "states": Alert.State.choices,
        "dates": dates,
        "listing": listing,
    }
    return render(request, "alerts/manage.html", context)


MANAGE_COLUMNS = [
    Column("headline", gettext_lazy("Tiêu đề"), lambda a: a.headline, ("headline",)),
    Column("type", gettext_lazy("Loại"), lambda a: a.get_msg_type_display(), ("msg_type",)),
    Column("state", gettext_lazy("Trạng thái"), lambda a: a.get_state_display(), ("state",)),
    Column(
        "author",
        gettext_lazy("Người soạn"),
        lambda a: a.created_by.full_name if a.created_by else "",
        ("created_by__sort_name",),
    ),
    Column("sent", gettext_lazy("Phát hành"), lambda a: a.sent, ("sent",)),
]


def _compose(request: OfficerRequest, alert: Alert | None) -> HttpResponse:
    initial = AlertForm.initial_from(alert) if alert else {}
    form = AlertForm(request.POST or None, initial=initial, communes=commune_choices())
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.alert_save(by=request.user, data=form.cleaned_data, alert_id=alert.pk if alert else None)
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            return redirect("alerts:manage_detail", alert_id=saved.pk)
    status = 400 if form.errors else 200
    return render(request, "alerts/compose.html", {"form": form, "alert": alert, **map_context()}, status=status)


@never_cache
@login_required
@can_compose
def compose(request: OfficerRequest) -> HttpResponse:
    return _compose(request, None)


@never_cache
@login_required
@can_compose
def edit(request: OfficerRequest, alert_id: int) -> HttpResponse:
    alert = _alert(request, alert_id)
    if alert.state != Alert.State.DRAFT:
        return redirect("alerts:manage_detail", alert_id=alert.pk)
    return _compose(request, alert)


@never_cache
@login_required
@can_view
def manage_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert(request, alert_id)
    user = request.user
    context = {
        "alert": alert,
        "counts": selectors.delivery_counts(alert),
        "followups": alert.followups.order_by("pk"),
        "return_form": ReturnForm(),
        "can_approve": user.has_perm("alerts.approve_alert") and selectors.is_second_officer(user, alert),
        "can_compose": user.has_perm("alerts.compose_alert"),
        **map_context(alert),
    }
    return render(request, "alerts/manage_detail.html", context)


def _act(request: HttpRequest, alert_id: int, action: Any, done: str) -> HttpResponse:
    run_with_message(request, action, done)
    return redirect("alerts:manage_detail", alert_id=alert_id)


@require_POST
@login_required
@can_view
def submit(request: OfficerRequest, alert_id: int) -> HttpResponse:
    return _act(
        request, alert_id, lambda: services.alert_submit(by=request.user, alert_id=alert_id), _("Đã trình phê duyệt.")
    )


@require_POST
@login_required
@can_view
def approve(request: OfficerRequest, alert_id: int) -> HttpResponse:
    return _act(
        request,
        alert_id,
        lambda: services.alert_approve(by=request.user, alert_id=alert_id),
        _("Đã phê duyệt và phát hành cảnh báo."),
    )


@require_POST
@login_required
@can_view
def send_back(request: OfficerRequest, alert_id: int) -> HttpResponse:
    return _act(
        request,
        alert_id,
        lambda: services.alert_return(by=request.user, alert_id=alert_id, reason=request.POST.get("reason", "")[:500]),
        _("Đã trả lại bản nháp cho người soạn."),
    )


@require_POST
@login_required
@can_compose
def follow_up(request: OfficerRequest, alert_id: int) -> HttpResponse:
    msg_type = request.POST.get("msg_type", "")
    drafts: list[Alert] = []
    done = _("Đã tạo bản nháp hủy bỏ.") if msg_type == MsgType.CANCEL else _("Đã tạo bản nháp cập nhật.")
    run_with_message(
        request,
        lambda: drafts.append(services.alert_follow_up(by=request.user, alert_id=alert_id, msg_type=msg_type)),
        done,
    )
    return redirect("alerts:manage_detail", alert_id=drafts[0].pk if drafts else alert_id)
