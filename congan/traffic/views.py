"""Officer pages of the traffic module: cameras with status and uptime."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congan.traffic import selectors

UPTIME_DAYS = 7


@login_required
@permission_required("traffic.view_camera", raise_exception=True)
def cameras(request: HttpRequest) -> HttpResponse:
    rows = selectors.camera_uptime(viewer=request.user, days=UPTIME_DAYS)
    online = sum(1 for row in rows if row.camera.online)
    return render(request, "traffic/cameras.html", {"rows": rows, "online": online, "days": UPTIME_DAYS})
