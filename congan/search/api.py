"""Search API (/api/v1/search): the platform's full-text search for officers (their session), the
same use case as the search page. Partner keys are not admitted: a key belongs to an outside
agency, with no unit, access list or clearance to decide what it may read (decision 0034)."""

# No ``from __future__ import annotations``: ninja reads the real annotations of Query[...].
import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from congan.core.api import error_responses, officer_auth
from congan.core.errors import PermissionDenied
from congan.core.labels import data_label
from congan.core.schema_types import Day, ParamId
from congan.search import highlight, providers, selectors

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(
        ...,
        description='Từ cần tìm (không dấu cũng được): các từ đều phải có; "cụm từ" trong ngoặc kép; tiền tố* ; '
        "tối đa 200 ký tự",
    )
    kind: str = Field("", max_length=40, description="Loại kết quả: documents.incoming, documents.outgoing…")
    type: str = Field("", max_length=40, description="Mã loại văn bản (cong-van, quyet-dinh…)")
    unit: ParamId | None = Field(None, description="Chỉ kết quả của đơn vị này và đơn vị trực thuộc")
    date_from: Day | None = Field(None, description="Từ ngày (YYYY-MM-DD)")
    date_to: Day | None = Field(None, description="Đến ngày (YYYY-MM-DD)")
    page: int = Field(1, ge=1, le=selectors.MAX_RESULTS)
    page_size: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


class ResultOut(Schema):
    kind: str
    kind_label: str
    id: int
    url: str
    title: str
    title_html: str
    snippet: str
    snippet_html: str
    subtitle: str
    type_label: str
    day: dt.date | None
    unit: str


class SearchOut(Schema):
    query: str
    count: int
    more: bool
    page: int
    page_size: int
    pages: int
    results: list[ResultOut]
    near: list[ResultOut] = Field(..., description="Khi không có kết quả: văn bản có tiêu đề gần giống (PostgreSQL)")


def _result(result: selectors.Result) -> dict:
    return {
        "kind": result.kind,
        "kind_label": result.kind_label,
        "id": result.source_id,
        "url": result.url,
        "title": highlight.plain_text(result.title),
        "title_html": highlight.as_html(result.title),
        "snippet": highlight.plain_text(result.snippet),
        "snippet_html": highlight.as_html(result.snippet),
        "subtitle": result.subtitle,
        "type_label": data_label(result.type_label),
        "day": result.day,
        "unit": result.unit_name,
    }


@router.get("/search", auth=officer_auth, response={200: SearchOut, **error_responses(401, 403, 422)})
def search_text(request: HttpRequest, params: Query[SearchParams]):
    """Tìm kiếm toàn văn trong những gì cán bộ được xem (văn bản đến, văn bản đi…), xếp theo mức độ
    phù hợp, có đoạn trích với từ khớp được đánh dấu (``snippet_html``: ``<mark>``). Mỗi lần tìm được
    ghi nhật ký. Lỗi truy vấn: ``query_empty``, ``query_too_long``, ``query_unbalanced_quotes``,
    ``query_too_many_terms``, ``query_prefix_too_short``, ``unknown_kind``, ``date_range_reversed``,
    ``page_out_of_range``."""
    viewer = request.user
    if not providers.kinds_for(viewer):
        raise PermissionDenied()
    found = selectors.search(
        viewer=viewer,
        q=params.q,
        filters=selectors.SearchFilters(
            kind=params.kind,
            type_code=params.type,
            unit_id=params.unit,
            date_from=params.date_from,
            date_to=params.date_to,
        ),
        page=params.page,
        page_size=params.page_size,
        how="api",
    )
    return {
        "query": found.query.text,
        "count": found.count,
        "more": found.more,
        "page": found.page,
        "page_size": found.page_size,
        "pages": found.pages,
        "results": [_result(result) for result in found.results],
        "near": [_result(result) for result in found.near],
    }
