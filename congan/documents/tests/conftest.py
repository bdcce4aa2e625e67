"""Fixtures of the documents tests that sign: the loopback PKI of congan.signatures (its root as the
only trust root), so that copies, attachments and closed registers are signed for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from congan.signatures.tests.conftest import pki, trusted  # noqa: F401 - the loopback PKI and its root


@pytest.fixture
def signing(settings, tmp_path: Path, trusted) -> None:  # noqa: F811 - the imported fixture
    """Media in a temporary folder, no timestamp authority, verification offline, the test root trusted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_VERIFY_ONLINE = False
