"""The demo PKI (``congan demo``, after the organisation): a demo CA generated once under
``SIGNING_DIR/demo/``, a certificate and PKCS#12 file for the demo leader ``lanhdao`` with a blue
signature image, and a seal key with a red round seal image for the province and each of its
departments and communes. Verification trusts the demo CA only while its file exists and says so
("Tin cậy trong bản demo"). Nothing here is a real certificate."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.db import transaction

from congan.core.audit import audit_record
from congan.org.models import Officer, Unit
from congan.signatures.images import seal_png, signature_png
from congan.signatures.models import SigningKey
from congan.signatures.trust import demo_ca_path

DEMO_LEADER = "lanhdao"
CA_NAME = "CA demo Công an số (không có giá trị pháp lý)"
YEARS = 5
SEAL_KINDS = (Unit.Kind.PROVINCE, Unit.Kind.DEPARTMENT, Unit.Kind.COMMUNE, Unit.Kind.WARD, Unit.Kind.SPECIAL_ZONE)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _fit(text: str, limit: int = 64) -> str:
    """``text`` cut to X.520's 64 bytes of UTF-8 (Vietnamese letters take two or three)."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text.rstrip()


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization)),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)),
        ]
    )


def _ca(directory: Path) -> tuple[x509.Certificate, PrivateKey]:
    cert_path, key_path = demo_ca_path(), directory / "ca-key.pem"
    if cert_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            raise TypeError("the demo CA key is neither RSA nor ECDSA")
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), key
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def _issue(
    ca: tuple[x509.Certificate, PrivateKey], common_name: str, organization: str, key: PrivateKey
) -> x509.Certificate:
    ca_cert, ca_key = ca
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


def _pkcs12_key(
    ca: tuple[x509.Certificate, PrivateKey],
    directory: Path,
    file_name: str,
    common_name: str,
    organization: str,
    key: PrivateKey,
) -> tuple[str, str]:
    certificate = _issue(ca, common_name, organization, key)
    passphrase = secrets.token_urlsafe(18)
    data = pkcs12.serialize_key_and_certificates(
        file_name.encode(),
        key,
        certificate,
        [ca[0]],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path = directory / "keys" / f"{file_name}.p12"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)
    return str(path), passphrase


def demo_build_signatures(*, province: Unit, **_options: Any) -> dict[str, int]:
    directory = demo_ca_path().parent
    ca = _ca(directory)
    created = {"officer_keys": 0, "seal_keys": 0}
    units = list(Unit.objects.filter(path__startswith=province.path, active=True, kind__in=SEAL_KINDS).order_by("path"))
    with transaction.atomic():
        leader = Officer.objects.filter(username=DEMO_LEADER, unit__path__startswith=province.path).first()
        if leader is not None and not SigningKey.objects.filter(officer=leader).exists():
            organization = leader.unit.name if leader.unit else province.name
            path, passphrase = _pkcs12_key(
                ca, directory, DEMO_LEADER, leader.full_name, organization, rsa.generate_private_key(65537, 2048)
            )
            key = SigningKey.objects.create(
                officer=leader,
                label=f"Chữ ký số của {leader.full_name} (demo)",
                pkcs12_path=path,
                pkcs12_passphrase=passphrase,
            )
            key.signer_image.save(f"chu-ky-{DEMO_LEADER}.png", ContentFile(signature_png(leader.full_name)))
            created["officer_keys"] += 1
        have_seal = set(SigningKey.objects.filter(unit__in=units).values_list("unit_id", flat=True))
        for unit in units:
            if unit.pk in have_seal:
                continue
            # The province's seal in RSA 2048 like the officers' tokens; the others in ECDSA P-256 (as
            # strong for Circular 15/2025 and a hundred times quicker to generate for a hundred units).
            private: PrivateKey = (
                rsa.generate_private_key(65537, 2048)
                if unit.pk == province.pk
                else ec.generate_private_key(ec.SECP256R1())
            )
            path, passphrase = _pkcs12_key(ca, directory, f"don-vi-{unit.code}", unit.name, province.name, private)
            key = SigningKey.objects.create(
                unit=unit, label=f"Chữ ký số của {unit.name} (demo)", pkcs12_path=path, pkcs12_passphrase=passphrase
            )
            key.seal_image.save(f"con-dau-{unit.code}.png", ContentFile(seal_png(unit.name)))
            created["seal_keys"] += 1
        if any(created.values()):
            audit_record(actor="system", action="signatures.demo.build", unit=province, details=created)
    return created
