"""Reads of the index: ``search`` is the one full-text search of the platform (the search page,
the API, the modules' pages). Who may see what is decided inside the query that counts and pages
the results — the kinds the viewer holds the permission of, the units of their subtree, and for a
restricted entry a grant naming them, one of their units or units above it, or a permission they
hold — so no count and no page reveals a record the viewer may not open. The rows of the page
shown are then checked once more by their module (``Provider.visible_ids``): an index that missed
a change fails closed.

Every search is audited (buffered): the query, the filters and the entries shown, one event per
page, as their abstracts and file texts can name people."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.audit import audit_enqueue
from congan.core.errors import ValidationFailed
from congan.core.scoping import sees_all_units
from congan.org.models import Unit
from congan.search import engines, highlight, providers
from congan.search.models import SearchEntry, SearchGrant
from congan.search.query import Query, parse

logger = logging.getLogger(__name__)
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_RESULTS = 1000  # counted and paged up to this; "more than 1,000" beyond
AUDIT_ACTION = "search.query"


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    type_code: str = ""
    unit_id: int | None = None  # that unit and the units below it
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_details(self) -> dict[str, Any]:
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in vars(self).items()
            if value not in ("", None)
        }


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    source_id: int
    url: str
    title: highlight.Pieces
    snippet: highlight.Pieces
    subtitle: str
    type_label: str
    day: dt.date | None
    unit_name: str


@dataclass(frozen=True)
class ResultPage:
    query: Query
    filters: SearchFilters
    results: list[Result]
    count: int  # capped at MAX_RESULTS (``more`` says whether there are more)
    more: bool
    page: int
    page_size: int
    hidden_by_check: int = 0  # rows of the page the modules' own check refused (index drift)
    kinds: list[providers.Provider] = field(default_factory=list)
    near: list[Result] = field(default_factory=list)  # titles close to the words, when nothing matched

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1


def _subtree_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def visible_entries(*, viewer: Any, kinds: list[providers.Provider]) -> QuerySet[SearchEntry]:
    """Every entry of ``kinds`` the viewer may see (see the module's docstring)."""
    if not kinds or not getattr(viewer, "is_authenticated", False):
        return SearchEntry.objects.none()
    entries = SearchEntry.objects.filter(kind__in=[provider.kind for provider in kinds])
    unit = getattr(viewer, "unit", None)
    if not sees_all_units(viewer):
        if unit is None:
            return SearchEntry.objects.none()
        entries = entries.filter(unit_id__in=_subtree_ids(unit))
    granted = Q(officer_id=viewer.pk)
    if unit is not None:
        segments = unit.path.split(".")[:-1]
        paths = [".".join(segments[: index + 1]) + "." for index in range(len(segments))]
        granted |= Q(unit__path__in=paths)
    permissions = sorted(
        {permission for provider in kinds for permission in provider.grant_permissions if viewer.has_perm(permission)}
    )
    if permissions:
        granted |= Q(permission__in=permissions)
    current = SearchGrant.objects.filter(Q(until__isnull=True) | Q(until__gt=timezone.now())).filter(granted)
    return entries.filter(Q(restricted=False) | Q(pk__in=current.values("entry_id")))


def _filtered(entries: QuerySet[SearchEntry], filters: SearchFilters) -> QuerySet[SearchEntry]:
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.type_code:
        entries = entries.filter(type_code=filters.type_code)
    if filters.unit_id is not None:
        unit = Unit.objects.filter(pk=filters.unit_id).first()
        entries = entries.filter(unit_id__in=_subtree_ids(unit)) if unit is not None else entries.none()
    if filters.date_from:
        entries = entries.filter(day__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(day__lte=filters.date_to)
    return entries


def check_filters(filters: SearchFilters) -> None:
    if filters.kind and filters.kind not in {provider.kind for provider in providers.all_providers()}:
        raise ValidationFailed(
            _("Không có loại kết quả này."), code="unknown_kind", details={"kind": [_("Không có loại kết quả này.")]}
        )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        message = _("Ngày bắt đầu phải trước ngày kết thúc.")
        raise ValidationFailed(message, code="date_range_reversed", details={"date_to": [message]})


def search(
    *,
    viewer: Any,
    q: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    how: str = "page",
) -> ResultPage:
    """One page of the entries matching ``q`` that the viewer may see, best first, with their
    titles and snippets marked; audited. ValidationFailed for a query that cannot be run."""
    query = parse(q)
    filters = filters or SearchFilters()
    check_filters(filters)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    last_page = max(1, MAX_RESULTS // page_size)
    if page < 1 or page > last_page:
        message = _("Chỉ xem được %(count)d kết quả đầu tiên: hãy thu hẹp tìm kiếm.") % {"count": MAX_RESULTS}
        raise ValidationFailed(message, code="page_out_of_range", details={"page": [message]})
    kinds = providers.kinds_for(viewer)
    entries = _filtered(visible_entries(viewer=viewer, kinds=kinds), filters)
    offset = (page - 1) * page_size
    columns = ["id", "kind", "source_id", "url_name", "subtitle", "type_label", "day", "unit__name"]
    ranked = engines.ranked(entries, query)
    found: int | None = None
    if engines.is_postgres():
        # The page and, by a window over every match (which ranking reads anyway), their number in one
        # query; FTS5 refuses bm25() beside a window, so SQLite counts apart.
        ranked = ranked.annotate(total=Window(Count("id")))
        columns.append("total")
    else:
        found = matching_count(entries, query)
    rows: list[dict[str, Any]] = []
    if found is None or offset < found:
        rows = [dict(row) for row in ranked.values(*columns)[offset : offset + page_size]]
    if found is None:
        found = rows[0]["total"] if rows else matching_count(entries, query)
    rows, hidden = _checked(viewer, rows)
    results = _results(rows, query)
    near = _near(viewer, entries, query) if found == 0 else []
    audit_enqueue(
        actor=viewer,
        action=AUDIT_ACTION,
        target_type="search.entry",
        unit=getattr(viewer, "unit", None),
        details={
            "how": how,
            "q": query.text,
            "filters": filters.as_details(),
            "page": page,
            "count": min(found, MAX_RESULTS),
            "shown": [f"{result.kind}:{result.source_id}" for result in [*results, *near]],
        },
    )
    return ResultPage(
        query=query,
        filters=filters,
        results=results,
        count=min(found, MAX_RESULTS),
        more=found > MAX_RESULTS,
        page=page,
        page_size=page_size,
        hidden_by_check=hidden,
        kinds=kinds,
        near=near,
    )


def matching_count(entries: QuerySet[SearchEntry], query: Query) -> int:
    """How many of ``entries`` match, counted up to one past MAX_RESULTS."""
    return engines.matching(entries, query).order_by().values("id")[: MAX_RESULTS + 1].count()


def _checked(viewer: Any, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The rows their module lets the viewer open (all of them, unless the index missed a change)."""
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row["source_id"])
    allowed = {
        (kind, source_id) for kind, ids in by_kind.items() for source_id in providers.get(kind).visible_ids(viewer, ids)
    }
    kept = [row for row in rows if (row["kind"], row["source_id"]) in allowed]
    if len(kept) != len(rows):
        dropped = [f"{row['kind']}:{row['source_id']}" for row in rows if row not in kept]
        logger.warning("search: entries the index shows but their module refuses (reindex them): %s", dropped)
    return kept, len(rows) - len(kept)


def _results(rows: list[dict[str, Any]], query: Query) -> list[Result]:
    marked = engines.highlights([row["id"] for row in rows], query)
    results = []
    for row in rows:
        mark = marked.get(row["id"])
        if mark is None:
            continue
        title = highlight.pieces(mark.title, mark.title_folded, mark.title_written, whole=True)
        snippet = highlight.pieces(mark.snippet, mark.text_folded, mark.text_written)
        provider = providers.get(row["kind"])
        results.append(
            Result(
                kind=row["kind"],
                kind_label=str(provider.label),
                source_id=row["source_id"],
                url=reverse(row["url_name"], args=[row["source_id"]]),
                title=title or [(mark.title_written, False)],
                snippet=snippet,
                subtitle=row["subtitle"],
                type_label=row["type_label"],
                day=row["day"],
                unit_name=row["unit__name"],
            )
        )
    return results


NEAR = 5


def _near(viewer: Any, entries: QuerySet[SearchEntry], query: Query) -> list[Result]:
    """Up to NEAR entries whose title is close to the typed words (PostgreSQL's pg_trgm), unmarked."""
    ids = engines.near_titles(entries, query.words(), NEAR)
    if not ids:
        return []
    found = {
        row["id"]: dict(row)
        for row in SearchEntry.objects.filter(pk__in=ids).values(
            "id", "kind", "source_id", "url_name", "subtitle", "type_label", "day", "unit__name", "title"
        )
    }
    rows, _ = _checked(viewer, [found[pk] for pk in ids if pk in found])
    return [
        Result(
            kind=row["kind"],
            kind_label=str(providers.get(row["kind"]).label),
            source_id=row["source_id"],
            url=reverse(row["url_name"], args=[row["source_id"]]),
            title=[(row["title"], False)],
            snippet=[],
            subtitle=row["subtitle"],
            type_label=row["type_label"],
            day=row["day"],
            unit_name=row["unit__name"],
        )
        for row in rows
    ]


def type_choices(*, viewer: Any) -> list[tuple[str, str]]:
    """(code, data name) of the record types of the kinds the viewer sees, for the filter."""
    seen: dict[str, str] = {}
    for provider in providers.kinds_for(viewer):
        for code, label in provider.types():
            seen.setdefault(code, label)
    return list(seen.items())
