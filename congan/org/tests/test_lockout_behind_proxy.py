"""Behind the documented reverse proxy (nginx on loopback setting X-Real-IP), sign-in failures are
counted per officer and *client* address, the same address the audit records: a stranger failing
five times from elsewhere cannot lock an officer out."""

from __future__ import annotations

from axes.models import AccessAttempt

from congan.core.models import AuditEvent

PASSWORD = "mat-khau-thu-nghiem-1"  # set by OfficerFactory
LOGIN_URL = "/to-chuc/dang-nhap/"
PROXY = "127.0.0.1"  # in TRUSTED_PROXY_IPS by default


def through_proxy(client, username: str, password: str, client_address: str):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=client_address
    )


def test_failures_are_kept_under_the_client_address_the_audit_records(client, officer):
    through_proxy(client, officer.username, "sai-mat-khau", "203.0.113.66")

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.66"]
    assert AuditEvent.objects.get(action="org.login.failed").ip == "203.0.113.66"


def test_a_stranger_failing_from_elsewhere_does_not_lock_the_officer_out(client, officer):
    refused = [through_proxy(client, officer.username, f"sai-{n}", "203.0.113.66") for n in range(5)]
    assert refused[-1].status_code == 429  # the stranger's own address is locked out

    response = through_proxy(client, officer.username, PASSWORD, "198.51.100.20")

    assert response.status_code == 302


def test_a_forged_header_from_an_untrusted_address_is_ignored(client, officer):
    client.post(
        LOGIN_URL,
        {"username": officer.username, "password": "sai"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_REAL_IP="198.51.100.20",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.5"]
