"""The two engine-specific parts of a search, behind one pair of functions with both branches
tested: ``matching`` (filter a queryset of entries to those matching the query, with its rank) and
``highlights`` (the title and a snippet of each entry of a page, matched words marked).

- PostgreSQL: the generated ``document`` tsvector (title weight A, body B, file text D, 'simple'
  configuration over the folded text) with its GIN index; ``@@ to_tsquery``, ``ts_rank_cd``
  (normalised by the log of the length), ``ts_headline``.
- SQLite: the FTS5 table ``search_entry_fts`` over the same folded columns (external content,
  kept by triggers); ``MATCH``, ``bm25`` with the same weights' ratios (10 : 4 : 1), ``snippet``
  and ``highlight``.

Marks come back as control characters (``START``, ``STOP``, ``GAP`` between fragments), which the
folded text never holds (it is letters, digits and spaces); ``congan.search.highlight`` maps them
onto the text as written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from congan.search.models import SearchEntry
from congan.search.query import Query

START, STOP, GAP = "\x02", "\x03", "\x04"
FTS_TABLE = "search_entry_fts"
# ts_rank_cd's default weights are {D 0.1, C 0.2, B 0.4, A 1.0}: title A, body B, file text D.
BM25_WEIGHTS = (10.0, 4.0, 1.0)  # title, body, content
RANK_NORMALISATION = 1  # divide by 1 + log(length), as bm25 weighs long texts down
SNIPPET_WORDS = 24
TABLE = SearchEntry._meta.db_table


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def matching(entries: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    """``entries`` that match ``query`` (unordered: what a count reads)."""
    if is_postgres():
        return entries.extra(  # noqa: S610 - fixed SQL, the query is a parameter
            where=[f'"{TABLE}"."document" @@ to_tsquery(\'simple\', %s)'], params=[query.tsquery()]
        )
    return entries.extra(  # noqa: S610 - fixed SQL, the query is a parameter
        tables=[FTS_TABLE],
        where=[f'{FTS_TABLE}.rowid = "{TABLE}"."id"', f"{FTS_TABLE} MATCH %s"],
        params=[query.fts5()],
    )


def ranked(entries: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    """``entries`` that match ``query``, annotated with ``rank`` (higher is better on both engines)
    and ordered best first, then newest, then by id (a stable order for pages)."""
    matched = matching(entries, query)
    if is_postgres():
        rank = RawSQL(  # noqa: S611 - fixed SQL, the query is a parameter
            f'ts_rank_cd("{TABLE}"."document", to_tsquery(\'simple\', %s), {RANK_NORMALISATION})',
            [query.tsquery()],
        )
    else:
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        rank = RawSQL(f"-bm25({FTS_TABLE}, {weights})", [])  # noqa: S611 - fixed SQL; bm25: lower is better
    return matched.annotate(rank=rank).order_by("-rank", F("day").desc(nulls_last=True), "-id")


@dataclass(frozen=True)
class Marked:
    """One entry of a page as the engine marked it, with the texts the marks are mapped onto."""

    title: str  # the folded title, matches marked
    snippet: str  # fragments of the folded body and file text, matches marked, GAP between them
    title_folded: str
    title_written: str
    text_folded: str  # body and file text, one space between them
    text_written: str


def highlights(ids: list[int], query: Query) -> dict[int, Marked]:
    """The title and a snippet of each entry ``ids`` (a page's), the matched words marked."""
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    texts = "e.title_folded, e.title, e.body_folded || ' ' || e.content_folded, e.body || ' ' || e.content"
    with connection.cursor() as cursor:
        if is_postgres():
            options = (
                f"StartSel={START}, StopSel={STOP}, FragmentDelimiter={GAP}, MaxFragments=2, MaxWords=30, MinWords=12"
            )
            cursor.execute(
                f"""
                SELECT e.id,
                       ts_headline('simple', e.title_folded, q, %s),
                       ts_headline('simple', e.body_folded || ' ' || e.content_folded, q, %s),
                       '',
                       {texts}
                FROM {TABLE} e, to_tsquery('simple', %s) AS q
                WHERE e.id IN ({placeholders})
                """,  # noqa: S608 - fixed SQL, values are parameters
                [f"HighlightAll=true, StartSel={START}, StopSel={STOP}", options, query.tsquery(), *ids],
            )
        else:
            cursor.execute(
                f"""
                SELECT e.id,
                       highlight({FTS_TABLE}, 0, %s, %s),
                       snippet({FTS_TABLE}, 1, %s, %s, %s, {SNIPPET_WORDS}),
                       snippet({FTS_TABLE}, 2, %s, %s, %s, {SNIPPET_WORDS}),
                       {texts}
                FROM {FTS_TABLE} JOIN {TABLE} e ON e.id = {FTS_TABLE}.rowid
                WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid IN ({placeholders})
                """,  # noqa: S608 - fixed SQL, values are parameters
                [START, STOP, START, STOP, GAP, START, STOP, GAP, query.fts5(), *ids],
            )
        rows = cursor.fetchall()
    found = {}
    for pk, title, body_snippet, content_snippet, title_folded, title_written, text_folded, text_written in rows:
        # FTS5 snips one column: the body's, or the file text's when only that one matched.
        snippet = body_snippet or ""
        if START not in snippet and START in (content_snippet or ""):
            snippet = content_snippet
        found[int(pk)] = Marked(title or "", snippet, title_folded, title_written, text_folded, text_written)
    return found


NEAR_THRESHOLD = 0.5  # pg_trgm's word_similarity of the typed words to a title


def near_titles(entries: QuerySet[SearchEntry], words: list[str], limit: int) -> list[int]:
    """PostgreSQL only (pg_trgm): ids of ``entries`` whose folded title holds something close to the
    typed ``words`` (a typo, a missing letter), closest first; [] on SQLite, which has no trigram
    similarity. Asked only when the words themselves found nothing."""
    if not is_postgres() or not words:
        return []
    typed = " ".join(words)
    similar = entries.extra(  # noqa: S610 - fixed SQL, the words are parameters
        where=[f'word_similarity(%s, "{TABLE}"."title_folded") >= %s', f'%s <%% "{TABLE}"."title_folded"'],
        params=[typed, NEAR_THRESHOLD, typed],
    ).annotate(
        closeness=RawSQL(f'word_similarity(%s, "{TABLE}"."title_folded")', [typed])  # noqa: S611 - a parameter
    )
    return list(
        similar.order_by("-closeness", F("day").desc(nulls_last=True), "-id").values_list("id", flat=True)[:limit]
    )


def engine_sql(entries: QuerySet[SearchEntry]) -> tuple[str, Any]:
    """The SQL and parameters of a query (the benchmark runs the same one under pgbench)."""
    return entries.query.sql_with_params()
