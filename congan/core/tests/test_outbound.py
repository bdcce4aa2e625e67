"""congan.core.outbound over TLS: a pinned session connects to the checked address while SNI, the
Host header and the certificate check keep the name; a certificate for another name is refused."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from congan.core import outbound

NAME = "push.example.test"


def _certificate(folder, name: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_path), str(key_path)


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for NAME; records (SNI, Host) per request."""
    seen: list[tuple[str | None, str]] = []
    cert, key = _certificate(tmp_path, NAME)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, server_name, ctx: names.append(server_name)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append((names[-1] if names else None, self.headers["Host"]))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, cert, seen
    server.shutdown()
    server.server_close()


def test_a_pinned_session_speaks_tls_to_the_checked_address_under_the_name(tls_server):
    port, cert, seen = tls_server
    with outbound.pinned_session(host=NAME, port=port, address="127.0.0.1") as session:
        response = session.post(f"https://{NAME}:{port}/push/1", data=b"x", timeout=10, verify=cert)
    assert response.status_code == 201
    assert seen == [(NAME, f"{NAME}:{port}")]  # SNI and Host name the push service


def test_a_certificate_for_another_name_is_refused(tls_server):
    port, cert, seen = tls_server
    session = outbound.pinned_session(host="other.example.test", port=port, address="127.0.0.1")
    with session, pytest.raises(requests.exceptions.SSLError):
        session.post(f"https://other.example.test:{port}/push/1", data=b"x", timeout=10, verify=cert)
    assert seen == []


def test_a_pinned_session_goes_nowhere_else(tls_server):
    port, _cert, _seen = tls_server
    session = outbound.pinned_session(host=NAME, port=port, address="127.0.0.1")
    with session, pytest.raises(requests.exceptions.InvalidURL):
        session.post("https://elsewhere.example.test/", data=b"x", timeout=10)
