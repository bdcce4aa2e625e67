"""Signed checkpoints of the chain head outside the database: written by ``congan audit head`` and
periodically, checked by ``congan audit verify``, which then catches a chain rewritten and rehashed
by someone with write access to the database (the chain alone still verifies)."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import io
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import call_command
from django.core.management.base import CommandError

from congan import cli
from congan.core.audit import audit_record, checkpoints
from congan.core.audit.chain import HASHED_FIELDS, HEAD_PK, event_hash, verify
from congan.core.management.commands import audit as audit_command
from congan.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events() -> list[AuditEvent]:
    return [audit_record(actor="system", action=f"test.event.{i}", purpose="Kiểm tra") for i in range(1, 6)]


def _command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _checkpoint_lines(settings) -> list[dict]:
    files = sorted(Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.jsonl"))
    return [json.loads(line) for path in files for line in path.read_text().splitlines()]


def _rewrite_and_rehash(seq: int, purpose: str) -> None:
    """What an administrator with write access can do: change an event and recompute every hash after it."""
    AuditEvent.objects.filter(seq=seq).update(purpose=purpose)
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        digest = event_hash(prev, {name: getattr(event, name) for name in HASHED_FIELDS})
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    AuditChainHead.objects.filter(pk=HEAD_PK).update(hash=prev)


def test_head_writes_a_signed_checkpoint_outside_the_database_and_verify_finds_it_holds(five_events, settings):
    out, err = _command("head")

    assert out.split() == ["5", five_events[-1].hash]  # the output scripts read is unchanged
    [line] = _checkpoint_lines(settings)
    assert (line["seq"], line["hash"]) == (5, five_events[-1].hash)
    assert line["signature"] and line["key_id"] and "time" in line
    assert str(settings.AUDIT_CHECKPOINT_DIR) in err
    assert Path(settings.AUDIT_CHECKPOINT_KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert "audit chain intact: 5 events verified; 1 signed checkpoints hold" in _command("verify")[0]


def test_chain_rewritten_and_rehashed_still_verifies_alone_but_not_against_its_checkpoint(five_events, settings):
    _command("head")
    _rewrite_and_rehash(2, "Che giấu lần tra cứu")
    assert verify() == (5, None)  # the chain on its own cannot tell

    with pytest.raises(CommandError, match=r"1 of 1 checkpoints do not hold") as failed:
        _command("verify")

    assert "rewritten" in str(failed.value)


def test_verify_names_the_checkpoint_that_does_not_hold(five_events, settings, capsys):
    _command("head")  # checkpoint of event #5
    [path] = sorted(Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.jsonl"))
    _rewrite_and_rehash(4, "Sửa")

    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO())

    err = capsys.readouterr().err
    assert f"checkpoint {path}:1 (seq 5): event #5 has hash" in err
    assert "the chain up to #5 was rewritten" in err


def test_checkpoint_of_events_removed_since_is_reported(five_events):
    _command("head")
    AuditEvent.objects.filter(seq__gte=4).delete()
    AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=3, hash=AuditEvent.objects.get(seq=3).hash)

    with pytest.raises(CommandError, match=r"checkpoints do not hold"):
        _command("verify")


def test_a_tampered_checkpoint_line_is_reported_as_a_bad_signature(five_events, settings, capsys):
    _command("head")
    _rewrite_and_rehash(2, "Che giấu")
    # The administrator also "fixes" the checkpoint file to the new hash.
    [path] = sorted(Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.jsonl"))
    line = json.loads(path.read_text())
    line["hash"] = AuditEvent.objects.get(seq=5).hash
    path.write_text(json.dumps(line) + "\n")

    with pytest.raises(CommandError, match=r"checkpoints do not hold"):
        call_command("audit", "verify", stdout=io.StringIO())

    assert f"checkpoint {path}:1 (seq 5): bad signature" in capsys.readouterr().err


def test_an_unreadable_checkpoint_line_is_reported(five_events, settings, capsys):
    _command("head")
    [path] = sorted(Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.jsonl"))
    path.write_text(path.read_text() + "not json\n")

    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO())

    assert f"checkpoint {path}:2: not a checkpoint" in capsys.readouterr().err


def test_a_missing_key_is_reported_clearly(five_events, settings):
    _command("head")
    Path(settings.AUDIT_CHECKPOINT_KEY_FILE).unlink()
    Path(f"{settings.AUDIT_CHECKPOINT_KEY_FILE}.pub").unlink()

    with pytest.raises(CommandError, match=r"audit checkpoint key is missing: neither .*audit_checkpoint_key"):
        _command("verify")
    assert not Path(settings.AUDIT_CHECKPOINT_KEY_FILE).exists()  # verify never makes a new key


def test_the_public_half_alone_verifies_a_copy_shipped_elsewhere(five_events, settings, tmp_path):
    _command("head")
    audit_record(actor="system", action="test.event.6", purpose="Kiểm tra")
    _command("head")
    shipped = tmp_path / "elsewhere"
    shutil.copytree(settings.AUDIT_CHECKPOINT_DIR, shipped)
    shutil.rmtree(settings.AUDIT_CHECKPOINT_DIR)
    Path(settings.AUDIT_CHECKPOINT_KEY_FILE).unlink()  # only the .pub is left on this machine

    out, _ = _command("verify", "--checkpoints", str(shipped))

    assert "6 events verified; 2 signed checkpoints hold" in out


def test_follow_writes_a_checkpoint_each_period_only_when_the_head_moved(five_events, settings, monkeypatch):
    settings.AUDIT_CHECKPOINT_SECONDS = 60
    rounds = iter([None, None, None])

    def sleep(seconds):
        assert seconds == 60
        try:
            next(rounds)
        except StopIteration:
            raise KeyboardInterrupt from None
        if len(_checkpoint_lines(settings)) == 1:
            audit_record(actor="system", action="test.event.6", purpose="Kiểm tra")

    monkeypatch.setattr(audit_command.time, "sleep", sleep)
    monkeypatch.setattr(audit_command, "close_old_connections", lambda: None)  # the test's transaction
    with pytest.raises(KeyboardInterrupt):
        _command("checkpoint", "--follow")

    assert [line["seq"] for line in _checkpoint_lines(settings)] == [5, 6]


def test_serve_starts_the_checkpoint_writer_beside_the_server(monkeypatch):
    started = []
    monkeypatch.setattr(cli.subprocess, "Popen", lambda command, **kwargs: started.append(command[3:]))
    monkeypatch.setattr(cli.os, "execv", lambda *args: None)
    monkeypatch.delenv("CONGAN_TASK_WORKER", raising=False)
    monkeypatch.delenv("AUDIT_CHECKPOINT_SECONDS", raising=False)

    cli.serve([])

    assert ["audit", "checkpoint", "--follow"] in started


# --- RFC 3161: a local time-stamping authority (OpenSSL's `ts -reply`), no network ---------------


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    """A TSA on a loopback port: a CA, a time-stamping certificate it issued, `openssl ts -reply`."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl (Debian's openssl package) is needed for the local time-stamping authority")
    folder = tmp_path_factory.mktemp("tsa")
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test TSA CA"))
        .issuer_name(_name("Test TSA CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("Test TSA"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(
        "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\n"
        f"serial = {folder}/serial\nsigner_cert = {folder}/tsa.pem\nsigner_key = {folder}/tsa.key\n"
        "signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\n"
        "ess_cert_id_alg = sha256\n"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers["Content-Length"]))
            (folder / "query.tsq").write_bytes(query)
            subprocess.run(
                [
                    openssl,
                    "ts",
                    "-reply",
                    "-config",
                    str(folder / "tsa.cnf"),
                    "-queryfile",
                    str(folder / "query.tsq"),
                    "-out",
                    str(folder / "reply.tsr"),
                ],
                check=True,
                capture_output=True,
            )
            reply = (folder / "reply.tsr").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "ca": str(folder / "ca.pem")}
    server.shutdown()


