"""The production server (``congan serve``: granian) sends the operator's PMTiles archive in byte
ranges exactly as Django's test client sees them: small ranges, a range of several MiB streamed in
pieces, the whole file, and HEAD without a body."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from email.message import Message

import pytest

from congan.core.testing.redis import free_port
from tests.map_files import write_vector_pmtiles
from tests.server_process import wait_until_up

pytestmark = pytest.mark.slow


def _fetch(url: str, method: str = "GET", **headers: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_production_server_sends_the_base_map_in_ranges(tmp_path):
    archive = tmp_path / "tinh.pmtiles"
    write_vector_pmtiles(archive, (108.1, 16.0, 108.3, 16.1), range(0, 6))
    with archive.open("ab") as handle:  # past the tiles: bytes no directory points at, 3 MiB of them
        handle.write(os.urandom(3 * 1024 * 1024))
    data = archive.read_bytes()
    port = free_port()
    env = {
        **os.environ,
        "CONGAN_DATA_DIR": str(tmp_path / "data"),
        "CONGAN_BIND": f"127.0.0.1:{port}",
        "CONGAN_WORKERS": "1",
        "CONGAN_TASK_WORKER": "0",
        "CONGAN_ACCESS_LOG": "off",
        "LOG_LEVEL": "WARNING",
        "CONGAN_BASEMAP_FILE": str(archive),
        "DJANGO_SETTINGS_MODULE": "congan.settings",
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "congan.cli", "serve"], env=env)
    url = f"http://127.0.0.1:{port}/ban-do/nen.pmtiles"
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server)
        status, headers, body = _fetch(url, Range="bytes=0-16383")
        assert (status, body) == (206, data[:16384])
        assert headers["Content-Range"] == f"bytes 0-16383/{len(data)}"
        status, headers, body = _fetch(url, Range="bytes=100-")  # over 1 MiB: streamed in pieces
        assert (status, body) == (206, data[100:]) and headers["Content-Length"] == str(len(data) - 100)
        status, headers, body = _fetch(url)
        assert (status, body) == (200, data) and headers["Accept-Ranges"] == "bytes"
        status, headers, body = _fetch(url, method="HEAD", Range="bytes=0-9")
        assert (status, headers["Content-Length"], body) == (206, "10", b"")
        status, headers, _ = _fetch(url, Range=f"bytes={len(data)}-")
        assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
