"""One code path from a ``SigningKey`` row to a pyHanko signer, whether the key is a PKCS#12 file
or sits on a PKCS#11 token (SoftHSM2 in the tests, a USB token or an HSM in production)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_cms import Signer

from congan.core.errors import ValidationFailed
from congan.signatures.models import SigningKey


@lru_cache(maxsize=64)
def _pkcs12(path: str, mtime: float, passphrase: str) -> signers.SimpleSigner:
    try:
        signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise ValidationFailed(_("Không mở được tệp khóa PKCS#12 (sai mật khẩu hoặc tệp hỏng)."), code="key_unusable")
    return signer


def _key_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="key_unusable")


@contextmanager
def open_signer(key: SigningKey) -> Iterator[Signer]:
    """The pyHanko signer of ``key``; a PKCS#11 session is closed on leaving."""
    if key.kind == SigningKey.Kind.PKCS12:
        path = Path(key.pkcs12_path)
        if not path.is_file():
            raise _key_error(_("Không tìm thấy tệp khóa PKCS#12 của khóa “%(label)s”.") % {"label": key.label})
        yield _pkcs12(str(path), path.stat().st_mtime, key.pkcs12_passphrase or "")
        return
    from pkcs11 import PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    pin = os.environ.get(key.pkcs11_pin_env, "") if key.pkcs11_pin_env else ""
    if not pin:
        raise _key_error(
            _("Chưa có mã PIN của token: đặt biến môi trường %(name)s trên máy chủ.")
            % {"name": key.pkcs11_pin_env or "?"}
        )
    try:
        session = pkcs11.open_pkcs11_session(
            key.pkcs11_module, token_criteria=TokenCriteria(label=key.pkcs11_token), user_pin=pin
        )
    except (PKCS11Error, OSError, RuntimeError) as exc:
        raise _key_error(
            _("Không mở được token “%(token)s”: %(error)s") % {"token": key.pkcs11_token, "error": exc}
        ) from exc
    try:
        yield pkcs11.PKCS11Signer(session, key_label=key.pkcs11_key, cert_label=key.pkcs11_key)
    finally:
        session.close()