def test_a_checkpoint_is_time_stamped_by_the_configured_authority_and_verified(five_events, settings, authority):
    settings.AUDIT_TSA_URL = authority["url"]
    settings.AUDIT_TSA_CA_FILE = authority["ca"]

    _, err = _command("head")

    assert "time-stamped" in err
    [line] = _checkpoint_lines(settings)
    assert line["tsa_token"]
    assert "1 signed checkpoints hold" in _command("verify")[0]


def test_a_time_stamp_token_moved_to_another_checkpoint_is_reported(five_events, settings, authority, capsys):
    settings.AUDIT_TSA_URL = authority["url"]
    _command("head")
    audit_record(actor="system", action="test.event.6", purpose="Kiểm tra")
    _command("head")
    [path] = sorted(Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.jsonl"))
    first, second = (json.loads(text) for text in path.read_text().splitlines())
    second["tsa_token"] = first["tsa_token"]  # the token is not part of what the key signs
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")

    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO())

    assert f"checkpoint {path}:2 (seq 6): time-stamp token is for another content" in capsys.readouterr().err


def test_a_token_from_an_authority_other_than_the_configured_one_is_reported(
    five_events, settings, authority, tmp_path, capsys
):
    settings.AUDIT_TSA_URL = authority["url"]
    _command("head")
    other_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    other_ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Other CA"))
        .issuer_name(_name("Other CA"))
        .public_key(other_key.public_key())
        .serial_number(3)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(other_key, hashes.SHA256())
    )
    (tmp_path / "other.pem").write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    settings.AUDIT_TSA_CA_FILE = str(tmp_path / "other.pem")

    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO())

    assert "time-stamp token not signed by the configured authority" in capsys.readouterr().err


def test_an_unreachable_authority_still_leaves_the_signed_checkpoint(five_events, settings):
    settings.AUDIT_TSA_URL = "http://127.0.0.1:9/"  # discard port: nothing listens
    settings.AUDIT_TSA_TIMEOUT_SECONDS = 2

    _command("head")

    [line] = _checkpoint_lines(settings)
    assert line["seq"] == 5 and "tsa_token" not in line
    assert checkpoints.last_checkpoint().seq == 5
    assert base64.b64decode(line["signature"])
