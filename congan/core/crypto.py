"""Keyed digests of short secrets (one-time codes) so a database reader cannot use them."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def keyed_digest(value: str) -> str:
    """HMAC-SHA-256 of ``value`` under the site's secret key, hex."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def digest_matches(digest: str, value: str) -> bool:
    return hmac.compare_digest(digest, keyed_digest(value))
