"""Reads of the archive, unit-scoped: an officer sees the items and dossiers of their unit's
subtree (congan.core.scoping). ``pages_for_index`` is what the platform's search service reads to
index the archive's text (it filters by viewer when it answers, not here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from congan.archive.models import (
    ArchiveItem,
    ArchivePage,
    Dossier,
    ItemStatus,
    MetadataSuggestion,
    PageVersion,
    RetentionSchedule,
)
from congan.core.errors import NotFound
from congan.core.scoping import scope_to_viewer
from congan.core.text import fold

VIEW = "archive.view_archiveitem"
UPLOAD = "archive.add_archiveitem"
CORRECT = "archive.change_archivepage"
FILE = "archive.change_archiveitem"  # put an item in a dossier, confirm its metadata
VIEW_DOSSIERS = "archive.view_dossier"
ADD_DOSSIER = "archive.add_dossier"
CHANGE_DOSSIER = "archive.change_dossier"


def _allowed(viewer: Any, permission: str) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and viewer.has_perm(permission))


def items_visible(*, viewer: Any) -> QuerySet[ArchiveItem]:
    if not _allowed(viewer, VIEW):
        return ArchiveItem.objects.none()
    return scope_to_viewer(ArchiveItem.objects.all(), viewer=viewer)


def item_list(*, viewer: Any, status: str = "", q: str = "") -> QuerySet[ArchiveItem]:
    items = items_visible(viewer=viewer).select_related("unit", "dossier")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    if q:
        folded = fold(q)
        items = items.filter(
            Q(title__icontains=q) | Q(original_name__icontains=q) | Q(pages__text_folded__contains=folded)
        ).distinct()
    return items.order_by("-created_at", "-pk")


def items_in_progress(*, viewer: Any) -> QuerySet[ArchiveItem]:
    """Items waiting or being read, then those that failed in the last week: the home page's list."""
    week_ago = dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=7)
    return (
        items_visible(viewer=viewer)
        .filter(
            Q(status__in=[ItemStatus.QUEUED, ItemStatus.PROCESSING])
            | Q(status=ItemStatus.FAILED, updated_at__gte=week_ago)
        )
        .select_related("unit")
        .order_by("created_at", "pk")
    )


def unfiled_items(*, viewer: Any) -> QuerySet[ArchiveItem]:
    return (
        items_visible(viewer=viewer).filter(dossier__isnull=True, status=ItemStatus.DONE).order_by("-created_at", "-pk")
    )


def item_open(*, viewer: Any, item_id: int) -> ArchiveItem:
    item = (
        items_visible(viewer=viewer)
        .select_related("unit", "dossier", "dossier__unit", "created_by")
        .prefetch_related(
            Prefetch(
                "pages", queryset=ArchivePage.objects.order_by("number").annotate(version_count=Count("versions"))
            ),
            Prefetch("suggestions", queryset=MetadataSuggestion.objects.order_by("kind", "page_number", "pk")),
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def item_status(*, viewer: Any, item_id: int) -> ArchiveItem:
    item = items_visible(viewer=viewer).filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def page_open(*, viewer: Any, item_id: int, number: int) -> ArchivePage:
    page = (
        ArchivePage.objects.filter(item__in=items_visible(viewer=viewer), item_id=item_id, number=number)
        .select_related("item")
        .first()
    )
    if page is None:
        raise NotFound()
    return page


def page_versions(*, page: ArchivePage) -> QuerySet[PageVersion]:
    return page.versions.select_related("replaced_by").order_by("-replaced_at", "-pk")


def dossiers_visible(*, viewer: Any) -> QuerySet[Dossier]:
    if not _allowed(viewer, VIEW_DOSSIERS):
        return Dossier.objects.none()
    return scope_to_viewer(Dossier.objects.all(), viewer=viewer)


def dossier_list(*, viewer: Any, q: str = "", year: int | None = None) -> QuerySet[Dossier]:
    dossiers = dossiers_visible(viewer=viewer).select_related("unit", "retention").annotate(item_count=Count("items"))
    if year:
        dossiers = dossiers.filter(year=year)
    if q:
        dossiers = dossiers.filter(Q(title_folded__contains=fold(q)) | Q(file_code__icontains=q.strip()))
    return dossiers.order_by("-year", "file_code")


def recent_dossiers(*, viewer: Any, limit: int = 10) -> list[Dossier]:
    return list(
        dossiers_visible(viewer=viewer)
        .select_related("unit", "retention")
        .annotate(item_count=Count("items"))
        .order_by("-updated_at", "-pk")[:limit]
    )


def dossier_open(*, viewer: Any, dossier_id: int) -> Dossier:
    dossier = (
        dossiers_visible(viewer=viewer)
        .select_related("unit", "retention", "created_by")
        .prefetch_related(Prefetch("items", queryset=ArchiveItem.objects.order_by("position", "pk")))
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound()
    return dossier


def dossiers_to_file_into(*, viewer: Any, item: ArchiveItem) -> QuerySet[Dossier]:
    """The dossiers an item may be put in: its unit's subtree's, within the viewer's scope."""
    return dossiers_visible(viewer=viewer).filter(unit__path__startswith=item.unit.path).order_by("-year", "file_code")


def retention_schedules() -> QuerySet[RetentionSchedule]:
    return RetentionSchedule.objects.filter(active=True).order_by("record_type")


@dataclass(frozen=True)
class PageForIndex:
    """One page as the search service indexes it: the folded text, and what decides who may see it."""

    item_id: int
    page_number: int
    text_folded: str
    unit_id: int
    dossier_id: int | None
    item_title: str


def pages_for_index(
    *, item_ids: list[int] | None = None, changed_since: dt.datetime | None = None, batch: int = 2000
) -> Iterator[PageForIndex]:
    """Every page of finished items (or of ``item_ids``, or changed since ``changed_since``), in
    (item, page) order, read in batches so a million pages never sit in memory at once."""
    pages = ArchivePage.objects.filter(item__status=ItemStatus.DONE)
    if item_ids is not None:
        pages = pages.filter(item_id__in=item_ids)
    if changed_since is not None:
        pages = pages.filter(updated_at__gte=changed_since)
    rows = pages.order_by("item_id", "number").values_list(
        "item_id", "number", "text_folded", "item__unit_id", "item__dossier_id", "item__title"
    )
    for item_id, number, text_folded, unit_id, dossier_id, title in rows.iterator(chunk_size=batch):
        yield PageForIndex(item_id, number, text_folded, unit_id, dossier_id, title)
