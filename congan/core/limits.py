"""Rate limits and one-time proofs shared by every server process and machine.

``congan serve`` runs several worker processes, and a production site several machines: a limit
counted in a process's memory lets each of them through its whole number. Every limiter and every
"good once" check of the platform goes through this module, which keeps its counters in one store:

- the database (the embedded default, and production without Redis): table ``core_ratecounter``,
  one atomic upsert statement per hit (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, SQLite 3.35+
  and PostgreSQL), expired rows pruned now and then; UNLOGGED on PostgreSQL;
- Redis when ``REDIS_URL`` is set (``LIMITS_STORE`` chooses otherwise): one Lua script per hit
  (INCRBY, and PEXPIRE when the window is new), so every machine shares the counters.

A window starts at its bucket's first hit and lasts ``window_seconds``: a limit of N lets exactly
N through per window, whichever process answers. Limits above ``LEASE_ABOVE`` are served from
blocks of the shared count (see ``Limiter``): never more than N, one statement per block.
Buckets are stored as keyed digests (the name before the first ``:`` stays readable), so ID
numbers and phone numbers in bucket names are not kept in clear.

Call a limit before opening a transaction: inside one, the database store's count is committed
or rolled back with it (and holds the counter's row until then).
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from congan.core.errors import RateLimited, ServiceUnavailable

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 60.0
# Limits above LEASE_ABOVE are served from leases of at most LEASE_MAX units (see Limiter).
LEASE_ABOVE, LEASE_FRACTION, LEASE_MAX = 64, 16, 64


@dataclass(frozen=True)
class Hit:
    """A bucket's count after this hit, and when its window ends (Unix time, milliseconds)."""

    count: int
    expires_ms: int


class Store(Protocol):
    def hit(self, bucket: str, *, window_ms: int, now_ms: int, units: int = 1) -> Hit:
        """Add ``units`` to the bucket's window (a new one when it has ended); its count after."""
        ...


class DatabaseStore:
    """Counters in ``core_ratecounter`` on the default database, one statement per hit."""

    _HIT = (
        "INSERT INTO core_ratecounter (bucket, hits, expires_ms) VALUES (%s, %s, %s) "
        "ON CONFLICT (bucket) DO UPDATE SET "
        "hits = CASE WHEN core_ratecounter.expires_ms <= %s "
        "THEN excluded.hits ELSE core_ratecounter.hits + excluded.hits END, "
        "expires_ms = CASE WHEN core_ratecounter.expires_ms <= %s "
        "THEN excluded.expires_ms ELSE core_ratecounter.expires_ms END "
        "RETURNING hits, expires_ms"
    )

    def __init__(self) -> None:
        self._next_prune = 0.0
        self._prune_lock = threading.Lock()

    def hit(self, bucket: str, *, window_ms: int, now_ms: int, units: int = 1) -> Hit:
        with connection.cursor() as cursor:
            cursor.execute(self._HIT, [bucket, units, now_ms + window_ms, now_ms, now_ms])
            hits, expires_ms = cursor.fetchone()
        self._maybe_prune(now_ms)
        return Hit(count=int(hits), expires_ms=int(expires_ms))

    def _maybe_prune(self, now_ms: int) -> None:
        now = time.monotonic()
        if now < self._next_prune or connection.in_atomic_block or not self._prune_lock.acquire(blocking=False):
            return
        try:
            self._next_prune = now + PRUNE_EVERY_SECONDS
            self.prune(now_ms)
        finally:
            self._prune_lock.release()

    def prune(self, now_ms: int) -> int:
        """Delete the windows and proofs that have expired; returns how many."""
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_ratecounter WHERE expires_ms <= %s", [now_ms])
            return max(cursor.rowcount, 0)


