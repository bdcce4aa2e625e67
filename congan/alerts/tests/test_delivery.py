"""Subscriptions and delivery: confirmation codes, fan-out to the right subscribers only, no second
message on a repeated fan-out, delivery reports from the gateway, and the counts."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from congan.alerts import selectors, services
from congan.alerts.models import Alert, Subscription
from congan.alerts.tests.conftest import HAI_VAN_SEAT, LIEN_CHIEU_SEAT
from congan.core.errors import NotFound, ValidationFailed
from congan.core.models import Notification
from congan.core.notifications import notification_receipt, notifications_deliver

pytestmark = pytest.mark.django_db


def _active(channel, recipient, commune_code="", latitude=None, longitude=None):
    return Subscription.objects.create(
        channel=channel,
        recipient=recipient,
        commune_code=commune_code,
        latitude=latitude,
        longitude=longitude,
        token=f"t-{recipient}-{commune_code}",
        status=Subscription.Status.ACTIVE,
    )


def _code_sent_to(recipient: str) -> str:
    body = Notification.objects.filter(recipient=recipient).latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_subscription_waits_for_the_code_sent_to_the_phone(seats):
    rows = services.subscription_request(channel="sms", recipient="+84 905 111 222", commune_codes=["20194", "20197"])
    assert {row.status for row in rows} == {"pending"} and {row.recipient for row in rows} == {"0905111222"}
    code = _code_sent_to("0905111222")
    with pytest.raises(ValidationFailed):
        services.subscription_confirm(channel="sms", recipient="0905111222", code="000000" if code != "000000" else "1")
    assert Subscription.objects.filter(confirm_attempts=1).count() == 2
    assert services.subscription_confirm(channel="sms", recipient="0905 111 222", code=code) == 2
    assert set(Subscription.objects.values_list("status", flat=True)) == {"active"}


def test_five_wrong_codes_lock_the_pending_subscription(seats):
    services.subscription_request(channel="email", recipient="Lan@Example.vn", commune_codes=["20194"])
    code = _code_sent_to("lan@example.vn")
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            services.subscription_confirm(channel="email", recipient="lan@example.vn", code=wrong)
    with pytest.raises(ValidationFailed):
        services.subscription_confirm(channel="email", recipient="lan@example.vn", code=code)


def test_a_signed_in_citizens_own_phone_needs_no_code(seats):
    rows = services.subscription_request(channel="sms", recipient="0905999888", commune_codes=["20194"], citizen=None)
    assert rows[0].status == "pending"
    Subscription.objects.all().delete()
    rows = services.subscription_request(
        channel="sms", recipient="0905999888", commune_codes=["20194"], citizen=_citizen_account(phone="0905999888")
    )
    assert rows[0].status == "active"


def _citizen_account(phone: str):
    from congan.population.models import CitizenAccount
    from congan.population.tests.factories import ResidentFactory

    return CitizenAccount.objects.create(resident=ResidentFactory(), phone=phone, password="!")


def test_bad_subscriptions_are_refused_with_field_errors(seats):
    cases = [
        ({"channel": "sms", "recipient": "12345", "commune_codes": ["20194"]}, "recipient"),
        ({"channel": "fax", "recipient": "0905111222", "commune_codes": ["20194"]}, "channel"),
        ({"channel": "sms", "recipient": "0905111222", "commune_codes": ["99999"]}, "commune_codes"),
        ({"channel": "sms", "recipient": "0905111222", "commune_codes": []}, "commune_codes"),
        ({"channel": "sms", "recipient": "0905111222", "commune_codes": [], "latitude": 1, "longitude": 1}, "location"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            services.subscription_request(**values)
        assert field in caught.value.details, values
    assert not Subscription.objects.exists()


def test_fan_out_reaches_the_right_subscribers_only(publish, seats):
    in_commune = _active("sms", "0905000001", "20194")
    _active("sms", "0905000002", "20197")  # another commune
    Subscription.objects.create(
        channel="sms", recipient="0905000003", commune_code="20194", token="p", status=Subscription.Status.PENDING
    )  # never confirmed
    Subscription.objects.create(
        channel="sms", recipient="0905000004", commune_code="20194", token="e", status=Subscription.Status.ENDED
    )  # unsubscribed
    near = _active("email", "gan@example.vn", latitude=HAI_VAN_SEAT[0] + 0.001, longitude=HAI_VAN_SEAT[1])
    _active("email", "xa@example.vn", latitude=LIEN_CHIEU_SEAT[0], longitude=LIEN_CHIEU_SEAT[1] + 0.01)
    alert = publish()  # commune 20194; the immediate task backend fans out on commit
    messages = Notification.objects.filter(target_type="alerts.alert", target_id=str(alert.pk))
    assert sorted(messages.values_list("recipient", flat=True)) == sorted([in_commune.recipient, near.recipient])
    sms = messages.get(channel="sms")
    assert alert.headline in sms.body and f"/canh-bao/{alert.identifier}/" in sms.body
    assert sms.body.endswith(f"/canh-bao/huy-dang-ky/{in_commune.token}/")  # every message can end them
    email = messages.get(channel="email")
    assert f"/canh-bao/huy-dang-ky/{near.token}/" in email.body
    assert services.alert_fan_out(alert_id=alert.pk) == 0
    assert messages.count() == 2


def test_a_location_inside_the_drawn_polygon_is_reached_even_outside_listed_communes(publish, seats):
    inside = _active("sms", "0905000009", latitude=16.20, longitude=108.40)
    alert = publish(commune_codes=["20197"], polygon=[[16.15, 108.35], [16.25, 108.35], [16.25, 108.45]])
    recipients = list(Notification.objects.filter(target_id=str(alert.pk)).values_list("recipient", flat=True))
    assert recipients == [inside.recipient]


def test_counts_follow_sending_and_the_gateways_delivery_reports(publish, seats):
    for index in range(3):
        _active("sms", f"090500010{index}", "20194")
    alert = publish()
    assert selectors.delivery_counts(alert)["total"] == 3
    notifications_deliver()
    first, second, _third = Notification.objects.filter(target_id=str(alert.pk)).order_by("pk")
    notification_receipt(notification_id=first.pk, delivered=True)
    notification_receipt(notification_id=second.pk, delivered=False, error="Thuê bao không liên lạc được")
    notification_receipt(notification_id=first.pk, delivered=False)  # a late, contradicting report changes nothing
    counts = selectors.delivery_counts(alert)
    assert (counts["delivered"], counts["failed"], counts["sent"], counts["pending"]) == (1, 1, 1, 0)
    assert counts["handed_over"] == 2
    with pytest.raises(NotFound):
        notification_receipt(notification_id=10**9, delivered=True)


def test_unsubscribing_stops_further_alerts(publish, seats):
    row = _active("sms", "0905000200", "20194")
    services.subscription_end(token=row.token)
    alert = publish()
    assert not Notification.objects.filter(target_id=str(alert.pk)).exists()
    with pytest.raises(NotFound):
        services.subscription_end(token="no-such-token")


def test_the_fanout_command_finishes_an_interrupted_fan_out(publish, seats):
    _active("sms", "0905000300", "20194")
    alert = publish()
    Notification.objects.filter(target_id=str(alert.pk)).delete()
    Alert.objects.filter(pk=alert.pk).update(fanout_done_at=None)  # as if the worker died mid-way
    out = io.StringIO()
    call_command("alerts_fanout", stdout=out)
    assert f"{alert.identifier}: 1 messages queued" in out.getvalue()
    assert Notification.objects.filter(target_id=str(alert.pk)).count() == 1
    call_command("alerts_fanout", stdout=out)
    assert Notification.objects.filter(target_id=str(alert.pk)).count() == 1
