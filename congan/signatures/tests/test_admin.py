"""The signing keys' admin: adding a key is audited, its passphrase stored encrypted and never
written into the audit event."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.org.tests.otp import verified_login
from congan.signatures.models import SigningKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, province):
    from congan.org.tests.factories import OfficerFactory

    verified_login(client, OfficerFactory(unit=province, is_staff=True, is_superuser=True))
    return client


def test_adding_a_key_in_the_admin_is_audited_without_its_passphrase(admin_client, leader, pki):
    response = admin_client.post(
        reverse("admin:signatures_signingkey_add"),
        {
            "officer": leader.pk,
            "label": "Khóa của lãnh đạo",
            "kind": "pkcs12",
            "active": "on",
            "pkcs12_path": str(pki.pkcs12("signer")),
            "pkcs12_passphrase": "bi-mat-123",
            "seal_size_mm": "36",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    key = SigningKey.objects.get(label="Khóa của lãnh đạo")
    assert key.pkcs12_passphrase == "bi-mat-123"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pkcs12_passphrase FROM signatures_signingkey WHERE id = %s", [key.pk])
        assert "bi-mat-123" not in cursor.fetchone()[0]
    event = AuditEvent.objects.filter(action="signatures.key.add").latest("seq")
    assert event.details["pkcs12_passphrase"] == "***"


def test_keys_cannot_be_deleted_in_the_admin(admin_client, officer_key):
    response = admin_client.get(reverse("admin:signatures_signingkey_delete", args=[officer_key.pk]))
    assert response.status_code == 403
