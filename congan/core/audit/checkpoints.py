"""Signed checkpoints of the chain head, kept outside the database (docs/decisions/0014-audit-checkpoints.md).

Whoever can write the database can rewrite events and recompute every hash after them, head row
included: the chain then verifies. A checkpoint pins the head at a moment from outside: the head's
``seq`` and ``hash`` and the time, signed with an Ed25519 key that lives in a file, never in the
database, appended as one JSON line to a file of the checkpoint folder that the operator ships to
another machine. When a time-stamping authority is configured (RFC 3161, ``AUDIT_TSA_URL``), its
token over the checkpoint is stored in the same line: the time then does not rest on our clock.

``congan audit verify`` checks every checkpoint it finds: the signature, the token's message
imprint (and the authority's signature when its certificate is configured), and that the chain's
event at ``seq`` still has ``hash``. A rewritten and rehashed chain fails there.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from congan.core.audit.chain import read_head
from congan.core.models import AuditEvent

logger = logging.getLogger(__name__)

VERSION = 1
SIGNED_FIELDS = ("v", "seq", "hash", "time", "key_id")


class CheckpointKeyMissing(RuntimeError):
    """No key to verify checkpoints with (the key file and its public half are both absent)."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str  # ISO 8601, UTC
    key_id: str  # the first 16 hex digits of SHA-256 of the raw public key
    signature: str = ""  # base64 Ed25519 signature of signed_bytes()
    tsa_token: str = ""  # base64 DER TimeStampResp of the authority, over signed_bytes()

    def signed_bytes(self) -> bytes:
        values = {"v": VERSION, "seq": self.seq, "hash": self.hash, "time": self.time, "key_id": self.key_id}
        return json.dumps(values, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        values: dict[str, Any] = {"v": VERSION, "seq": self.seq, "hash": self.hash, "time": self.time}
        values |= {"key_id": self.key_id, "signature": self.signature}
        if self.tsa_token:
            values["tsa_token"] = self.tsa_token
        return json.dumps(values, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class CheckpointProblem:
    where: str  # file:line
    seq: int | None
    reason: str

    def __str__(self) -> str:
        at = f" (seq {self.seq})" if self.seq is not None else ""
        return f"checkpoint {self.where}{at}: {self.reason}"


# --- keys ---------------------------------------------------------------------------------------


def key_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_KEY_FILE)


def public_key_path() -> Path:
    return key_path().with_name(key_path().name + ".pub")


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key() -> Ed25519PrivateKey:
    """The checkpoint key, generated on first use (mode 0600, its public half beside it)."""
    path = key_path()
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public_key_path().write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    logger.warning(
        "audit checkpoint key generated at %s: keep it, and a copy of %s, apart from the database",
        path,
        public_key_path(),
    )
    return key


def verifying_key() -> Ed25519PublicKey:
    """The public key checkpoints are checked with: from the key file, else from its ``.pub``."""
    if key_path().exists():
        return signing_key().public_key()
    if public_key_path().exists():
        key = serialization.load_pem_public_key(public_key_path().read_bytes())
        if isinstance(key, Ed25519PublicKey):
            return key
        raise ValueError(f"{public_key_path()} is not an Ed25519 public key")
    raise CheckpointKeyMissing(
        f"the audit checkpoint key is missing: neither {key_path()} nor {public_key_path()} exists "
        "(AUDIT_CHECKPOINT_KEY_FILE); restore it from the backup of the keys to verify the checkpoints"
    )


# --- writing ------------------------------------------------------------------------------------


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def checkpoint_write(*, now: datetime | None = None) -> tuple[Checkpoint, Path]:
    """Sign the current head and append it to this month's checkpoint file (fsynced); with
    AUDIT_TSA_URL set, the authority's token goes in the same line. Returns it and the file."""
    seq, digest = read_head() or (0, "")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    key = signing_key()
    unsigned = Checkpoint(
        seq=seq, hash=digest, time=moment.isoformat(timespec="seconds"), key_id=key_id(key.public_key())
    )
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    signed = Checkpoint(**{**unsigned.__dict__, "signature": signature})
    token = _timestamp(signed.signed_bytes()) if settings.AUDIT_TSA_URL else ""
    checkpoint = Checkpoint(**{**signed.__dict__, "tsa_token": token})
    path = checkpoint_dir() / f"checkpoints-{moment:%Y-%m}.jsonl"
    _append_line(path, checkpoint.line())
    return checkpoint, path


def last_checkpoint() -> Checkpoint | None:
    """The last checkpoint written to the checkpoint folder (None when there is none)."""
    last = None
    for _, _, values in _lines(sorted(checkpoint_dir().glob("*.jsonl"))):
        if isinstance(values, dict) and isinstance(values.get("seq"), int):
            last = values
    if last is None:
        return None
    return Checkpoint(**{name: last.get(name, "") for name in Checkpoint.__dataclass_fields__})


def _append_line(path: Path, line: str) -> None:
    """One write of a whole line to a file opened for appending, flushed to disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _timestamp(message: bytes) -> str:
    """The authority's RFC 3161 answer over ``message`` (SHA-256 imprint), base64; "" when it fails:
    the signed checkpoint is written all the same and the failure logged."""
    from rfc3161_client import HashAlgorithm, PKIStatus, TimestampRequestBuilder, decode_timestamp_response

    request = (
        TimestampRequestBuilder()
        .hash_algorithm(HashAlgorithm.SHA256)
        .data(message)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http_request = urllib.request.Request(  # noqa: S310 - the operator's configured authority
        settings.AUDIT_TSA_URL,
        data=request.as_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
    )
    try:
        with urllib.request.urlopen(http_request, timeout=settings.AUDIT_TSA_TIMEOUT_SECONDS) as answer:  # noqa: S310
            raw = answer.read()
        response = decode_timestamp_response(raw)
        if PKIStatus(response.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
            raise ValueError(f"status {response.status}")
        if response.tst_info.message_imprint.message != hashlib.sha256(message).digest():
            raise ValueError("the token's message imprint is not the checkpoint's")
        if response.tst_info.nonce != request.nonce:
            raise ValueError("the token's nonce is not the request's")
    except Exception:
        logger.exception("audit checkpoint: no time-stamp token from %s", settings.AUDIT_TSA_URL)
        return ""
    return base64.b64encode(raw).decode()


# --- verifying ----------------------------------------------------------------------------------


def checkpoint_files(location: Path | None = None) -> list[Path]:
    """The checkpoint files of a folder (``*.jsonl``, oldest first), or the one file named."""
    where = location or checkpoint_dir()
    if where.is_file():
        return [where]
    return sorted(where.glob("*.jsonl")) if where.is_dir() else []


def checkpoints_verify(files: list[Path]) -> tuple[int, list[CheckpointProblem]]:
    """Check every checkpoint line of ``files``: (checkpoints read, problems found, in file order).

    Raises ``CheckpointKeyMissing`` when there are checkpoints and no key to check them with.
    """
    entries = list(_lines(files))
    if not entries:
        return 0, []
    public_key = verifying_key()
    problems: list[CheckpointProblem] = []
    pinned: list[tuple[str, Checkpoint]] = []
    for where, _, values in entries:
        checkpoint, problem = _checked(where, values, public_key)
        if problem is not None:
            problems.append(problem)
        elif checkpoint is not None and checkpoint.seq > 0:
            pinned.append((where, checkpoint))
    problems.extend(_against_chain(pinned))
    order = {where: index for index, (where, _, _) in enumerate(entries)}
    problems.sort(key=lambda problem: order[problem.where])
    return len(entries), problems


def _lines(files: Iterable[Path]) -> Iterator[tuple[str, int, Any]]:
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    values = json.loads(text)
                except ValueError:
                    values = None
                yield f"{path}:{number}", number, values


def _checked(
    where: str, values: Any, public_key: Ed25519PublicKey
) -> tuple[Checkpoint | None, CheckpointProblem | None]:
    """The checkpoint of one line when its form, signature and token hold; else the problem."""
    try:
        checkpoint = Checkpoint(
            seq=int(values["seq"]),
            hash=str(values["hash"]),
            time=str(values["time"]),
            key_id=str(values["key_id"]),
            signature=str(values["signature"]),
            tsa_token=str(values.get("tsa_token", "")),
        )
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except (TypeError, KeyError, ValueError):
        return None, CheckpointProblem(where, None, "not a checkpoint (unreadable line)")
    if checkpoint.key_id != key_id(public_key):
        return None, CheckpointProblem(
            where, checkpoint.seq, f"signed by another key ({checkpoint.key_id}, this key is {key_id(public_key)})"
        )
    try:
        public_key.verify(signature, checkpoint.signed_bytes())
    except InvalidSignature:
        return None, CheckpointProblem(where, checkpoint.seq, "bad signature: the line was altered after it was signed")
    if checkpoint.tsa_token:
        reason = _token_problem(checkpoint)
        if reason:
            return None, CheckpointProblem(where, checkpoint.seq, reason)
    return checkpoint, None


def _token_problem(checkpoint: Checkpoint) -> str:
    """Why the checkpoint's time-stamp token does not hold ("" when it does)."""
    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    try:
        response = decode_timestamp_response(base64.b64decode(checkpoint.tsa_token, validate=True))
        imprint = response.tst_info.message_imprint.message
    except Exception:
        return "time-stamp token unreadable"
    if imprint != hashlib.sha256(checkpoint.signed_bytes()).digest():
        return "time-stamp token is for another content (message imprint differs)"
    if not settings.AUDIT_TSA_CA_FILE:
        return ""
    roots = x509.load_pem_x509_certificates(Path(settings.AUDIT_TSA_CA_FILE).read_bytes())
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    try:
        builder.build().verify_message(response, checkpoint.signed_bytes())
    except VerificationError as exc:
        return f"time-stamp token not signed by the configured authority ({exc})"
    return ""


def _against_chain(pinned: list[tuple[str, Checkpoint]]) -> list[CheckpointProblem]:
    """Each checkpoint's seq must still hold its hash on the chain."""
    problems = []
    seqs = sorted({checkpoint.seq for _, checkpoint in pinned})
    stored: dict[int, str] = {}
    for start in range(0, len(seqs), 1000):
        chunk = seqs[start : start + 1000]
        stored.update(AuditEvent.objects.filter(seq__in=chunk).values_list("seq", "hash"))
    for where, checkpoint in pinned:
        actual = stored.get(checkpoint.seq)
        if actual is None:
            reason = f"event #{checkpoint.seq} is missing from the chain (removed since {checkpoint.time})"
            problems.append(CheckpointProblem(where, checkpoint.seq, reason))
        elif actual != checkpoint.hash:
            reason = (
                f"event #{checkpoint.seq} has hash {actual[:16]}…, the checkpoint of {checkpoint.time} recorded "
                f"{checkpoint.hash[:16]}…: the chain up to #{checkpoint.seq} was rewritten"
            )
            problems.append(CheckpointProblem(where, checkpoint.seq, reason))
    return problems
