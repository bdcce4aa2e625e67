"""The buffered writer: events wait in memory, are chained in order in batches, survive a failed
flush, are written at shutdown, and never go on the chain inside a caller's transaction."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import OperationalError

from congan.core.audit import audit_enqueue, buffer, chain
from congan.core.audit.chain import verify
from congan.core.models import AuditEvent

REPO = Path(__file__).resolve().parents[3]


def _enqueue(count: int, prefix: str = "test.lookup") -> None:
    for i in range(count):
        audit_enqueue(actor=None, action=f"{prefix}.{i}", target_type="population.resident", target_id=str(i))


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


@pytest.mark.django_db
def test_buffered_events_reach_the_chain_only_at_flush_in_order_and_in_one_batch():
    before = buffer.stats()
    _enqueue(5)

    assert AuditEvent.objects.count() == 0
    assert buffer.pending_count() == 5

    assert buffer.flush() == 5

    rows = list(AuditEvent.objects.order_by("seq"))
    assert [row.action for row in rows] == [f"test.lookup.{i}" for i in range(5)]
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 5))
    assert buffer.pending_count() == 0
    after = buffer.stats()
    assert after["batches"] - before["batches"] == 1
    assert after["flushed"] - before["flushed"] == 5
    assert verify() == (5, None)


@pytest.mark.django_db
def test_flush_cuts_the_queue_into_batches_of_max_events(settings):
    settings.AUDIT_BUFFER_MAX_EVENTS = 3
    before = buffer.stats()["batches"]
    _enqueue(7)  # inside the test's transaction: the automatic flush waits for a commit

    assert AuditEvent.objects.count() == 0
    assert buffer.flush() == 7
    assert buffer.stats()["batches"] - before == 3
    assert _actions() == [f"test.lookup.{i}" for i in range(7)]


@pytest.mark.django_db
def test_failing_flush_keeps_every_event_queued_in_order_for_the_retry(monkeypatch):
    before = buffer.stats()["failed_batches"]
    _enqueue(4)

    def database_down(events, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(chain, "append", database_down)
    with pytest.raises(OperationalError):
        buffer.flush()

    assert buffer.pending_count() == 4
    assert buffer.stats()["failed_batches"] - before == 1
    assert AuditEvent.objects.count() == 0

    monkeypatch.undo()
    _enqueue(1, prefix="test.later")
    assert buffer.flush() == 5
    assert _actions() == [*(f"test.lookup.{i}" for i in range(4)), "test.later.0"]
    assert verify() == (5, None)


@pytest.mark.django_db
def test_full_buffer_is_flushed_only_after_the_callers_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_BUFFER_MAX_EVENTS = 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _enqueue(3)
        assert AuditEvent.objects.count() == 0

    assert len(callbacks) == 1
    assert _actions() == ["test.lookup.0", "test.lookup.1", "test.lookup.2"]
    assert buffer.pending_count() == 0


@pytest.mark.django_db(transaction=True)
def test_full_buffer_outside_a_transaction_is_chained_at_once(settings):
    settings.AUDIT_BUFFER_MAX_EVENTS = 3
    _enqueue(2)
    assert AuditEvent.objects.count() == 0

    _enqueue(1, prefix="test.third")

    assert AuditEvent.objects.count() == 3
    assert buffer.pending_count() == 0


@pytest.mark.django_db(transaction=True)
def test_past_the_pending_cap_enqueue_fails_with_the_database_and_keeps_the_events(settings, monkeypatch):
    settings.AUDIT_BUFFER_MAX_PENDING = 3

    def database_down(events, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(chain, "append", database_down)
    _enqueue(2)
    with pytest.raises(OperationalError):
        _enqueue(1, prefix="test.third")

    assert buffer.pending_count() == 3
    monkeypatch.undo()
    assert buffer.flush() == 3
    assert verify() == (3, None)


@pytest.mark.django_db
def test_shutdown_flush_writes_the_pending_events():
    _enqueue(3)

    buffer._flush_at_exit()

    assert buffer.pending_count() == 0
    assert _actions() == ["test.lookup.0", "test.lookup.1", "test.lookup.2"]


def test_shutdown_flush_is_registered_for_process_exit(monkeypatch):
    registered = []
    monkeypatch.setattr(buffer, "_shutdown_installed", False)
    monkeypatch.setattr(buffer, "at_process_exit", registered.append)
    monkeypatch.setattr(buffer.signal, "signal", lambda *args: None)
    monkeypatch.setattr(buffer.os, "register_at_fork", lambda **kwargs: None)

    buffer.install_shutdown_flush()

    assert registered == [buffer._flush_at_exit]


@pytest.mark.django_db(transaction=True)
def test_background_thread_chains_events_without_an_explicit_flush(settings):
    settings.AUDIT_BUFFER_BACKGROUND = True
    settings.AUDIT_BUFFER_FLUSH_SECONDS = 0.02
    try:
        _enqueue(10)
        deadline = time.monotonic() + 30
        while buffer.pending_count() and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        buffer.stop()

    assert buffer.pending_count() == 0
    assert _actions() == [f"test.lookup.{i}" for i in range(10)]
    assert verify() == (10, None)


# --- a real process: the queue is written at exit and on SIGTERM ------------------------------

_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    import django
    django.setup()
    from django.conf import settings
    settings.AUDIT_BUFFER_FLUSH_SECONDS = 3600  # the timer never fires: only shutdown can write
    from congan.core.audit import audit_enqueue, buffer
    for i in range(int(sys.argv[2])):
        audit_enqueue(actor=None, action=sys.argv[1] + "." + str(i), purpose="tra cứu")
    assert buffer.pending_count() == int(sys.argv[2])
    if sys.argv[1] == "sigterm":
        os.kill(os.getpid(), signal.SIGTERM)
        signal.pause()
    """
)


@pytest.fixture(scope="module")
def child_env(tmp_path_factory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("audit-child")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(CONGAN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="congan.settings", SECRET_KEY="test-only")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=REPO, env=env, check=True)
    return env


def _child_actions(env: dict[str, str]) -> list[str]:
    database = Path(env["CONGAN_DATA_DIR"]) / "congan.sqlite3"
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT action FROM core_auditevent ORDER BY seq")]


@pytest.mark.slow
def test_process_exiting_normally_writes_its_queue(child_env):
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, "exit", "3"], cwd=REPO, env=child_env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert [a for a in _child_actions(child_env) if a.startswith("exit.")] == ["exit.0", "exit.1", "exit.2"]


@pytest.mark.slow
def test_process_stopped_by_sigterm_writes_its_queue_then_dies_of_sigterm(child_env):
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, "sigterm", "4"], cwd=REPO, env=child_env, capture_output=True, text=True
    )

    assert result.returncode == -signal.SIGTERM, result.stderr
    assert [a for a in _child_actions(child_env) if a.startswith("sigterm.")] == [f"sigterm.{i}" for i in range(4)]
