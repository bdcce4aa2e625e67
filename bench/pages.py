"""What the page benchmarks share: an officer's session with the second factor passed, a page
fetched through Django's test client, and timing a call as median and fastest of its repeats."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from congan.org.models import Officer


def signed_in(officer: Officer) -> Client:
    """The officer's session with the second factor passed (leaders and clerks must have one)."""
    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first() or TOTPDevice.objects.create(
        user=officer, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def page(client: Client, url: str) -> Callable[[], object]:
    """A call that fetches ``url`` and fails the benchmark on anything but 200."""

    def fetch() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response

    return fetch


def timed_ms(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median and fastest of ``repeats`` runs after a warm-up: on a shared machine the other load
    only adds time, so the fastest shows the call's own cost."""
    function()  # warm the caches once
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)
