"""A generated PKI served on loopback for the signature tests and the benchmark: certomancer issues a
root CA, signers, a time-stamping authority and an OCSP responder from keys made here, and its
WSGI app answers RFC 3161 and OCSP requests on 127.0.0.1 from a thread. Nothing is downloaded."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server

ARCH = "congan-test"
PASSPHRASE = "mat-khau-thu"


def _ku(*uses: str) -> dict[str, Any]:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(uses)}}


def _config(prefix: str, keydir: Path) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    valid = {
        "valid-from": (now - dt.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "valid-to": (now + dt.timedelta(days=3650)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }
    expired = {
        "valid-from": (now - dt.timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "valid-to": (now - dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }
    ca = [
        {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
        _ku("digital_signature", "key_cert_sign", "crl_sign"),
    ]
    signer_ext = [
        _ku("digital_signature", "non_repudiation"),
        {
            "id": "authority_information_access",
            "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["root"]}},
        },
    ]
    keys = ["root", "signer", "seal", "tsa", "other-root", "stranger", "weak"]
    return {
        "external-url-prefix": prefix,
        "keysets": {ARCH: {"path-prefix": str(keydir), "keys": {name: {"path": f"{name}.pem"} for name in keys}}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organization-name": "Công an tỉnh thử nghiệm"},
                "entities": {
                    "root": {"common-name": "CA gốc thử nghiệm"},
                    "signer": {"common-name": "Trần Văn Lãnh Đạo"},
                    "seal": {"common-name": "Công an tỉnh thử nghiệm"},
                    "tsa": {"common-name": "Tổ chức cấp dấu thời gian thử nghiệm"},
                    "other-root": {"common-name": "CA gốc lạ"},
                    "stranger": {"common-name": "Người ký lạ"},
                    "weak": {"common-name": "Người ký khóa yếu"},
                },
                "certs": {
                    "root": {"subject": "root", "issuer": "root", "validity": valid, "extensions": ca},
                    "signer": {"issuer": "root", "validity": valid, "extensions": signer_ext},
                    "seal": {"issuer": "root", "validity": valid, "extensions": signer_ext},
                    "signer-expired": {
                        "subject": "signer",
                        "subject-key": "signer",
                        "issuer": "root",
                        "validity": expired,
                        "extensions": signer_ext,
                    },
                    "weak": {"issuer": "root", "validity": valid, "extensions": signer_ext},
                    # The signer's key in a certificate revoked yesterday (its OCSP responder says so).
                    "signer-revoked": {
                        "subject": "signer",
                        "subject-key": "signer",
                        "issuer": "root",
                        "validity": valid,
                        "extensions": signer_ext,
                        "revocation": {
                            "revoked-since": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                            "reason": "key_compromise",
                        },
                    },
                    # The signer's key in a certificate naming no OCSP responder (B-T, never B-LT).
                    "signer-plain": {
                        "subject": "signer",
                        "subject-key": "signer",
                        "issuer": "root",
                        "validity": valid,
                        "extensions": [_ku("digital_signature", "non_repudiation")],
                    },
                    # The seal's key in a certificate naming no OCSP responder (pdfsig: decision 0031).
                    "seal-plain": {
                        "subject": "seal",
                        "subject-key": "seal",
                        "issuer": "root",
                        "validity": valid,
                        "extensions": [_ku("digital_signature", "non_repudiation")],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": valid,
                        "extensions": [
                            _ku("digital_signature"),
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                        ],
                    },
                    "other-root": {
                        "subject": "other-root",
                        "issuer": "other-root",
                        "validity": valid,
                        "extensions": ca,
                    },
                    "stranger": {
                        "issuer": "other-root",
                        "validity": valid,
                        "extensions": [_ku("digital_signature", "non_repudiation")],
                    },
                },
                "services": {
                    "ocsp": {"root": {"for-issuer": "root", "responder-cert": "root", "signing-key": "root"}},
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


class _Late:
    """The WSGI app, set once the server's port (and so the PKI's URLs) is known."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


@dataclass
class TestPKI:
    arch: Any
    directory: Path
    prefix: str
    server: Any

    @property
    def tsa_url(self) -> str:
        return f"{self.prefix}/{ARCH}/tsa/tsa"

    def cert(self, label: str) -> x509.Certificate:
        return self.arch.get_cert(CertLabel(label))

    def root_pem(self, label: str = "root") -> bytes:
        from asn1crypto import pem

        return pem.armor("CERTIFICATE", self.cert(label).dump())

    def pkcs12(self, label: str, key: str | None = None) -> Path:
        path = self.directory / f"{label}.p12"
        if not path.exists():
            data = self.arch.package_pkcs12(CertLabel(label), key_label=key, password=PASSPHRASE.encode())
            path.write_bytes(data)
        return path

    def key_pem(self, label: str) -> bytes:
        return (self.directory / "keys" / f"{label}.pem").read_bytes()

    def close(self) -> None:
        self.server.shutdown()


def start_pki(directory: Path) -> TestPKI:
    keydir = directory / "keys"
    keydir.mkdir(parents=True, exist_ok=True)
    for name in ["root", "signer", "seal", "tsa", "other-root", "stranger", "weak"]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024 if name == "weak" else 2048)
        (keydir / f"{name}.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    late = _Late()
    server = make_server("127.0.0.1", 0, late, threaded=True)
    prefix = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(_config(prefix, keydir), key_search_dir=str(directory))
    arch = config.get_pki_arch(ArchLabel(ARCH))
    late.app = Animator(AnimatorArchStore({ArchLabel(ARCH): arch}), with_web_ui=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return TestPKI(arch=arch, directory=directory, prefix=prefix, server=server)
