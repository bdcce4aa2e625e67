"""A key on a PKCS#11 token signs through the same ``sign_pdf`` path as a PKCS#12 file: SoftHSM2
(Debian softhsm2) initialised in a temporary folder through SOFTHSM2_CONF, the test PKI's signer key
imported with softhsm2-util and its certificate written beside it; the PIN is read from the
environment variable the key names."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from congan.core.errors import ValidationFailed
from congan.signatures.images import signature_png
from congan.signatures.models import SigningKey
from congan.signatures.selectors import verify_pdf
from congan.signatures.services import SignerBoxPlacement, sign_pdf

MODULES = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"]
MODULE = next((path for path in MODULES if Path(path).exists()), "")
TOKEN, LABEL, PIN = "congan-test", "lanhdao", "246810"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (MODULE and shutil.which("softhsm2-util")), reason="make signing-deps installs softhsm2"),
]


@pytest.fixture
def token(tmp_path: Path, monkeypatch, pki) -> str:
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.setenv("CONGAN_TEST_TOKEN_PIN", PIN)
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", TOKEN, "--so-pin", "13579", "--pin", PIN],
        check=True,
        capture_output=True,
    )
    key_file = tmp_path / "signer.key.pem"
    key_file.write_bytes(pki.key_pem("signer"))
    subprocess.run(
        [*util, "--import", str(key_file), "--token", TOKEN, "--label", LABEL, "--id", "01", "--pin", PIN],
        check=True,
        capture_output=True,
    )
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    certificate = pki.cert("signer")
    library = pkcs11.lib(MODULE)
    with library.get_token(token_label=TOKEN).open(user_pin=PIN, rw=True) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: LABEL,
                Attribute.ID: b"\x01",
                Attribute.VALUE: certificate.dump(),
                Attribute.SUBJECT: certificate.subject.dump(),
                Attribute.ISSUER: certificate.issuer.dump(),
                Attribute.SERIAL_NUMBER: certificate["tbs_certificate"]["serial_number"].dump(),
            }
        )
    return TOKEN


def _token_key(leader, **fields) -> SigningKey:
    values = {
        "officer": leader,
        "label": "Token của lãnh đạo",
        "kind": SigningKey.Kind.PKCS11,
        "pkcs11_module": MODULE,
        "pkcs11_token": TOKEN,
        "pkcs11_key": LABEL,
        "pkcs11_pin_env": "CONGAN_TEST_TOKEN_PIN",
    }
    values.update(fields)
    return SigningKey.objects.create(**values)


def test_a_key_on_a_softhsm2_token_signs_through_the_same_path(token, pdf, leader, trusted):
    key = _token_key(leader)
    placement = SignerBoxPlacement(page=0, box=(300, 320, 480, 400), signer_image=signature_png("Lãnh Đạo"))

    signed = sign_pdf(pdf=pdf, key=key, placement=placement)

    [signature] = verify_pdf(signed).signatures
    assert signature.valid
    assert signature.signer_name == "Trần Văn Lãnh Đạo"


def test_a_token_key_without_its_pin_in_the_environment_is_refused_clearly(token, pdf, leader, monkeypatch):
    monkeypatch.delenv("CONGAN_TEST_TOKEN_PIN")
    key = _token_key(leader)
    placement = SignerBoxPlacement(page=0, box=(300, 320, 480, 400), signer_image=signature_png("A"))

    with pytest.raises(ValidationFailed) as caught:
        sign_pdf(pdf=pdf, key=key, placement=placement)
    assert caught.value.code == "key_unusable"
    assert "CONGAN_TEST_TOKEN_PIN" in str(caught.value)
