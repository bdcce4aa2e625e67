"""What a module gives the search service for each kind of record it makes searchable.

A module (documents today, the archive after it) writes one ``Provider`` per kind and registers it
in its ``AppConfig.ready``; the search service imports no module. The provider turns one of its
records into an ``Entry`` (or ``None`` when the record must not be searchable: classified,
withdrawn, gone), and its write paths call ``congan.search.services.index_upsert`` in the same
transaction. ``visible_ids`` is the provider's own permission check, asked again for the rows of
each page shown: a safety net under the query's filter, never the filter itself.

Plugging in the archive after the merge::

    class ArchivePages(Provider):
        kind = "archive.page"
        label = gettext_lazy("Trang tài liệu lưu trữ")
        permission = "archive.view_dossier"

        def entries(self, ids): ...          # one Entry per page of text (None: not searchable)
        def all_ids(self): ...               # every page id, for `congan search_reindex archive.page`
        def visible_ids(self, viewer, ids): ...

    search.providers.register(ArchivePages())  # in ArchiveConfig.ready
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Grants:
    """An access list: the officers and units it names, and permissions whose holders see it;
    ``officers_until``: officers who see it until a moment (access approved for a time)."""

    officers: frozenset[int] = frozenset()
    units: frozenset[int] = frozenset()
    permissions: frozenset[str] = frozenset()
    officers_until: frozenset[tuple[int, dt.datetime]] = frozenset()


@dataclass(frozen=True)
class Attachment:
    """A file whose text belongs in the entry: read (``read_text``) only when its SHA-256 differs
    from the one the entry was last built with."""

    sha256: str
    read_text: Callable[[], str]


@dataclass(frozen=True)
class Entry:
    """The searchable form of one record. Texts are as people wrote them (with diacritics); the
    service folds them. ``title`` is what a result is called; ``subtitle`` a short line under it
    (issuer, status); ``body`` the text searched and shown in snippets."""

    source_id: int
    unit_id: int
    title: str
    url_name: str  # reversed with (source_id,)
    day: dt.date | None = None
    type_code: str = ""
    type_label: str = ""  # a data name (shown with data_label)
    subtitle: str = ""
    body: str = ""
    attachment: Attachment | None = None
    restricted: bool = False
    grants: Grants = field(default_factory=Grants)


class Provider:
    """One kind of searchable record (subclass it; see the module's docstring)."""

    kind: str = ""
    label: Any = ""  # what a result is, as people say it ("Văn bản đến"), translated lazily
    permission: str = ""  # the Django permission without which a viewer sees none of this kind
    # The permissions a grant of this kind may name (see Grants.permissions).
    grant_permissions: tuple[str, ...] = ()

    def entries(self, ids: Iterable[int]) -> Iterator[tuple[int, Entry | None]]:
        """(id, its Entry or None) for each id: None when the record is missing or not searchable."""
        raise NotImplementedError

    def all_ids(self) -> Iterator[int]:
        """Every record id of this kind, in ascending order (a reindex walks them in batches)."""
        raise NotImplementedError

    def visible_ids(self, viewer: Any, ids: list[int]) -> set[int]:
        """Those of ``ids`` the viewer may open, by the module's own rules."""
        raise NotImplementedError

    def types(self) -> list[tuple[str, str]]:
        """(type_code, type_label) of the types its entries carry, for the search page's filter."""
        return []


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    if not provider.kind:
        raise ValueError("a search provider needs a kind")
    _providers[provider.kind] = provider


def get(kind: str) -> Provider:
    return _providers[kind]


def all_providers() -> list[Provider]:
    return list(_providers.values())


def kinds_for(viewer: Any) -> list[Provider]:
    """The kinds the viewer may see any record of."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return [provider for provider in _providers.values() if viewer.has_perm(provider.permission)]


ANY_KIND = gettext_lazy("Tất cả")
