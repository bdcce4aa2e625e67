"""The officers' search box: each app registers a resolver that turns what was typed (a dossier
number, a report's tracking code, a plate, a personal ID, a name) into the records it names
among those the officer may see. One exact hit opens the record; otherwise a page lists them.

A resolver reads nothing it would not show: it returns links, and the page it links to asks for
a purpose and audits the read where personal data opens (the resident profile's purpose gate)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

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


@dataclass(frozen=True)
class Elsewhere:
    """Another search the typed words can be taken to (the full-text search of documents): the page
    links to it with ``?q=`` when ``visible(viewer)``."""

    label: Any
    url_name: str
    visible: Callable[[Any], bool]


_elsewhere: list[Elsewhere] = []


def register_elsewhere(item: Elsewhere) -> None:
    if all(existing.url_name != item.url_name for existing in _elsewhere):
        _elsewhere.append(item)


def elsewhere_for(viewer: Any, q: str) -> list[tuple[str, str]]:
    """(label, URL) of the other searches the viewer may take ``q`` to."""
    text = " ".join((q or "").split())[:MAX_QUERY]
    query = f"?{urlencode({'q': text})}" if text else ""
    return [(str(item.label), reverse(item.url_name) + query) for item in _elsewhere if item.visible(viewer)]


def the_one(hits: list[Hit]) -> Hit | None:
    """The record to open straight away: the only hit, when it names one record."""
    return hits[0] if len(hits) == 1 and hits[0].exact else None
