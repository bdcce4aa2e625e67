"""Whether a signed-in user still owes a second factor.

The kernel's API authentication (``congan.core.api.OfficerSession``) asks; the app that keeps the
users' authenticator devices answers by registering a check in its ``AppConfig.ready()`` (org
registers ``officer_has_confirmed_device``). The kernel itself knows nothing of officers or devices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DeviceCheck = Callable[[Any], bool]

_device_checks: list[DeviceCheck] = []


def register_device_check(check: DeviceCheck) -> None:
    """Add ``check(user) -> bool``: True when ``user`` has a confirmed second-factor device."""
    if check not in _device_checks:
        _device_checks.append(check)


def registered_device_checks() -> tuple[DeviceCheck, ...]:
    return tuple(_device_checks)


def second_factor_pending(user: Any) -> bool:
    """True when ``user`` has a confirmed device but this session has not passed it yet."""
    if not hasattr(user, "is_verified") or user.is_verified():
        return False
    return any(check(user) for check in _device_checks)
