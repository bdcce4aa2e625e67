"""Records other than the resident's own that carry a resident's personal data, so that "who
looked me up" lists the reads of those too (a dossier carries its applicant's data).

An app registers a source once (in its ``AppConfig.ready``): the audit target type of its
records, how to find the records of one resident, and what each read action means to the
citizen. The sources are read when the history is shown: stored audit events stay as they were.
An event whose details list ``residents`` (a page that shows several people) counts only for the
residents it lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from congan.population.models import Resident


@dataclass(frozen=True)
class LookupSource:
    target_type: str
    target_ids: Callable[[Resident], list[str]]
    labels: Mapping[str, Any] = field(default_factory=dict)  # audit action → what the citizen reads


_sources: dict[str, LookupSource] = {}


def register_lookup_source(source: LookupSource) -> LookupSource:
    """Add (or replace, by target type) a source of "who looked me up"."""
    _sources[source.target_type] = source
    return source


def lookup_sources() -> list[LookupSource]:
    return list(_sources.values())


def action_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for source in _sources.values():
        labels.update(source.labels)
    return labels
