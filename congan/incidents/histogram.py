"""Fixed log-spaced buckets for response intervals, and percentiles read from bucket counts.

The response-time page shows the 50th and 90th percentile of each interval by commune, kind and
month. Exact percentiles need every value; the page instead reads, per unit, department, kind
family, month and interval, how many intervals fell in each of these buckets (kept incrementally
by congan.incidents.aggregates), so its cost does not follow the number of reports.

Buckets (seconds): [0, 15), then 76 buckets each a quarter of a doubling wide —
[15·2^((k-1)/4), 15·2^(k/4)) for k = 1…76, i.e. every edge 18.9 % above the one before —, and
[15·2^19 s ≈ 91 days, ∞). A value is read as its bucket's geometric centre (7.5 s in the first
bucket, 91 days in the last), so every value, and hence every percentile interpolated between two
of them, is within ±9.1 % of the exact one (within 7.5 s below 15 s; "91 days or more" in the top
bucket). The percentile is the one of ``intervals.percentiles`` (inclusive method) applied to
those values. Negative intervals (a clock set wrong) count as 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FIRST_EDGE = 15.0  # seconds
PER_DOUBLING = 4
LOG_BUCKETS = 76  # 15 s · 2^19 ≈ 91 days
BUCKETS = LOG_BUCKETS + 2  # [0, 15 s), the log-spaced ones, [91 days, ∞)
TOP = BUCKETS - 1
RELATIVE_RESOLUTION = 2 ** (1 / (2 * PER_DOUBLING)) - 1  # 0.0905: half a bucket, geometrically
COLUMNS = tuple(f"b{index:02d}" for index in range(BUCKETS))


def lower_edge(index: int) -> float:
    """Seconds where bucket ``index`` starts."""
    if index <= 0:
        return 0.0
    return FIRST_EDGE * 2 ** ((index - 1) / PER_DOUBLING)


def bucket_of(seconds: float) -> int:
    """The bucket of an interval of ``seconds``."""
    if seconds < FIRST_EDGE:
        return 0
    index = min(TOP, math.floor(PER_DOUBLING * math.log2(seconds / FIRST_EDGE)) + 1)
    # The logarithm may land a hair off an edge: settle the index against the edges themselves.
    while index < TOP and seconds >= lower_edge(index + 1):
        index += 1
    while index > 1 and seconds < lower_edge(index):
        index -= 1
    return index


def centre(index: int) -> float:
    """The value (seconds) a bucket's intervals are read as."""
    if index <= 0:
        return FIRST_EDGE / 2
    if index >= TOP:
        return lower_edge(TOP)
    return math.sqrt(lower_edge(index) * lower_edge(index + 1))


def _value_at(counts: Sequence[int], rank: int) -> float:
    """The ``rank``-th smallest value (0-based), read as its bucket's centre."""
    seen = 0
    for index, count in enumerate(counts):
        seen += count
        if rank < seen:
            return centre(index)
    raise IndexError(rank)


def quantile(counts: Sequence[int], q: float) -> float | None:
    """The ``q`` quantile (0…1) in seconds, inclusive method, from bucket counts; None when empty."""
    total = sum(counts)
    if total <= 0:
        return None
    position = q * (total - 1)
    below = math.floor(position)
    value = _value_at(counts, below)
    if position > below:
        value += (position - below) * (_value_at(counts, below + 1) - value)
    return value


def percentiles_minutes(counts: Sequence[int]) -> dict[str, float | None]:
    """P50 and P90 in minutes, as the page shows them."""
    result: dict[str, float | None] = {}
    for name, q in (("p50", 0.5), ("p90", 0.9)):
        seconds = quantile(counts, q)
        result[name] = None if seconds is None else seconds / 60
    return result
