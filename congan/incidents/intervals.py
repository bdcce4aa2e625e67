"""The standard intervals of a response (from the report's and its first assignment's timestamps)
and their percentiles: pure functions behind the response-time metrics."""

from __future__ import annotations

import datetime as dt
import statistics

from congan.incidents.models import Assignment, Report

INTERVALS = {
    "processing": ("received_at", "dispatched_at"),  # report received → first unit dispatched
    "turnout": ("dispatched_at", "en_route_at"),  # unit dispatched → unit leaves
    "travel": ("en_route_at", "on_scene_at"),  # unit leaves → unit on scene
    "response": ("received_at", "on_scene_at"),  # report received → first unit on scene
    "total": ("received_at", "closed_at"),  # report received → report closed
}


def intervals_of(report: Report, assignment: Assignment | None) -> dict[str, float | None]:
    """Seconds of each standard interval, for a report and its first assignment (None when unknown)."""
    return intervals_between(
        {
            "received_at": report.received_at,
            "closed_at": report.closed_at,
            "on_scene_at": report.on_scene_at,
            "dispatched_at": assignment.dispatched_at if assignment else report.dispatched_at,
            "en_route_at": assignment.en_route_at if assignment else None,
        }
    )


def intervals_between(moments: dict[str, dt.datetime | None]) -> dict[str, float | None]:
    """Seconds of each standard interval from the moments INTERVALS names (None when one is unknown)."""
    result: dict[str, float | None] = {}
    for name, (start, end) in INTERVALS.items():
        began, ended = moments[start], moments[end]
        result[name] = (ended - began).total_seconds() if began and ended else None
    return result


def percentiles(values: list[float]) -> dict[str, float | None]:
    """50th and 90th percentile (inclusive method: the values themselves bound the result). The page
    reads them from bucket counts instead (congan.incidents.histogram), within ±9 % of these."""
    if not values:
        return {"p50": None, "p90": None}
    if len(values) == 1:
        return {"p50": values[0], "p90": values[0]}
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    return {"p50": statistics.median(values), "p90": cuts[8]}
