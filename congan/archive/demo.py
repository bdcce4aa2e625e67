"""`congan demo` builder for the archive: filled in below."""

from __future__ import annotations

from typing import Any


def demo_build_archive(*, province: Any, **options: Any) -> dict[str, int]:
    return {}
