"""Admin of the signing keys: added and changed here by the administrators, every change audited
(the passphrase never shown back nor written into the audit details); keys are retired, not deleted,
so the audit events of past signatures keep their target."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from congan.core.audit import audit_record
from congan.signatures.models import SigningKey

SECRET_FIELDS = {"pkcs12_passphrase"}


class SigningKeyForm(forms.ModelForm):
    pkcs12_passphrase = forms.CharField(
        label=SigningKey._meta.get_field("pkcs12_passphrase").verbose_name,
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=SigningKey._meta.get_field("pkcs12_passphrase").help_text,
    )

    class Meta:
        model = SigningKey
        fields = (
            "officer",
            "unit",
            "label",
            "kind",
            "active",
            "pkcs12_path",
            "pkcs12_passphrase",
            "pkcs11_module",
            "pkcs11_token",
            "pkcs11_key",
            "pkcs11_pin_env",
            "signer_image",
            "seal_image",
            "seal_size_mm",
        )

    def clean_pkcs12_passphrase(self) -> str:
        value = self.cleaned_data.get("pkcs12_passphrase") or ""
        # Left empty when changing a key: keep the stored passphrase.
        return value or (self.instance.pkcs12_passphrase if self.instance.pk else "")


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    form = SigningKeyForm
    list_display = ("label", "officer", "unit", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("label", "officer__full_name", "unit__name")
    raw_id_fields = ("officer", "unit")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="signatures.key.change" if change else "signatures.key.add",
            target=obj,
            details={
                name: ("***" if name in SECRET_FIELDS else str(form.cleaned_data.get(name)))
                for name in form.changed_data
            },
        )
