"""Flushing what a process holds in memory when it ends."""

from congan.core import shutdown


def test_at_process_exit_registers_with_atexit_and_with_multiprocessings_finalizers(monkeypatch):
    registered, finalizers = [], []
    monkeypatch.setattr(shutdown.atexit, "register", registered.append)
    monkeypatch.setattr(
        shutdown.multiprocessing.util, "Finalize", lambda obj, callback, exitpriority: finalizers.append(callback)
    )
    shutdown.at_process_exit(print)
    assert registered == [print] and finalizers == [print]
