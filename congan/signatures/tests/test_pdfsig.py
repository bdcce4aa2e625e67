"""Poppler's ``pdfsig`` (Debian poppler-utils) and ``verify_pdf`` agree on valid, tampered and
untrusted files: integrity (pdfsig's "Signature is Valid." / "Digest Mismatch.") and trust
("Certificate is Trusted." / "Certificate issuer isn't Trusted."), pdfsig's NSS database holding the
same root as CONGAN_SIGNING_TRUST_ROOTS.

The signer's certificate here names no OCSP responder (``signer-plain``). pdfsig 22.12 (Debian 12)
answers "Unknown issue with Certificate or corrupted data." for a trusted chain when run with
``-no-ocsp``, and also for the test PKI's certificate that names certomancer's OCSP responder (whose
answers are signed by the CA key itself), although NSS's ``certutil -V -u S`` accepts both
certificates; with a certificate naming a CRL, or none, it says "Certificate is Trusted."."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from congan.signatures.images import signature_png
from congan.signatures.selectors import verify_pdf
from congan.signatures.services import SignerBoxPlacement, sign_pdf
from congan.signatures.tests.conftest import pkcs12_key
from congan.signatures.tests.tampering import change_a_signed_byte

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("pdfsig") and shutil.which("certutil")),
        reason="make signing-deps installs poppler-utils and libnss3-tools",
    ),
]


@pytest.fixture
def nss_db(tmp_path: Path, pki, trusted) -> Path:
    """An NSS database trusting the test root as a CA, for pdfsig."""
    database = tmp_path / "nss"
    database.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{database}", "--empty-password"], check=True)  # noqa: S607
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{database}", "-n", "root", "-t", "CT,C,C", "-i", str(trusted)],  # noqa: S607
        check=True,
    )
    return database


def pdfsig(path: Path, database: Path) -> tuple[str, str]:
    """pdfsig's (integrity, trust) verdicts for the first signature, in verify_pdf's words."""
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{database}", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout
    integrity = "intact" if "Signature is Valid." in output else "modified"
    trust = "trusted" if "Certificate is Trusted." in output else "untrusted"
    return integrity, trust


def _ours(data: bytes) -> tuple[str, str]:
    [signature] = verify_pdf(data).signatures
    return signature.integrity, signature.trust


def _signed(pdf: bytes, key) -> bytes:
    return sign_pdf(
        pdf=pdf,
        key=key,
        placement=SignerBoxPlacement(page=0, box=(300, 320, 480, 400), signer_image=signature_png("A")),
    )


@pytest.mark.parametrize("case", ["valid", "tampered", "untrusted"])
def test_pdfsig_agrees_with_verify_pdf(case, tmp_path, pdf, pki, leader, officer_key, nss_db):
    if case == "untrusted":
        data = _signed(pdf, pkcs12_key(pki, "stranger", officer=leader))
    else:
        data = _signed(pdf, pkcs12_key(pki, "signer-plain", officer=leader))
    if case == "tampered":
        data = change_a_signed_byte(data)
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(data)

    expected = {"valid": ("intact", "trusted"), "tampered": ("modified", None), "untrusted": ("intact", "untrusted")}
    ours = _ours(data)
    theirs = pdfsig(path, nss_db)
    assert ours[0] == theirs[0] == expected[case][0]
    if expected[case][1] is not None:  # a tampered file's trust is not looked at by pdfsig
        assert ours[1] == theirs[1] == expected[case][1]
