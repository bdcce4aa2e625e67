"""Alert subscriptions clean the phone or e-mail address with the platform's cleaner
(congan.core.contacts): a number that cannot receive an SMS is refused before any code is sent."""

from __future__ import annotations

import pytest

from congan.alerts import services
from congan.alerts.models import Subscription
from congan.core.errors import ValidationFailed
from congan.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("recipient", ["0800123456", "0712345678", "0236 3822 222", "+1 650 253 0000"])
def test_a_number_that_receives_no_sms_is_refused(seats, recipient):
    with pytest.raises(ValidationFailed) as caught:
        services.subscription_request(channel="sms", recipient=recipient, commune_codes=["20194"])

    assert "+84" in caught.value.details["recipient"][0]
    assert not Subscription.objects.exists()
    assert not Notification.objects.exists()


def test_a_mobile_number_written_internationally_is_the_same_subscriber(seats):
    first = services.subscription_request(channel="sms", recipient="+84 905 999 888", commune_codes=["20194"])
    again = services.subscription_request(channel="sms", recipient="0905.999.888", commune_codes=["20194"])

    assert first[0].pk == again[0].pk
    assert first[0].recipient == "0905999888"


def test_an_address_that_django_refuses_is_refused(seats):
    with pytest.raises(ValidationFailed) as caught:
        services.subscription_request(channel="email", recipient="lan..a@example.vn", commune_codes=["20194"])

    assert "recipient" in caught.value.details
