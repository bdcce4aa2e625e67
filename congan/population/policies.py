"""Partner policies: which operations a key may call, which fields it receives, which legal
bases it may declare. Looked up once per key and cached in the process for ``CACHE_SECONDS``."""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext as _

from congan.core.errors import PermissionDenied, ValidationFailed
from congan.population.models import PartnerPolicy

CACHE_SECONDS = 30
_cache: dict[int, tuple[float, PartnerPolicy | None]] = {}


def policy_for(api_key: Any) -> PartnerPolicy | None:
    now = time.monotonic()
    cached = _cache.get(api_key.pk)
    if cached and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    policy = PartnerPolicy.objects.filter(api_key_id=api_key.pk).first()
    _cache[api_key.pk] = (now, policy)
    return policy


def clear_cache() -> None:
    _cache.clear()


def policy_check(*, api_key: Any, operation: str, purpose: str, legal_basis: str) -> PartnerPolicy:
    """The key's policy, after checking the operation and the declared purpose and legal basis."""
    policy = policy_for(api_key)
    if policy is None:
        raise PermissionDenied(_("Khóa API chưa có chính sách chia sẻ dữ liệu."), code="no_policy")
    if operation not in policy.operations:
        raise PermissionDenied(
            _("Chính sách không cho phép thao tác này."), code="operation_not_allowed", details={"operation": operation}
        )
    if not (purpose or "").strip():
        raise ValidationFailed(
            _("Phải khai báo mục đích tra cứu."), code="purpose_required", details={"purpose": [_("Bắt buộc.")]}
        )
    if not (legal_basis or "").strip():
        raise ValidationFailed(
            _("Phải khai báo căn cứ pháp lý."), code="legal_basis_required", details={"legal_basis": [_("Bắt buộc.")]}
        )
    if policy.legal_bases and legal_basis.strip() not in policy.legal_bases:
        raise PermissionDenied(
            _("Căn cứ pháp lý không nằm trong chính sách của khóa."),
            code="legal_basis_not_allowed",
            details={"allowed": list(policy.legal_bases)},
        )
    return policy
