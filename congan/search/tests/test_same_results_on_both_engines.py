"""The same searches give the same results on SQLite (FTS5, bm25) and PostgreSQL (tsvector,
ts_rank_cd): one shared set of documents, and for each search the documents expected, written here
once; the suite runs on both engines (`make test`, `make test-pg`), so both must give exactly these.
Where a ranking is unambiguous (a match in the title against one in the body, more occurrences,
identical texts ordered newest first, then last made first) the order is checked too; where two
engines may weigh lengths differently only the set is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from congan.documents.tests.factories import document_type
from congan.search import selectors
from congan.search.models import SearchEntry
from congan.search.selectors import SearchFilters
from congan.search.tests.factories import indexed_incoming, indexed_outgoing

TODAY = timezone.localdate()


def day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


@pytest.fixture
def shared(commune, other_commune):
    """The shared fixture set: (kind, id) → name (outgoing when the name says so)."""
    made = {
        "fire": indexed_incoming(
            unit=commune,
            received_on=day(1),
            subject="Về việc phòng cháy, chữa cháy tại chợ Hải Vân",
            note="Kiểm tra an toàn phòng cháy",
        ),
        "fire_body": indexed_incoming(
            unit=commune,
            received_on=day(2),
            document_type=document_type("KH"),
            subject="Kế hoạch kiểm tra cơ sở kinh doanh",
            note="Nội dung: phòng cháy chữa cháy, cứu nạn",
        ),
        "investigation": indexed_incoming(
            unit=commune,
            received_on=day(3),
            document_type=document_type(""),
            subject="Về việc điều tra vụ trộm cắp tài sản",
            note="Đội Cảnh sát điều tra",
        ),
        "patrol": indexed_incoming(unit=commune, received_on=day(4), subject="Về việc tuần tra kiểm soát địa bàn"),
        "cross": indexed_incoming(
            unit=commune, received_on=day(4), subject="Thông báo lịch trực của đội tuần", note="tra ban đêm"
        ),
        "id_card": indexed_incoming(
            unit=commune, received_on=day(5), subject="Về việc đẩy mạnh cấp Căn cước và định danh điện tử"
        ),
        "id_card_old": indexed_incoming(
            unit=commune, received_on=day(400), subject="Về việc cấp căn cước cho người dân"
        ),
        "twin_b": indexed_incoming(unit=commune, received_on=day(8), subject="Thông báo nghỉ lễ Quốc khánh"),
        "twin_a": indexed_incoming(unit=commune, received_on=day(7), subject="Thông báo nghỉ lễ Quốc khánh"),
        "twin_c": indexed_incoming(unit=commune, received_on=day(7), subject="Thông báo nghỉ lễ Quốc khánh"),
        "drugs_once": indexed_incoming(unit=commune, received_on=day(9), subject="Báo cáo ma túy tổng hợp số liệu"),
        "drugs_thrice": indexed_incoming(unit=commune, received_on=day(10), subject="Báo cáo ma túy ma túy ma túy"),
        "out_fire": indexed_outgoing(
            unit=commune, issued_on=day(6), subject="Công văn về phòng cháy trong mùa khô tại chợ Hòa Khánh"
        ),
        "fire_elsewhere": indexed_incoming(
            unit=other_commune, received_on=day(1), subject="Về việc phòng cháy, chữa cháy tại chợ Liên Chiểu"
        ),
    }
    return {
        (("documents.outgoing" if name.startswith("out_") else "documents.incoming"), document.pk): name
        for name, document in made.items()
    }


def names(found, shared) -> list[str]:
    return [shared[(result.kind, result.source_id)] for result in found.results]


# (query, filters, the documents in order); None as order: compared as a set.
ORDERED: list[tuple[str, dict[str, Any], list[str]]] = [
    ("phong chay", {"kind": "documents.incoming"}, ["fire", "fire_body"]),  # the title before the body
    ('"phòng cháy"', {"kind": "documents.incoming"}, ["fire", "fire_body"]),
    ("ma tuy", {}, ["drugs_thrice", "drugs_once"]),  # as long, three times before once
    ("Điều TRA", {}, ["investigation"]),
    ("doi canh sat dieu tra", {}, ["investigation"]),
    ('"tuan tra"', {}, ["patrol"]),  # never across the title and the body ("cross")
    ("quoc khanh", {}, ["twin_c", "twin_a", "twin_b"]),  # equal ranks: newest day, then last made
    ("phong chay", {"kind": "documents.outgoing"}, ["out_fire"]),
    ("phong chay", {"type_code": "ke-hoach"}, ["fire_body"]),
    ("can cuoc", {"date_from": day(30)}, ["id_card"]),
    ("can cuoc", {"date_to": day(30)}, ["id_card_old"]),
    ("chay", {"date_from": day(1), "date_to": day(1)}, ["fire"]),
    ("trom cap tai*", {}, ["investigation"]),
    ("khong co tu nay", {}, []),
]
AS_SETS: list[tuple[str, dict[str, Any], set[str]]] = [
    ("phong chay", {}, {"fire", "fire_body", "out_fire"}),
    ("tra", {}, {"fire", "fire_body", "investigation", "patrol", "cross"}),
    ("can cuo*", {}, {"id_card", "id_card_old"}),
    ("cu*", {}, {"fire_body", "id_card", "id_card_old", "cross"}),  # cứu, cước, của… not the other commune's
]


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "filters", "expected"), ORDERED)
def test_searches_give_these_documents_in_this_order_on_either_engine(shared, officer, q, filters, expected):
    found = selectors.search(viewer=officer, q=q, filters=SearchFilters(**filters))
    assert names(found, shared) == expected
    assert found.count == len(expected)


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "filters", "expected"), AS_SETS)
def test_searches_whose_order_the_engines_may_weigh_differently_give_the_same_documents(
    shared, officer, q, filters, expected
):
    found = selectors.search(viewer=officer, q=q, filters=SearchFilters(**filters))
    assert set(names(found, shared)) == expected


@pytest.mark.django_db
def test_the_matched_words_are_marked_with_their_diacritics_on_either_engine(shared, officer):
    found = selectors.search(viewer=officer, q="dieu tra")
    (result,) = found.results
    # FTS5 marks the phrase of matched words as one span, ts_headline each word: the same words.
    assert "".join(text for text, is_marked in result.title if is_marked).replace(" ", "") == "điềutra"
    marked = [text for text, is_marked in result.snippet if is_marked]
    assert marked and all(text.replace(" ", "") in ("điều", "tra", "điềutra") for text in marked)
    assert "Đội Cảnh sát" in "".join(text for text, _ in result.snippet)


@pytest.mark.django_db
def test_each_engine_has_its_own_index_and_not_the_others():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        columns = [column.name for column in connection.introspection.get_table_description(cursor, "search_entry")]
    if connection.vendor == "postgresql":
        assert "search_entry_fts" not in tables
        assert "document" in columns
    else:
        assert "search_entry_fts" in tables
        assert "document" not in columns
    assert SearchEntry.objects.count() == 0
