"""Composing and approving warnings: validation, the two-person rule, update and cancel references,
and the CAP 1.2 XML validated against the OASIS schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from lxml import etree

from congan.alerts import services
from congan.alerts.cap import cap_xml, polygon_text
from congan.alerts.models import Alert
from congan.alerts.tests.conftest import alert_data
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
TRIANGLE = [[16.10, 108.10], [16.15, 108.12], [16.11, 108.16]]


def _document(alert: Alert, schema) -> etree._Element:
    document = etree.fromstring(cap_xml(alert))
    schema.assertValid(document)
    return document


def test_a_published_alert_is_valid_cap_1_2_with_offset_time_and_a_closed_polygon(publish, cap_schema, seats):
    alert = publish(
        polygon=TRIANGLE,
        circle_latitude=16.12,
        circle_longitude=108.13,
        circle_radius_km=2.5,
        headline_en="Illegal street racing expected tonight",
        description_en="Groups plan to race on Nguyen Tat Thanh street.",
    )
    document = _document(alert, cap_schema)
    sent = document.findtext("cap:sent", namespaces=CAP)
    assert sent.endswith("+07:00") and "." not in sent
    assert document.findtext("cap:identifier", namespaces=CAP) == alert.identifier
    assert [info.findtext("cap:language", namespaces=CAP) for info in document.findall("cap:info", CAP)] == [
        "vi-VN",
        "en-US",
    ]
    polygon = document.findtext("cap:info/cap:area/cap:polygon", namespaces=CAP).split()
    assert len(polygon) == 4 and polygon[0] == polygon[-1] == "16.100000,108.100000"
    assert document.findtext("cap:info/cap:area/cap:circle", namespaces=CAP) == "16.120000,108.130000 2.5"
    codes = [node.text for node in document.findall("cap:info/cap:area/cap:geocode/cap:value", CAP)]
    assert "20194" in codes


def test_a_draft_has_no_cap_form(composer):
    alert = services.alert_save(by=composer, data=alert_data())
    with pytest.raises(ValueError):
        cap_xml(alert)


def test_polygon_text_closes_an_open_ring_and_keeps_a_closed_one():
    ring = "1.000000,2.000000 3.000000,4.000000 5.000000,6.000000 1.000000,2.000000"
    assert polygon_text([[1, 2], [3, 4], [5, 6]]) == ring
    assert polygon_text([[1, 2], [3, 4], [5, 6], [1, 2]]).count("1.000000,2.000000") == 2


def test_the_author_cannot_approve_their_own_alert(composer, province):
    both = OfficerFactory(unit=province, roles=[roles.DISPATCHER, roles.LEADER])
    alert = services.alert_save(by=both, data=alert_data())
    services.alert_submit(by=both, alert_id=alert.pk)
    with pytest.raises(PermissionDenied) as caught:
        services.alert_approve(by=both, alert_id=alert.pk)
    assert caught.value.code == "two_person_rule"
    assert Alert.objects.get(pk=alert.pk).state == "pending"


def test_the_last_editor_cannot_approve_either(composer, province):
    editor = OfficerFactory(unit=province, roles=[roles.DISPATCHER, roles.LEADER])
    alert = services.alert_save(by=composer, data=alert_data())
    services.alert_save(by=editor, alert_id=alert.pk, data=alert_data(headline="Cảnh báo đua xe (đã sửa)"))
    services.alert_submit(by=composer, alert_id=alert.pk)
    with pytest.raises(PermissionDenied):
        services.alert_approve(by=editor, alert_id=alert.pk)


def test_an_officer_without_the_approval_role_cannot_publish(composer, commune):
    colleague = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    alert = services.alert_save(by=composer, data=alert_data())
    services.alert_submit(by=composer, alert_id=alert.pk)
    with pytest.raises(PermissionDenied):
        services.alert_approve(by=colleague, alert_id=alert.pk)


def test_a_second_officer_publishes_and_the_steps_are_audited(composer, approver):
    alert = services.alert_save(by=composer, data=alert_data())
    with pytest.raises(InvalidTransition):
        services.alert_approve(by=approver, alert_id=alert.pk)  # a draft is not submitted yet
    services.alert_submit(by=composer, alert_id=alert.pk)
    published = services.alert_approve(by=approver, alert_id=alert.pk)
    assert (published.state, published.approved_by, published.sent is not None) == ("published", approver, True)
    actions = list(
        AuditEvent.objects.filter(target_id=str(alert.pk), target_type="alerts.alert")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["alerts.alert.create", "alerts.alert.submit", "alerts.alert.publish"]
    with pytest.raises(InvalidTransition):
        services.alert_save(by=composer, alert_id=alert.pk, data=alert_data())


def test_returning_needs_a_reason_and_gives_the_draft_back(composer, approver):
    alert = services.alert_save(by=composer, data=alert_data())
    services.alert_submit(by=composer, alert_id=alert.pk)
    with pytest.raises(ValidationFailed):
        services.alert_return(by=approver, alert_id=alert.pk, reason="  ")
    returned = services.alert_return(by=approver, alert_id=alert.pk, reason="Ghi rõ tuyến đường")
    assert (returned.state, returned.return_reason) == ("draft", "Ghi rõ tuyến đường")


def test_an_update_references_the_original_and_retires_it(publish, composer, approver, cap_schema):
    original = publish()
    update = services.alert_follow_up(by=composer, alert_id=original.pk, msg_type="Update")
    assert (update.msg_type, update.references, update.headline) == ("Update", original, original.headline)
    services.alert_submit(by=composer, alert_id=update.pk)
    services.alert_approve(by=approver, alert_id=update.pk)
    original.refresh_from_db()
    assert original.state == "superseded"
    update.refresh_from_db()
    document = _document(update, cap_schema)
    assert document.findtext("cap:msgType", namespaces=CAP) == "Update"
    original_sent = timezone.localtime(original.sent).replace(microsecond=0).isoformat()
    references = document.findtext("cap:references", namespaces=CAP)
    assert references == f"canhbao@congan.local,{original.identifier},{original_sent}"


def test_a_cancel_lists_the_whole_thread_and_cancels_the_update(publish, composer, approver, cap_schema):
    original = publish()
    update = services.alert_follow_up(by=composer, alert_id=original.pk, msg_type="Update")
    services.alert_submit(by=composer, alert_id=update.pk)
    services.alert_approve(by=approver, alert_id=update.pk)
    cancel = services.alert_follow_up(by=composer, alert_id=update.pk, msg_type="Cancel")
    assert (cancel.response_type, cancel.urgency) == ("AllClear", "Past")
    services.alert_submit(by=composer, alert_id=cancel.pk)
    services.alert_approve(by=approver, alert_id=cancel.pk)
    update.refresh_from_db()
    cancel.refresh_from_db()
    assert update.state == "cancelled"
    references = _document(cancel, cap_schema).findtext("cap:references", namespaces=CAP).split()
    assert [item.split(",")[1] for item in references] == [original.identifier, update.identifier]
    with pytest.raises(InvalidTransition):
        services.alert_follow_up(by=composer, alert_id=cancel.pk, msg_type="Update")


def test_two_updates_of_one_alert_cannot_both_be_published(publish, composer, approver):
    original = publish()
    first = services.alert_follow_up(by=composer, alert_id=original.pk, msg_type="Update")
    second = services.alert_follow_up(by=composer, alert_id=original.pk, msg_type="Update")
    for draft in (first, second):
        services.alert_submit(by=composer, alert_id=draft.pk)
    services.alert_approve(by=approver, alert_id=first.pk)
    with pytest.raises(Conflict):
        services.alert_approve(by=approver, alert_id=second.pk)
    assert Alert.objects.get(pk=second.pk).state == "pending"


def test_follow_ups_are_only_updates_or_cancels(publish, composer):
    original = publish()
    with pytest.raises(ValidationFailed):
        services.alert_follow_up(by=composer, alert_id=original.pk, msg_type="Alert")


def test_every_content_error_is_reported_at_once(composer):
    bad = alert_data(
        category="Weather",
        headline="",
        polygon=[[16.1, 108.1], [16.2, 108.2]],
        circle_latitude=16.1,
        circle_longitude=None,
        circle_radius_km=3,
        commune_codes=["99999"],
        headline_en="Only a headline",
    )
    bad["expires"] = bad["effective"] - dt.timedelta(hours=1)
    with pytest.raises(ValidationFailed) as caught:
        services.alert_save(by=composer, data=bad)
    assert set(caught.value.details) == {
        "category",
        "headline",
        "polygon",
        "circle_radius_km",
        "commune_codes",
        "description_en",
        "expires",
    }
    assert not Alert.objects.exists()


def test_an_alert_needs_an_area_inside_vietnam(composer):
    with pytest.raises(ValidationFailed) as caught:
        services.alert_save(by=composer, data=alert_data(commune_codes=[]))
    assert "area" in caught.value.details
    with pytest.raises(ValidationFailed) as caught:
        services.alert_save(by=composer, data=alert_data(polygon=[[1, 1], [1, 2], [2, 2]]))
    assert "polygon" in caught.value.details


def test_a_drawn_area_fills_in_the_communes_it_covers(composer, seats):
    alert = services.alert_save(
        by=composer,
        data=alert_data(commune_codes=[], circle_latitude=16.12, circle_longitude=108.13, circle_radius_km=1),
    )
    assert alert.commune_codes == ["20194"]
    square = [[16.0, 108.0], [16.2, 108.0], [16.2, 108.3], [16.0, 108.3]]
    wide = services.alert_save(by=composer, data=alert_data(commune_codes=[], polygon=square))
    assert wide.commune_codes == ["20194", "20197"]


def test_an_expired_alert_cannot_be_published(composer, approver):
    alert = services.alert_save(by=composer, data=alert_data())
    services.alert_submit(by=composer, alert_id=alert.pk)
    Alert.objects.filter(pk=alert.pk).update(expires=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationFailed):
        services.alert_approve(by=approver, alert_id=alert.pk)


def test_officers_of_another_commune_cannot_touch_a_draft(composer, other_commune_officer):
    alert = services.alert_save(by=composer, data=alert_data())
    with pytest.raises(NotFound):
        services.alert_submit(by=other_commune_officer, alert_id=alert.pk)
