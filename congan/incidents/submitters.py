"""Who submitted a report, for its client token: a resent token finds the first report only when
the same submitter sends it again.

A client token (the form's hidden ``client_token``, or ``client_token`` / ``Idempotency-Key`` in
the API) was one namespace for everyone, so resending someone else's token returned their
tracking code and timeline. The stored key (``Report.client_token``) is now the SHA-256 of the
submitter and the token:

- an officer (hotline) or a partner's key (Open311): the account;
- the public, on the form and the API: a per-client secret, the ``congan_reporter`` cookie. The
  form's page sets it before the first report; the API sets it on its first answer, and a client
  may also make its own (32 random bytes, base64url) and send it from its first call;
- no secret at all (a client that keeps no cookie, a server-side caller that gives none): a new
  one for that call, so its token can never be replayed.

A token resent by anyone else is thus a token never seen: a new report (201), not a refusal that
would tell the token exists. The key keeps nothing of the secret, and two reports of one client
have unrelated keys. See docs/decisions/0016-report-submitter-scope.md.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils.http import http_date

from congan.core.audit import Actor

if TYPE_CHECKING:
    from congan.core.models import ApiKey
    from congan.org.models import Officer

COOKIE = "congan_reporter"
COOKIE_MAX_AGE = 30 * 24 * 3600  # retries come within minutes; a month outlives any form left open
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,128}")


def client_secret(cookie: str | None) -> tuple[str, bool]:
    """The client's secret from its cookie value, or a new one: (secret, whether it is new)."""
    if cookie and _SECRET.fullmatch(cookie):
        return cookie, False
    return secrets.token_urlsafe(32), True


def secret_from_cookie_header(header: str) -> tuple[str, bool]:
    """``client_secret`` from a raw ``Cookie`` header (the fast lane has no parsed cookies)."""
    return client_secret(parse_cookie(header).get(COOKIE) if header else None)


def _attributes() -> dict[str, Any]:
    return {"max_age": COOKIE_MAX_AGE, "path": "/", "secure": settings.SESSION_COOKIE_SECURE, "samesite": "Lax"}


def remember(response: HttpResponse, secret: str) -> None:
    """Set the client's secret on a Django response."""
    response.set_cookie(COOKIE, secret, httponly=True, **_attributes())


def cookie_header(secret: str) -> tuple[str, str]:
    """The cookie ``remember`` sets, as a ``Set-Cookie`` header for the fast lane: the same
    attributes, written out directly (a secret needs no quoting: base64url), since a Django
    response or a ``Morsel`` to carry it cost a tenth of a quick report's time."""
    attributes = _attributes()
    expires = http_date(time.time() + attributes["max_age"])
    secure = "; Secure" if attributes["secure"] else ""
    return (
        "Set-Cookie",
        f"{COOKIE}={secret}; expires={expires}; HttpOnly; Max-Age={attributes['max_age']}; "
        f"Path={attributes['path']}; SameSite={attributes['samesite']}{secure}",
    )


def submission_key(*, client_token: str, by: Officer | ApiKey | None = None, secret: str = "") -> str:
    """The stored key of ``client_token`` sent by ``by`` (an officer or a partner's key) or, for
    the public, by the holder of ``secret``; without either, a key nobody can send again."""
    if by is not None:
        actor = Actor.of(by)
        scope = f"{actor.type}:{actor.id}"
    else:
        scope = f"client:{secret or secrets.token_urlsafe(32)}"
    return hashlib.sha256(f"{scope}\n{client_token}".encode()).hexdigest()
