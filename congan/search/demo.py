"""`congan demo`: the full-text index of the demo's records, built after the modules wrote them
(their demo builders insert in bulk, past the write paths that keep the index)."""

from __future__ import annotations

from typing import Any

from congan.search import providers
from congan.search.services import reindex


def demo_build_index(*, province: Any, **options: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for provider in providers.all_providers():
        done = reindex(kind=provider.kind)
        counts[provider.kind] = done.written
    return counts
