"""Fixtures of the kernel shared by every app's tests.

The persona fixtures (province, commune, officer, leader…) belong to the organisation app, which
owns units, officers and roles: see congan/org/tests/fixtures.py, loaded next to this module by
the root conftest.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture(params=["django", "fast lane"])
def either_client(request):
    """Django's test client, then a client that sends the fast lane's routes through the lane: a
    test taking this fixture runs once through each transport."""
    from django.test import Client

    from congan.core.testing.fastlane import FastLaneClient

    return Client() if request.param == "django" else FastLaneClient()
