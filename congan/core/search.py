"""The officers' search box: each app registers a resolver that turns what was typed (a dossier
number, a report's tracking code, a plate, a personal ID, a name) into the records it names
among those the officer may see. One exact hit opens the record; otherwise a page lists them.

A resolver reads nothing it would not show: it returns links, and the page it links to asks for
a purpose and audits the read where personal data opens (the resident profile's purpose gate)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_QUERY = 100


@dataclass(frozen=True)
class Hit:
    kind: str  # what the record is, as people say it ("Hồ sơ dịch vụ công")
    title: str
    url: str
    exact: bool = True  # names one record (False: a search to run, e.g. by name)


Resolver = Callable[[str, Any], list[Hit]]
_resolvers: list[Resolver] = []


def register(resolver: Resolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def search(*, viewer: Any, q: str) -> list[Hit]:
    text = " ".join((q or "").split())[:MAX_QUERY]
    if not text:
        return []
    return [hit for resolver in _resolvers for hit in resolver(text, viewer)]


def the_one(hits: list[Hit]) -> Hit | None:
    """The record to open straight away: the only hit, when it names one record."""
    return hits[0] if len(hits) == 1 and hits[0].exact else None
