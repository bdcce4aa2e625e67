"""When the words find nothing, PostgreSQL's pg_trgm offers titles close to what was typed (a typo,
a letter missing) among the documents the viewer may open; SQLite, the development engine, has no
trigram similarity and offers none."""

from __future__ import annotations

import pytest
from django.db import connection

from congan.search import selectors as search
from congan.search.tests.factories import indexed_incoming

pytestmark = pytest.mark.django_db


@pytest.mark.postgres_only
def test_a_mistyped_search_offers_the_titles_closest_to_it_among_what_the_viewer_may_open(
    officer, commune, other_commune
):
    close = indexed_incoming(unit=commune, subject="Kế hoạch phòng cháy chữa cháy chợ Hải Vân")
    indexed_incoming(unit=other_commune, subject="Kế hoạch phòng cháy chữa cháy chợ Hải Vân")  # not theirs
    indexed_incoming(unit=commune, subject="Thông báo lịch trực ban")
    page = search.search(viewer=officer, q="phong chya")
    assert page.results == [] and page.count == 0
    assert [result.source_id for result in page.near] == [close.pk]


def test_near_titles_are_offered_only_where_the_engine_has_them(officer, commune):
    indexed_incoming(unit=commune, subject="Kế hoạch phòng cháy chữa cháy chợ Hải Vân")
    page = search.search(viewer=officer, q="phong chya")
    assert bool(page.near) == (connection.vendor == "postgresql")
    assert search.search(viewer=officer, q="phong chay").near == []  # found: nothing else offered
