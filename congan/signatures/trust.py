"""The trust roots verification accepts: the operator's (``CONGAN_SIGNING_TRUST_ROOTS``, a folder of
certificates or one PEM bundle: the Government CA's root for state bodies, the NEAC national root
for public CAs), and the demo CA of ``congan demo`` when its file exists, marked as a demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings

DEMO_CA_FILE = "demo/ca.pem"


@dataclass(frozen=True)
class TrustRoots:
    certificates: tuple[x509.Certificate, ...]
    demo: frozenset[bytes]  # SHA-256 fingerprints of demo roots

    def is_demo(self, certificate: x509.Certificate) -> bool:
        return certificate.sha256 in self.demo


def read_certificates(data: bytes) -> list[x509.Certificate]:
    if pem.detect(data):
        return [
            x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"
        ]
    return [x509.Certificate.load(data)]


def _read_path(path: Path) -> list[x509.Certificate]:
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path] if path.is_file() else []
    certificates: list[x509.Certificate] = []
    for file in files:
        if file.suffix.lower() in {".pem", ".crt", ".cer", ".der"}:
            certificates.extend(read_certificates(file.read_bytes()))
    return certificates


def demo_ca_path() -> Path:
    return Path(settings.SIGNING_DIR) / DEMO_CA_FILE


def trust_roots() -> TrustRoots:
    configured = _read_path(Path(settings.SIGNING_TRUST_ROOTS)) if settings.SIGNING_TRUST_ROOTS else []
    demo = _read_path(demo_ca_path())
    return TrustRoots(certificates=tuple(configured + demo), demo=frozenset(certificate.sha256 for certificate in demo))
