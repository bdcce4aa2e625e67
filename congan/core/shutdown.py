"""Work a process must do before it ends (flushing what it holds in memory)."""

from __future__ import annotations

import atexit
import multiprocessing.util
from collections.abc import Callable


def at_process_exit(callback: Callable[[], None]) -> None:
    """Run ``callback`` when this process ends cleanly: at interpreter exit (``atexit``) and when a
    server worker started by multiprocessing (granian's) stops, which ends with ``os._exit`` and so
    skips ``atexit`` but runs multiprocessing's finalizers. The callback may run twice: it must find
    nothing left to do the second time."""
    atexit.register(callback)
    multiprocessing.util.Finalize(None, callback, exitpriority=100)