class RedisStore:
    """Counters in Redis, shared by every machine: one round trip per hit."""

    _SCRIPT = """
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""

    def __init__(self, url: str) -> None:
        import redis

        # Short timeouts and one try: a request must not hang on a store that is down.
        self._client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1, retry=None)
        self._script = self._client.register_script(self._SCRIPT)

    def hit(self, bucket: str, *, window_ms: int, now_ms: int, units: int = 1) -> Hit:
        from redis.exceptions import RedisError

        try:
            hits, ttl_ms = self._script(keys=[f"congan:limit:{bucket}"], args=[window_ms, units])
        except RedisError as exc:
            # Fail closed: a limit that cannot be counted is not waved through (503, not a 500).
            logger.warning("limit store unreachable: %s", exc)
            raise ServiceUnavailable() from exc
        return Hit(count=int(hits), expires_ms=now_ms + int(ttl_ms))


@functools.cache
def store() -> Store:
    """The store named by LIMITS_STORE: ``redis`` (REDIS_URL) or ``database``."""
    if settings.LIMITS_STORE == "redis":
        if not settings.REDIS_URL:
            raise RuntimeError("LIMITS_STORE=redis needs REDIS_URL")
        return RedisStore(settings.REDIS_URL)
    return DatabaseStore()


@receiver(setting_changed)
def _forget_store(*, setting: str, **kwargs: Any) -> None:
    if setting in ("LIMITS_STORE", "REDIS_URL"):
        store.cache_clear()
        forget_leases()


@functools.lru_cache(maxsize=4)
def _digest_key(secret: str) -> bytes:
    return hashlib.sha256(f"congan.core.limits:{secret}".encode()).digest()


def stored_bucket(bucket: str) -> str:
    """The name a bucket is stored under: its readable kind and a keyed digest of the whole."""
    kind = bucket.split(":", 1)[0][:40]
    digest = hashlib.blake2b(bucket.encode(), key=_digest_key(settings.SECRET_KEY), digest_size=16).hexdigest()
    return f"{kind}:{digest}"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class Limiter:
    """Admits calls against limits kept in ``store()``.

    A limit up to ``LEASE_ABOVE`` costs one store statement per call and is exact. A larger one (a
    partner key's hundreds a minute) is served from leases: the process reserves a block of the
    window's units in one statement (at most 1/LEASE_FRACTION of what it believes is left, at most
    LEASE_MAX, one when little is left) and admits calls from it in memory. Units are numbered by
    the shared counter, so only units numbered within the limit are ever admitted: never more than
    the limit across processes. A block a process has not used when its traffic stops, or when the
    window ends, is lost: at worst a little fewer than the limit get through in that window. Once a
    process has seen the window exhausted it refuses without asking the store until it ends.
    """

    def __init__(self) -> None:
        self._leases: dict[str, _Lease] = {}

    def forget(self) -> None:
        self._leases.clear()

    def admit(self, bucket: str, *, limit: int, window_seconds: float) -> tuple[bool, int, int]:
        """(admitted, when the window ends, now), both times in Unix milliseconds."""
        now_ms, window_ms = _now_ms(), int(window_seconds * 1000)
        if limit <= LEASE_ABOVE:
            hit = store().hit(stored_bucket(bucket), window_ms=window_ms, now_ms=now_ms)
            return hit.count <= limit, hit.expires_ms, now_ms
        lease = self._leases.get(bucket)
        if lease is None:
            if len(self._leases) > 10_000:
                self._leases.clear()
            lease = self._leases.setdefault(bucket, _Lease())
        with lease.lock:
            return lease.take(bucket, limit=limit, window_ms=window_ms, now_ms=now_ms), lease.expires_ms, now_ms


class _Lease:
    """This process's block of one bucket's units in the current window: ``next``..``last``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.expires_ms = self.next = self.last = self.seen = 0

    def take(self, bucket: str, *, limit: int, window_ms: int, now_ms: int) -> bool:
        if self.expires_ms <= now_ms:  # a new window: nothing reserved, nothing known
            self.next = self.last = self.seen = 0
        elif self.next <= self.last:
            self.next += 1
            return self.next - 1 <= limit
        elif self.seen >= limit:
            return False  # the window is used up: no need to ask again before it ends
        units = max(1, min(LEASE_MAX, (limit - self.seen) // LEASE_FRACTION))
        hit = store().hit(stored_bucket(bucket), window_ms=window_ms, now_ms=now_ms, units=units)
        first = hit.count - units + 1
        self.expires_ms, self.seen, self.next, self.last = hit.expires_ms, hit.count, first + 1, hit.count
        return first <= limit


_limiter = Limiter()


def forget_leases() -> None:
    """Drop this process's leases (tests, and a change of store)."""
    _limiter.forget()


def rate_limit(*, bucket: str, limit: int, window_seconds: int = 60) -> None:
    """Let ``limit`` calls per window through, counted in every process and machine alike;
    RateLimited (with its Retry-After) beyond it."""
    admitted, expires_ms, now_ms = _limiter.admit(bucket, limit=limit, window_seconds=window_seconds)
    if not admitted:  # Retry-After: whole seconds until the window ends, at least one
        raise RateLimited(retry_after=max(1, math.ceil((expires_ms - now_ms) / 1000)))


def once(*, key: str, ttl_seconds: int) -> bool:
    """True the first time ``key`` is presented within ``ttl_seconds``, False ever after (a spent
    proof, a used nonce), across every process and machine."""
    hit = store().hit(stored_bucket(f"once:{key}"), window_ms=max(1, ttl_seconds) * 1000, now_ms=_now_ms())
    return hit.count == 1


@functools.lru_cache(maxsize=4096)
def client_bucket(client_ip: str | None) -> str:
    """One bucket per IPv4 address, and per /64 for IPv6 (one subscriber's network holds a whole
    /64, so counting single IPv6 addresses would let one caller rotate past the limit)."""
    try:
        address = ipaddress.ip_address(client_ip or "")
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def rate_limit_client(*, name: str, client_ip: str | None, limit: int, window_seconds: int) -> None:
    """``rate_limit`` for anonymous callers, one bucket per client address (see ``client_bucket``)."""
    rate_limit(bucket=f"{name}:{client_bucket(client_ip)}", limit=limit, window_seconds=window_seconds)
