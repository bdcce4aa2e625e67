"""Partner API keys: issue (shown once), rotate, revoke, authenticate, rate-limit."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congan.core.actors import StaffUser, System
from congan.core.audit import audit_record
from congan.core.errors import Conflict, ValidationFailed
from congan.core.limits import rate_limit
from congan.core.models import ApiClient, ApiKey

KEY_PREFIX = "cgk_"
# Scopes known to the platform; apps add theirs with ``register_scope`` (descriptions translated lazily).
SCOPES: dict[str, Any] = {"meta.read": gettext_lazy("Đọc thông tin chung của API")}


def register_scope(name: str, description: Any) -> None:
    SCOPES[name] = description


def digest(raw_key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast hash is enough (no password stretching).
    return hashlib.sha256(raw_key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    raw: str  # shown once to the administrator, never stored


@transaction.atomic
def api_client_create(
    *,
    by: StaffUser | System,
    name: str,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> ApiClient:
    """Register a partner agency's system (đối tác) that may then be issued keys."""
    name = name.strip()
    if not name:
        raise ValidationFailed(details={"name": [_("Phải nhập tên cơ quan, tổ chức.")]})
    if ApiClient.objects.filter(name__iexact=name).exists():
        raise ValidationFailed(details={"name": [_("Đối tác này đã có trong hệ thống.")]})
    client = ApiClient.objects.create(
        name=name,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
    )
    audit_record(actor=by, action="core.api_client.create", target=client, details={"name": client.name})
    return client


@transaction.atomic
def api_client_set_active(*, by: StaffUser | System, client: ApiClient, active: bool) -> ApiClient:
    """Suspend or resume a partner: while suspended every one of its keys is refused (401)."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.active == active:
        return client
    client.active = active
    client.save(update_fields=["active", "updated_at"])
    clear_key_cache()
    transaction.on_commit(clear_key_cache)
    audit_record(actor=by, action="core.api_client.activate" if active else "core.api_client.suspend", target=client)
    return client


@transaction.atomic
def api_key_issue(
    *,
    by: StaffUser | System,
    client: ApiClient,
    name: str,
    scopes: list[str],
    rate_limit_per_minute: int = 600,
    expires_at: Any = None,
) -> IssuedKey:
    if not ApiClient.objects.filter(pk=client.pk, active=True).exists():
        raise ValidationFailed(details={"client": [_("Đối tác đang ngừng hoạt động.")]})
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationFailed(details={"scopes": [_("Phạm vi không tồn tại: %s") % ", ".join(unknown)]})
    if rate_limit_per_minute < 1:
        raise ValidationFailed(details={"rate_limit_per_minute": [_("Giới hạn phải lớn hơn 0.")]})
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        client=client,
        name=name,
        prefix=prefix,
        digest=digest(raw),
        scopes=sorted(set(scopes)),
        rate_limit_per_minute=rate_limit_per_minute,
        expires_at=expires_at,
        created_by=_creator(by),
    )
    audit_record(
        actor=by,
        action="core.api_key.issue",
        target=key,
        details={"client": client.pk, "scopes": key.scopes},
    )
    return IssuedKey(key=key, raw=raw)


def _creator(by: StaffUser | System) -> Any:
    """The user recorded as a key's creator: the signed-in user, None for the system."""
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def api_key_revoke(*, by: StaffUser | System, key: ApiKey) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise Conflict(_("Khóa đã bị thu hồi."))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at", "updated_at"])
    transaction.on_commit(clear_key_cache)
    clear_key_cache()
    audit_record(actor=by, action="core.api_key.revoke", target=key)
    return key


@transaction.atomic
def api_key_rotate(*, by: StaffUser | System, key: ApiKey) -> IssuedKey:
    """Issue a replacement with the same scopes and limit, and revoke the old key.

    The replacement keeps the old expiry while it is still ahead; an already expired key is
    replaced by one without expiry (the administrator may set a new one)."""
    expires_at = key.expires_at if key.expires_at is not None and key.expires_at > timezone.now() else None
    api_key_revoke(by=by, key=key)
    issued = api_key_issue(
        by=by,
        client=key.client,
        name=key.name,
        scopes=list(key.scopes),
        rate_limit_per_minute=key.rate_limit_per_minute,
        expires_at=expires_at,
    )
    audit_record(
        actor=by,
        action="core.api_key.rotate",
        target=issued.key,
        details={"replaces": key.pk, "client": key.client_id},
    )
    return issued


KEY_CACHE_SECONDS = 30
_key_cache: dict[str, tuple[float, ApiKey | None]] = {}


def clear_key_cache() -> None:
    """Forget cached keys (this process). Revocation clears it; other processes follow within
    KEY_CACHE_SECONDS."""
    _key_cache.clear()


def _key_for_digest(key_digest: str) -> ApiKey | None:
    # Partner systems call thousands of times a minute with the same key: look it up once per
    # KEY_CACHE_SECONDS per process, not once per call.
    now = time.monotonic()
    cached = _key_cache.get(key_digest)
    if cached and now - cached[0] < KEY_CACHE_SECONDS:
        return cached[1]
    key = ApiKey.objects.select_related("client").filter(digest=key_digest).first()
    if len(_key_cache) > 10_000:
        _key_cache.clear()
    _key_cache[key_digest] = (now, key)
    return key


def api_key_authenticate(raw_key: str) -> ApiKey | None:
    """The usable key matching ``raw_key``, or None. Touches ``last_used_at`` at most once a minute."""
    if not raw_key or not raw_key.startswith(KEY_PREFIX):
        return None
    key = _key_for_digest(digest(raw_key))
    if key is None or not key.is_usable:
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def rate_limit_check(*, key: ApiKey) -> None:
    """One-minute window per partner key, shared by every process (congan.core.limits)."""
    rate_limit(bucket=f"apikey:{key.pk}", limit=key.rate_limit_per_minute)
