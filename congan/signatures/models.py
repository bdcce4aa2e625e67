"""Signing keys (khóa ký số) of officers and units: a PKCS#12 file for development and the demo, a
PKCS#11 token or HSM in production, each with the images Decree 30 Appendix I shows beside it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congan.core.crypto import EncryptedTextField
from congan.core.models import BaseModel


class SigningKey(BaseModel):
    """Khóa ký số — the key an officer signs with, or the key of a unit's seal (chữ ký số của cơ quan).

    Exactly one owner: an officer (the competent person's signature, box 7c) or a unit (the
    organisation's signature, box 8). A PKCS#12 key names its file and keeps its passphrase
    encrypted with the field keys; a PKCS#11 key names the module, the token and the key label, and
    the *name* of the environment variable that holds the PIN (never the PIN itself)."""

    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("Tệp PKCS#12")
        PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (token, HSM)")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_keys",
        verbose_name=_("cán bộ"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_keys",
        verbose_name=_("đơn vị"),
    )
    label = models.CharField(_("tên khóa"), max_length=100)
    kind = models.CharField(_("loại khóa"), max_length=8, choices=Kind.choices, default=Kind.PKCS12)
    active = models.BooleanField(_("đang dùng"), default=True)
    pkcs12_path = models.CharField(_("đường dẫn tệp PKCS#12"), max_length=500, blank=True)
    pkcs12_passphrase = EncryptedTextField(_("mật khẩu tệp PKCS#12"), blank=True)
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=500, blank=True)
    pkcs11_token = models.CharField(_("nhãn token"), max_length=100, blank=True)
    pkcs11_key = models.CharField(_("nhãn khóa trên token"), max_length=100, blank=True)
    pkcs11_pin_env = models.CharField(
        _("biến môi trường chứa mã PIN"),
        max_length=100,
        blank=True,
        help_text=_("Tên biến môi trường của máy chủ giữ mã PIN, ví dụ CONGAN_TOKEN_PIN; không lưu mã PIN."),
    )
    signer_image = models.FileField(
        _("ảnh chữ ký"), upload_to="signatures/", blank=True, help_text=_("PNG nền trong suốt, màu xanh.")
    )
    seal_image = models.FileField(
        _("ảnh con dấu"), upload_to="signatures/", blank=True, help_text=_("PNG nền trong suốt, màu đỏ.")
    )
    seal_size_mm = models.DecimalField(
        _("đường kính con dấu (mm)"), max_digits=4, decimal_places=1, default=36, help_text=_("Kích thước thật.")
    )

    class Meta:
        verbose_name = _("khóa ký số")
        verbose_name_plural = _("khóa ký số")
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, unit__isnull=True) | Q(officer__isnull=True, unit__isnull=False),
                name="signingkey_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def owner(self) -> object:
        return self.officer if self.officer_id else self.unit
