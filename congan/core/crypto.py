"""Secrets at rest: keyed digests of short secrets (one-time codes) so a database reader cannot
use them, and a model field encrypted with the site's field keys."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def keyed_digest(value: str) -> str:
    """HMAC-SHA-256 of ``value`` under the site's secret key, hex."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def digest_matches(digest: str, value: str) -> bool:
    return hmac.compare_digest(digest, keyed_digest(value))


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def field_cipher() -> MultiFernet:
    """The cipher of sensitive fields: the first key of FIELD_ENCRYPTION_KEYS encrypts, all decrypt."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """Text encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA-256), decrypted when read.

    An empty value stays empty so "not given" is still visible; anything else is stored as a token
    that reveals nothing but its length class. The column cannot be searched or sorted: keep
    such fields for what is only ever shown (a reporter's name and phone), not for lookups.
    """

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return field_cipher().encrypt(str(value).encode()).decode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        try:
            return field_cipher().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                f"{self.model.__name__}.{self.name}: no key in FIELD_ENCRYPTION_KEYS decrypts the stored value"
            ) from exc
