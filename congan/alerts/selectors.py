"""Reads of the warnings module: officers' lists (unit-scoped), what the public sees, who receives
an alert, and delivery counts."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from congan.alerts.models import Alert, MsgType, Subscription
from congan.core.errors import NotFound
from congan.core.geo import distance_m, point_in_polygon
from congan.core.models import Notification
from congan.core.scoping import scope_to_viewer
from congan.org import boundaries
from congan.org.selectors import commune_at, commune_seats

S = Alert.State
KM_PER_DEGREE = 111.32  # of latitude; of longitude times the cosine of the latitude
PUBLIC_STATES = (S.PUBLISHED, S.SUPERSEDED, S.CANCELLED)


def visible_alerts(viewer: Any, queryset: QuerySet[Alert] | None = None) -> QuerySet[Alert]:
    """Alerts of the viewer's units; an officer sees every alert of their subtree."""
    queryset = Alert.objects.all() if queryset is None else queryset
    return scope_to_viewer(queryset, viewer=viewer)


def officer_alerts(*, viewer: Any, state: str = "") -> QuerySet[Alert]:
    alerts = visible_alerts(viewer).select_related("unit", "created_by", "approved_by", "references")
    if state:
        alerts = alerts.filter(state=state)
    return alerts.order_by("-updated_at")


def is_second_officer(officer: Any, alert: Alert) -> bool:
    """The two-person rule: neither the author nor the last editor of the alert."""
    return officer.pk not in (alert.created_by_id, alert.edited_by_id)


def in_area(alert: Alert, latitude: float, longitude: float) -> bool:
    """Whether a point lies in the alert's drawn area (polygon or circle)."""
    if len(alert.polygon) >= 3 and point_in_polygon(latitude, longitude, alert.polygon):
        return True
    if alert.has_circle:
        metres = distance_m(latitude, longitude, alert.circle_latitude, alert.circle_longitude)
        return metres <= alert.circle_radius_km * 1000
    return False


def alert_area(alert: Alert) -> BaseGeometry | None:
    """The drawn area as a shape, longitude first; a circle as a 64-sided polygon."""
    if len(alert.polygon) >= 3:
        return Polygon([(float(lon), float(lat)) for lat, lon in alert.polygon])
    if alert.has_circle:
        lat, lon = float(alert.circle_latitude or 0), float(alert.circle_longitude or 0)  # has_circle: both set
        km = float(alert.circle_radius_km or 0)
        north, east = km / KM_PER_DEGREE, km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
        steps = [2 * math.pi * step / 64 for step in range(64)]
        return Polygon([(lon + east * math.sin(angle), lat + north * math.cos(angle)) for angle in steps])
    return None


def alert_communes(alert: Alert) -> set[str]:
    """Communes the alert covers: those chosen, and those the drawn area touches: by the loaded
    commune boundaries; where none is loaded, those whose seat lies in the area and the commune at
    the area's centre (a small circle may contain no seat at all)."""
    codes = set(alert.commune_codes)
    area = alert_area(alert)
    if area is None:
        return codes
    if boundaries.has_boundaries():
        return codes | boundaries.commune_codes_touching(area)
    seats = commune_seats()
    codes |= {seat.area_code for seat in seats if in_area(alert, float(seat.latitude), float(seat.longitude))}
    if alert.has_circle:
        centre = (alert.circle_latitude, alert.circle_longitude)
    else:
        centre = tuple(sum(point[axis] for point in alert.polygon) / len(alert.polygon) for axis in (0, 1))
    nearest = commune_at(*centre, seats=seats)
    if nearest is not None:
        codes.add(nearest.area_code)
    return codes


def subscribers_of(alert: Alert) -> Iterator[Subscription]:
    """Active subscriptions the alert reaches: by commune, or by a shared location inside the area
    (or inside one of its communes)."""
    codes = alert_communes(alert)
    active = Subscription.objects.filter(status=Subscription.Status.ACTIVE)
    yield from active.filter(commune_code__in=codes).order_by("pk").iterator()
    seats = commune_seats()
    for subscription in active.filter(commune_code="", latitude__isnull=False).order_by("pk").iterator():
        if in_area(alert, subscription.latitude, subscription.longitude):
            yield subscription
            continue
        code = boundaries.commune_code_at(float(subscription.latitude or 0), float(subscription.longitude or 0))
        if code is None:
            nearest = commune_at(subscription.latitude, subscription.longitude, seats=seats)
            code = nearest.area_code if nearest is not None else None
        if code in codes:
            yield subscription


def delivery_counts(alert: Alert) -> dict[str, int]:
    """Messages queued for the alert by delivery status, with the total and those handed to the
    gateway (sent, whether or not a delivery report came back)."""
    rows = (
        Notification.objects.filter(target_type=Alert._meta.label_lower, target_id=str(alert.pk))
        .values("status")
        .annotate(count=Count("pk"))
    )
    counts = {status: 0 for status in Notification.Status.values}
    counts.update({row["status"]: row["count"] for row in rows})
    counts["total"] = sum(counts.values())
    counts["handed_over"] = counts["sent"] + counts["delivered"]
    return counts


def public_alerts(*, commune_code: str = "", include_past: bool = False) -> QuerySet[Alert]:
    """Published messages for the public: in force ones by default, newest first."""
    alerts = Alert.objects.filter(state__in=PUBLIC_STATES).select_related("unit", "references")
    if not include_past:
        now = timezone.now()
        alerts = alerts.filter(state=S.PUBLISHED).exclude(msg_type=MsgType.CANCEL)
        alerts = alerts.filter(Q(expires__isnull=True) | Q(expires__gt=now))
    if commune_code:
        alerts = _with_commune(alerts, commune_code)
    return alerts.order_by("-sent")


def _with_commune(alerts: QuerySet[Alert], commune_code: str) -> QuerySet[Alert]:
    """JSON containment differs between SQLite and PostgreSQL; the list is short, so filter by id."""
    ids = [pk for pk, codes in alerts.values_list("pk", "commune_codes") if commune_code in codes]
    return alerts.filter(pk__in=ids)


def public_alert(*, identifier: str) -> Alert:
    alert = (
        Alert.objects.filter(identifier=identifier, state__in=PUBLIC_STATES)
        .select_related("unit", "references", "approved_by")
        .first()
    )
    if alert is None:
        raise NotFound(_("Không tìm thấy cảnh báo."))
    return alert


def thread_of(alert: Alert) -> list[Alert]:
    """Later published messages that reference this one (updates, cancellation), oldest first."""
    return list(alert.followups.filter(state__in=PUBLIC_STATES).order_by("sent"))


def dashboard_figures(*, viewer: Any) -> dict[str, int]:
    """The viewer's units' warnings awaiting a second officer's approval, and those in force."""
    alerts = visible_alerts(viewer)
    return {
        "pending": alerts.filter(state=S.PENDING).count(),
        "in_force": alerts.filter(state=S.PUBLISHED)
        .filter(Q(expires__isnull=True) | Q(expires__gt=timezone.now()))
        .count(),
    }


def awaiting_my_approval(*, viewer: Any) -> int:
    """Warnings of the viewer's units waiting for a second officer, who the viewer can be."""
    pending = visible_alerts(viewer).filter(state=S.PENDING)
    return pending.exclude(created_by=viewer).exclude(edited_by=viewer).count()
