"""congan.core.limits: a limit of N lets exactly N through per window, a window starts at its first
hit, a key is good once, buckets are stored as digests and pruned once expired — in the database
(the embedded default) and in Redis (when a redis-server is installed)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from congan.core import limits
from congan.core.errors import RateLimited, ServiceUnavailable
from congan.core.models import RateCounter
from congan.core.testing.redis import redis_server

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000_000  # a fixed "now", in milliseconds


@pytest.fixture
def clock(monkeypatch) -> Iterator[list[int]]:
    now = [T0]
    monkeypatch.setattr(limits, "_now_ms", lambda: now[0])
    yield now


@pytest.fixture(params=["database", "redis"])
def store(request, settings, tmp_path) -> Iterator[str]:
    if request.param == "database":
        settings.LIMITS_STORE = "database"
        yield "database"
        return
    with redis_server(tmp_path) as url:
        settings.REDIS_URL, settings.LIMITS_STORE = url, "redis"
        yield "redis"


def _outcomes(calls: int, **kwargs) -> list[int | str]:
    outcomes: list[int | str] = []
    for _call in range(calls):
        try:
            limits.rate_limit(**kwargs)
        except RateLimited as exc:
            outcomes.append(exc.retry_after)
        else:
            outcomes.append("ok")
    return outcomes


def test_a_limit_of_n_lets_exactly_n_through_and_says_when_to_retry(store, clock):
    assert _outcomes(5, bucket="test:a", limit=3, window_seconds=60) == ["ok", "ok", "ok", 60, 60]
    assert _outcomes(1, bucket="test:b", limit=3, window_seconds=60) == ["ok"]  # another bucket counts apart


def test_a_window_lasts_from_its_first_hit_and_a_new_one_begins_when_it_ends(clock, settings):
    settings.LIMITS_STORE = "database"  # Redis expires its keys on its own clock: see the test below
    assert _outcomes(3, bucket="test:w", limit=2, window_seconds=60) == ["ok", "ok", 60]
    clock[0] += 20_500
    assert _outcomes(1, bucket="test:w", limit=2, window_seconds=60) == [40]
    clock[0] += 39_500
    assert _outcomes(3, bucket="test:w", limit=2, window_seconds=60) == ["ok", "ok", 60]


def _admitted(limiter: limits.Limiter, limit: int) -> bool:
    return limiter.admit("apikey:7", limit=limit, window_seconds=60)[0]


def test_a_large_limit_is_leased_in_blocks_yet_exact_across_processes(store, clock):
    first, second = limits.Limiter(), limits.Limiter()  # two server processes
    outcomes = [_admitted(first if n % 2 else second, 100) for n in range(300)]
    assert outcomes.count(True) == 100 and outcomes[:100] == [True] * 100


def test_a_lease_never_lets_more_than_the_limit_through_when_traffic_moves(store, clock):
    first, second = limits.Limiter(), limits.Limiter()
    assert _admitted(first, 100)  # the first process leases a block, uses one unit, then goes quiet
    admitted = sum(_admitted(second, 100) for _call in range(200)) + 1
    assert 100 - limits.LEASE_MAX <= admitted <= 100


def test_a_leased_limit_asks_the_store_once_per_block_and_not_at_all_once_used_up(
    clock, settings, django_assert_max_num_queries, django_assert_num_queries
):
    settings.LIMITS_STORE = "database"
    limiter = limits.Limiter()
    with django_assert_max_num_queries(2):
        assert all(_admitted(limiter, 1000) for _call in range(10))
    while _admitted(limiter, 1000):
        pass
    with django_assert_num_queries(0):
        assert not any(_admitted(limiter, 1000) for _call in range(10))
    clock[0] += 60_000  # the next window
    assert _admitted(limiter, 1000)


def test_a_key_is_good_once(store):
    assert limits.once(key="proof-1", ttl_seconds=60) is True
    assert limits.once(key="proof-1", ttl_seconds=60) is False
    assert limits.once(key="proof-2", ttl_seconds=60) is True


def test_buckets_are_kept_as_keyed_digests_never_in_clear(clock, settings):
    settings.LIMITS_STORE = "database"
    limits.rate_limit(bucket="citizen-reset:048090000123", limit=3, window_seconds=600)
    [row] = RateCounter.objects.all()
    assert row.bucket.startswith("citizen-reset:") and "048090000123" not in row.bucket
    assert (row.hits, row.expires_ms) == (1, T0 + 600_000)


def test_expired_windows_and_proofs_are_pruned(clock, settings):
    settings.LIMITS_STORE = "database"
    limits.rate_limit(bucket="test:short", limit=3, window_seconds=10)
    limits.once(key="proof", ttl_seconds=300)
    clock[0] += 10_000
    assert limits.DatabaseStore().prune(clock[0]) == 1
    assert [row.bucket.split(":")[0] for row in RateCounter.objects.all()] == ["once"]


@pytest.mark.django_db(transaction=True)
def test_the_database_store_prunes_now_and_then_on_its_own(settings, monkeypatch):
    settings.LIMITS_STORE = "database"
    store = limits.DatabaseStore()
    store.hit("test:old", window_ms=1_000, now_ms=T0)  # a process's first hit also prunes
    store.hit("test:new", window_ms=1_000, now_ms=T0 + 5_000)  # not yet: once a minute
    assert RateCounter.objects.count() == 2
    monkeypatch.setattr(limits, "PRUNE_EVERY_SECONDS", 0.0)
    store._next_prune = 0.0
    store.hit("test:newer", window_ms=1_000, now_ms=T0 + 5_000)
    assert sorted(RateCounter.objects.values_list("hits", flat=True)) == [1, 1]


def test_the_redis_store_expires_a_window_on_its_own(tmp_path):
    with redis_server(tmp_path) as url:
        store = limits.RedisStore(url)
        assert [store.hit("test:e", window_ms=50, now_ms=T0).count for _hit in range(2)] == [1, 2]
        time.sleep(0.2)
        assert store.hit("test:e", window_ms=50, now_ms=T0).count == 1


def test_the_redis_store_counts_the_same_from_two_clients(settings, tmp_path):
    with redis_server(tmp_path) as url:
        first, second = limits.RedisStore(url), limits.RedisStore(url)
        counts = [store.hit("test:r", window_ms=60_000, now_ms=T0).count for store in (first, second, first)]
        assert counts == [1, 2, 3]
        assert 0 < second.hit("test:r", window_ms=60_000, now_ms=T0).expires_ms - T0 <= 60_000


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_anonymous_callers_are_counted_per_address_and_per_ipv6_network(address, bucket):
    assert limits.client_bucket(address) == bucket


@pytest.mark.postgres_only
def test_the_counters_skip_the_write_ahead_log_on_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'core_ratecounter'")
        assert cursor.fetchone() == ("u",)  # UNLOGGED


def test_an_unreachable_redis_store_refuses_the_call_with_503_not_500(settings, client):
    """Fail closed: a limit that cannot be counted lets nothing through, and says so clearly."""
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.REDIS_URL, settings.LIMITS_STORE = f"redis://127.0.0.1:{port}/0", "redis"
    with pytest.raises(ServiceUnavailable):
        limits.rate_limit(bucket="unreachable", limit=5, window_seconds=60)
    response = client.get("/api/v1/violations/lookup?plate=43A12345&vehicle_kind=car")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
