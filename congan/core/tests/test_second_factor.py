"""The API's session authentication asks whoever registered a device check whether a signed-in
user still owes a second factor; the kernel itself knows nothing of officers or devices."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from congan.core import second_factor
from congan.core.api import officer_auth


def _user(*, verified: bool, has_device: bool) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=True, is_verified=lambda: verified, has_device=has_device)


@pytest.fixture
def device_check(monkeypatch):
    """Only a check that reads the fake user's ``has_device`` is registered during the test."""
    monkeypatch.setattr(second_factor, "_device_checks", [])
    second_factor.register_device_check(lambda user: user.has_device)


def test_a_user_with_a_device_and_an_unverified_session_is_refused(device_check):
    user = _user(verified=False, has_device=True)

    assert second_factor.second_factor_pending(user)
    assert officer_auth.authenticate(SimpleNamespace(user=user), None) is None


def test_a_verified_session_is_accepted(device_check):
    user = _user(verified=True, has_device=True)

    assert officer_auth.authenticate(SimpleNamespace(user=user), None) is user


def test_a_user_without_a_device_is_accepted(device_check):
    user = _user(verified=False, has_device=False)

    assert officer_auth.authenticate(SimpleNamespace(user=user), None) is user


def test_registering_the_same_check_twice_keeps_one(monkeypatch):
    monkeypatch.setattr(second_factor, "_device_checks", [])

    def check(user):
        return True

    second_factor.register_device_check(check)
    second_factor.register_device_check(check)

    assert second_factor.registered_device_checks() == (check,)
