"""OASIS Common Alerting Protocol 1.2 XML for an alert (one <info> per language).

The element order follows the CAP 1.2 schema, which is a sequence: a reordered element makes the
message invalid even when every value is right.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from congan.alerts.models import Alert, Category

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml"
GEOCODE_NAME = "VN-MA-XA"  # commune code of the 2025 administrative unit list (Decision 19/2025/QĐ-TTg)


def cap_datetime(value: dt.datetime) -> str:
    """CAP's dateTime: local time with an explicit offset and no fractions (e.g. 2026-11-22T08:30:00+07:00);
    "Z" is not allowed."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def reference_chain(alert: Alert) -> list[Alert]:
    """Every earlier message of the thread, oldest first."""
    chain: list[Alert] = []
    node = alert.references
    while node is not None:
        chain.append(node)
        node = node.references
    return chain[::-1]


def polygon_text(points: list[list[float]]) -> str:
    """'lat,lon lat,lon …' closed (first point repeated last), as CAP requires."""
    ring = [list(point) for point in points]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return " ".join(f"{lat:.6f},{lon:.6f}" for lat, lon in ring)


def _element(tag: str) -> ET.Element:
    return ET.Element(f"{{{CAP_NAMESPACE}}}{tag}")


def _text(parent: ET.Element, tag: str, value: str | None) -> None:
    """A child element in the CAP namespace, only when there is something to say."""
    if value:
        ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}").text = value


def _info(alert: Alert, *, english: bool) -> ET.Element:
    info = _element("info")
    _text(info, "language", "en-US" if english else "vi-VN")
    _text(info, "category", alert.category or Category.OTHER)
    _text(info, "event", alert.event)
    _text(info, "responseType", alert.response_type)
    _text(info, "urgency", alert.urgency)
    _text(info, "severity", alert.severity)
    _text(info, "certainty", alert.certainty)
    for tag in ("effective", "onset", "expires"):
        value = getattr(alert, tag)
        _text(info, tag, cap_datetime(value) if value else None)
    _text(info, "senderName", alert.unit.name)
    _text(info, "headline", alert.headline_en if english else alert.headline)
    _text(info, "description", alert.description_en if english else alert.description)
    _text(info, "instruction", alert.instruction_en if english else alert.instruction)
    _text(info, "web", settings.PUBLIC_BASE_URL + reverse("alerts:public_detail", args=[alert.identifier]))
    _text(info, "contact", alert.unit.phone or None)
    info.append(_area(alert))
    return info


def _area(alert: Alert) -> ET.Element:
    area = _element("area")
    _text(area, "areaDesc", alert.area_desc)
    if len(alert.polygon) >= 3:
        _text(area, "polygon", polygon_text(alert.polygon))
    if alert.has_circle:
        _text(area, "circle", f"{alert.circle_latitude:.6f},{alert.circle_longitude:.6f} {alert.circle_radius_km:g}")
    for code in alert.commune_codes:
        geocode = ET.SubElement(area, f"{{{CAP_NAMESPACE}}}geocode")
        _text(geocode, "valueName", GEOCODE_NAME)
        _text(geocode, "value", code)
    return area


def cap_sender() -> str:
    return settings.ALERTS_CAP_SENDER


def cap_xml(alert: Alert) -> bytes:
    """The CAP 1.2 document of a published alert (drafts have no ``sent`` time and no CAP form)."""
    if alert.sent is None:
        raise ValueError("an alert has a CAP form only once published")
    ET.register_namespace("", CAP_NAMESPACE)
    root = _element("alert")
    fields = [
        ("identifier", alert.identifier),
        ("sender", cap_sender()),
        ("sent", cap_datetime(alert.sent)),
        ("status", alert.cap_status),
        ("msgType", alert.msg_type),
        ("scope", "Public"),
    ]
    for tag, value in fields:
        _text(root, tag, value)
    chain = reference_chain(alert)
    if chain:
        references = " ".join(f"{cap_sender()},{earlier.identifier},{cap_datetime(earlier.sent)}" for earlier in chain)
        _text(root, "references", references)
    infos = [_info(alert, english=False)]
    if alert.headline_en and alert.description_en:
        infos.append(_info(alert, english=True))
    root.extend(infos)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
