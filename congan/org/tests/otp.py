"""Two-factor helpers for tests: sign an officer in with a second factor already passed.

Officers of the roles in TWO_FACTOR_REQUIRED_ROLES (leaders, administrators) are sent to the
two-factor setup page by ``RequireTwoFactorMiddleware`` until they have one, so page tests for
them sign in with ``verified_login`` instead of a bare ``client.force_login``.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_device(officer: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=officer, name="TOTP", confirmed=True)


def current_token(device: TOTPDevice) -> str:
    """The six-digit code the officer's authenticator app shows right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verified_login(client: Client, officer: Any) -> TOTPDevice:
    """``force_login`` plus a passed second factor (a confirmed TOTP device marked in the session)."""
    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first() or confirmed_totp_device(officer)
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
