"""Reads of the traffic module: cameras with their status and uptime (unit-scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from congan.core.scoping import scope_to_viewer
from congan.traffic.models import Camera, CameraUptimeHour, ViolationType


def visible_cameras(*, viewer: Any) -> QuerySet[Camera]:
    return scope_to_viewer(Camera.objects.filter(active=True), viewer=viewer).select_related("unit")


@dataclass(frozen=True)
class Uptime:
    camera: Camera
    beats: int
    expected: int

    @property
    def percent(self) -> float:
        return round(100 * min(self.beats, self.expected) / self.expected, 1) if self.expected else 0.0


def camera_uptime(*, viewer: Any, days: int = 7, now: dt.datetime | None = None) -> list[Uptime]:
    """Heartbeats received against those expected (one per TRAFFIC_HEARTBEAT_SECONDS) over the
    last ``days``, counting only the time since each camera was installed; worst first."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    cameras = list(visible_cameras(viewer=viewer))
    beats = dict(
        CameraUptimeHour.objects.filter(camera__in=cameras, hour__gte=since)
        .values_list("camera")
        .annotate(total=Sum("beats"))
    )
    rows = []
    for camera in cameras:
        start = since
        if camera.installed_on:
            installed = timezone.make_aware(dt.datetime.combine(camera.installed_on, dt.time()))
            start = max(since, installed)
        expected = max(0, int((now - start).total_seconds() // settings.TRAFFIC_HEARTBEAT_SECONDS))
        rows.append(Uptime(camera=camera, beats=beats.get(camera.pk, 0), expected=expected))
    return sorted(rows, key=lambda row: (row.percent, row.camera.code))


def violation_type_on(code: str, on: dt.date) -> ViolationType | None:
    """The row of the fine tables in force for ``code`` on the day of the violation."""
    rows = ViolationType.objects.filter(code=code, valid_from__lte=on)
    return rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first()
