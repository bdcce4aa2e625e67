"""gunicorn settings for ``congan serve``; every value can be overridden by CONGAN_* variables."""

import os

bind = os.environ.get("CONGAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CONGAN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("CONGAN_THREADS", "4"))
timeout = int(os.environ.get("CONGAN_TIMEOUT", "60"))
graceful_timeout = 30
accesslog = os.environ.get("CONGAN_ACCESS_LOG", "-")
max_requests = 0
preload_app = False


def worker_exit(server, worker):
    # Chain whatever audit events this worker still holds before it goes away.
    from congan.core.audit import buffer

    buffer.flush()
