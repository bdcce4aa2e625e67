"""Officer pages of the traffic module: cameras with status and uptime."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core.listing import Column, DateRangeForm, Listing
from congan.traffic import selectors

UPTIME_DAYS = 7


def _kind(row: selectors.Uptime) -> str:
    camera = row.camera
    speed = f" · {camera.speed_limit_kmh} km/h" if camera.speed_limit_kmh else ""
    return f"{camera.get_kind_display()}{speed}"


_uptime_label = lazy(lambda: _("Hoạt động %(days)s ngày") % {"days": UPTIME_DAYS} + " (%)", str)

CAMERA_COLUMNS = [
    Column("code", gettext_lazy("Mã"), lambda r: r.camera.code, ("camera__code",)),
    Column("name", gettext_lazy("Vị trí"), lambda r: r.camera.name, ("camera__name",)),
    Column("road", gettext_lazy("Tuyến đường"), lambda r: r.camera.road, ("camera__road",)),
    Column("kind", gettext_lazy("Loại"), _kind, ("camera__kind",)),
    Column("unit", gettext_lazy("Đơn vị"), lambda r: r.camera.unit.name, ("camera__unit__name",)),
    Column(
        "status",
        gettext_lazy("Trạng thái"),
        lambda r: _("Trực tuyến") if r.camera.online else _("Mất tín hiệu"),
        ("camera__online",),
    ),
    Column("seen", gettext_lazy("Tín hiệu gần nhất"), lambda r: r.camera.last_seen_at, ("camera__last_seen_at",)),
    Column("uptime", _uptime_label(), lambda r: r.percent, ("percent",)),
]


@login_required
@permission_required("traffic.view_camera", raise_exception=True)
def cameras(request: HttpRequest) -> HttpResponse:
    dates = DateRangeForm(request.GET)  # on the last signal: the cameras heard from in those days
    listing = Listing(CAMERA_COLUMNS, request.GET)
    rows = selectors.camera_uptime(viewer=request.user, days=UPTIME_DAYS)
    rows = listing.ordered([row for row in rows if dates.contains(row.camera.last_seen_at)])
    if listing.export_format:  # devices and their units, no person: not audited
        return listing.export(rows, filename="camera-giao-thong")
    online = sum(1 for row in rows if row.camera.online)
    context = {"rows": rows, "online": online, "days": UPTIME_DAYS, "dates": dates, "listing": listing}
    return render(request, "traffic/cameras.html", context)
