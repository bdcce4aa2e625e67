"""Writes of the index. The owning module's write paths call ``index_upsert`` (after they changed a
record: the entry is rebuilt from the record as it now is, whatever changed) and ``index_delete``
(the record is gone), inside their own transaction: the entry changes, or not, with the record.
Nothing is queued, so nothing accepted can be lost between the write and the index; and a change
of who may see a record (an access list set, a handing-over) is in the index the moment it is
committed. ``reindex`` rebuilds a kind from its records (`congan search_reindex [kind]`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.search import providers
from congan.search.models import SearchEntry, SearchGrant
from congan.search.providers import Entry
from congan.search.text import as_stored, fold_aligned

logger = logging.getLogger(__name__)
BATCH = 500
TITLE_LENGTH = SearchEntry._meta.get_field("title").max_length or 600
SUBTITLE_LENGTH = SearchEntry._meta.get_field("subtitle").max_length or 300


def index_upsert(*, kind: str, ids: Iterable[int]) -> int:
    """Rebuild the entries of records ``ids`` of ``kind`` from the records; a record that is not
    searchable (any more) loses its entry. Returns the number of entries written. One batch is a
    handful of statements whatever its size (a reindex writes 500 at a time)."""
    provider = providers.get(kind)
    wanted = sorted({int(pk) for pk in ids})
    if not wanted:
        return 0
    with transaction.atomic():
        existing = {
            entry.source_id: entry
            for entry in SearchEntry.objects.select_for_update().filter(kind=kind, source_id__in=wanted)
        }
        created: list[tuple[SearchEntry, Entry]] = []
        kept: list[tuple[SearchEntry, Entry]] = []
        changed: list[SearchEntry] = []
        changed_fields: set[str] = set()
        gone: list[int] = []
        for source_id, built in provider.entries(wanted):
            if built is None:
                gone.append(source_id)
                continue
            previous = existing.get(source_id)
            fields = _fields(built, previous)
            if previous is None:
                created.append((SearchEntry(kind=kind, source_id=built.source_id, **fields), built))
                continue
            names = [
                name for name, value in fields.items() if name != "updated_at" and getattr(previous, name) != value
            ]
            if names:
                for name in [*names, "updated_at"]:
                    setattr(previous, name, fields[name])
                changed.append(previous)
                changed_fields.update(names)
            kept.append((previous, built))
        SearchEntry.objects.bulk_create([entry for entry, _ in created])
        if changed:
            # Only the columns that changed: FTS5's update trigger re-reads a row's text only when
            # a text column is among them.
            SearchEntry.objects.bulk_update(changed, fields=[*sorted(changed_fields), "updated_at"])
        if kept:
            SearchGrant.objects.filter(entry__in=[entry for entry, _ in kept]).delete()
        grants = [grant for entry, built in [*created, *kept] if built.restricted for grant in _grants(entry, built)]
        SearchGrant.objects.bulk_create(grants)
        if gone:
            index_delete(kind=kind, ids=gone)
    return len(created) + len(kept)


def index_delete(*, kind: str, ids: Iterable[int]) -> int:
    """Remove the entries of records ``ids`` of ``kind`` (their grants go with them)."""
    wanted = sorted({int(pk) for pk in ids})
    removed = 0
    for start in range(0, len(wanted), BATCH):
        _, deleted = SearchEntry.objects.filter(kind=kind, source_id__in=wanted[start : start + BATCH]).delete()
        removed += deleted.get(SearchEntry._meta.label, 0)
    return removed


def _texts(built: Entry, previous: SearchEntry | None) -> tuple[str, str]:
    """(the file's text, its SHA-256): read again only when the file changed."""
    attachment = built.attachment
    if attachment is None:
        return "", ""
    if previous is not None and previous.content_sha256 == attachment.sha256:
        return previous.content, attachment.sha256
    try:
        return as_stored(attachment.read_text()), attachment.sha256
    except Exception:  # a file that cannot be read is searched by its metadata, never a failed write
        logger.warning("search: the text of %s could not be read", attachment.sha256, exc_info=True)
        return "", attachment.sha256


def _fields(built: Entry, previous: SearchEntry | None) -> dict[str, Any]:
    """The entry's columns as ``built`` says them (the file's text reused when its file is the same)."""
    content, sha = _texts(built, previous)
    title = as_stored(built.title, TITLE_LENGTH)
    body = as_stored(built.body)
    return {
        "unit_id": built.unit_id,
        "day": built.day,
        "type_code": built.type_code,
        "type_label": built.type_label,
        "title": title,
        "subtitle": as_stored(built.subtitle, SUBTITLE_LENGTH),
        "body": body,
        "content": content,
        "title_folded": fold_aligned(title),
        "body_folded": fold_aligned(body),
        "content_folded": fold_aligned(content),
        "content_sha256": sha,
        "url_name": built.url_name,
        "restricted": built.restricted,
        "updated_at": timezone.now(),
    }


def _grants(entry: SearchEntry, built: Entry) -> list[SearchGrant]:
    grants = built.grants
    return (
        [SearchGrant(entry=entry, officer_id=officer) for officer in sorted(grants.officers)]
        + [SearchGrant(entry=entry, unit_id=unit) for unit in sorted(grants.units)]
        + [SearchGrant(entry=entry, permission=permission) for permission in sorted(grants.permissions)]
        + [
            SearchGrant(entry=entry, officer_id=officer, until=until)
            for officer, until in sorted(grants.officers_until)
        ]
    )


@dataclass(frozen=True)
class Reindexed:
    kind: str
    written: int
    removed: int


def _batches(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    while batch := list(islice(ids, size)):
        yield batch


def reindex(*, kind: str, batch: int = BATCH) -> Reindexed:
    """Rebuild every entry of ``kind`` from its records, in batches (each its own transaction):
    entries of records that no longer exist, or are no longer searchable, are removed."""
    provider = providers.get(kind)
    written = removed = 0
    previous_last: int | None = None
    for ids in _batches(provider.all_ids(), batch):
        with transaction.atomic():
            # Entries up to this batch's last id (after the previous batch's) whose record is gone.
            stale = SearchEntry.objects.filter(kind=kind, source_id__lte=ids[-1]).exclude(source_id__in=ids)
            if previous_last is not None:
                stale = stale.filter(source_id__gt=previous_last)
            removed += index_delete(kind=kind, ids=list(stale.values_list("source_id", flat=True)))
            written += index_upsert(kind=kind, ids=ids)
        previous_last = ids[-1]
    beyond = SearchEntry.objects.filter(kind=kind)
    if previous_last is not None:
        beyond = beyond.filter(source_id__gt=previous_last)
    removed += index_delete(kind=kind, ids=list(beyond.values_list("source_id", flat=True)))
    return Reindexed(kind=kind, written=written, removed=removed)
