"""A self-hosted proof-of-work challenge for the public plate lookup (no external captcha service).

The server hands out ``salt.expires.bits.signature`` (HMAC with the site's secret, so nothing is
stored until a proof comes back). The client finds a nonce such that SHA-256 of
``challenge:nonce`` starts with ``bits`` zero bits (about 2**bits hashes: a fraction of a second
in a browser, costly for a scraper asking thousands of plates) and sends ``challenge:nonce`` as
its proof. A proof is good once, until the challenge expires, whichever server process sees it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings

from congan.core.limits import once, rate_limit_client

LIFETIME_SECONDS = 300
ALGORITHM = "SHA-256"


def _signature(payload: str) -> str:
    key = hashlib.sha256(f"traffic-challenge:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:32]


def challenge_issue(*, now: float | None = None) -> dict[str, object]:
    expires = int((now or time.time()) + LIFETIME_SECONDS)
    payload = f"{secrets.token_hex(8)}.{expires}.{settings.TRAFFIC_CHALLENGE_BITS}"
    return {
        "challenge": f"{payload}.{_signature(payload)}",
        "bits": settings.TRAFFIC_CHALLENGE_BITS,
        "algorithm": ALGORITHM,
        "expires": expires,
    }


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def proof_accept(proof: str, *, now: float | None = None) -> bool:
    """True once for a correct, unexpired proof; False for anything else (never an exception)."""
    challenge, _sep, nonce = (proof or "").rpartition(":")
    parts = challenge.split(".")
    if len(parts) != 4 or not nonce or len(nonce) > 32:
        return False
    salt, expires, bits, signature = parts
    if not hmac.compare_digest(signature, _signature(f"{salt}.{expires}.{bits}")):
        return False
    if not expires.isdigit() or int(expires) < (now or time.time()) or not bits.isdigit():
        return False
    if int(bits) < settings.TRAFFIC_CHALLENGE_BITS:
        return False
    if leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < int(bits):
        return False
    # Spent in every process and machine at once (congan.core.limits), until well past its expiry.
    return once(key=f"traffic-proof:{salt}", ttl_seconds=int(expires) - int(now or time.time()) + 60)


def lookup_admit(proof: str, *, client_ip: str | None) -> bool:
    """A public lookup from this address may go ahead: within the per-minute limit (RateLimited
    otherwise) and with a correct, unused proof."""
    rate_limit_client(
        name="traffic-lookup", client_ip=client_ip, limit=settings.TRAFFIC_LOOKUP_PER_MINUTE, window_seconds=60
    )
    return proof_accept(proof)


def proof_solve(challenge: str, bits: int) -> str:
    """What a client does (used by tests and the benchmark): find the nonce by brute force."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return f"{challenge}:{nonce}"
