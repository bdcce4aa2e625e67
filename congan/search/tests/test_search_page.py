"""The search page (/tim-kiem/noi-dung/): the words and filters, the results with their matched
words marked, the count and pages, the refusals shown on the form; the quick search box and the
registers take the typed words to it; one audit event per page viewed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congan.core.audit import buffer
from congan.core.models import AuditEvent
from congan.org.tests.factories import OfficerFactory
from congan.search.selectors import AUDIT_ACTION
from congan.search.tests.factories import indexed_incoming

pytestmark = pytest.mark.django_db
URL = "/tim-kiem/noi-dung/"


def test_the_page_is_where_the_name_says():
    assert reverse("search:page") == URL


def test_an_officer_sees_the_matches_with_their_words_marked(officer_client, commune):
    document = indexed_incoming(
        unit=commune, subject="Về việc tăng cường phòng cháy chữa cháy", note="Kiểm tra chợ Hải Vân"
    )
    response = officer_client.get(URL, {"q": "phong chay"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-id="{document.pk}"' in page and f'href="/van-ban/den/{document.pk}/"' in page
    assert "<mark>phòng cháy</mark>" in page or "<mark>phòng</mark> <mark>cháy</mark>" in page
    assert 'data-testid="fulltext-count">1 kết quả.' in page
    assert document.received_on.strftime("%d/%m/%Y") in page


def test_filters_narrow_the_results(officer_client, commune):
    today = timezone.localdate()
    recent = indexed_incoming(unit=commune, subject="Thông báo lịch tiếp công dân", received_on=today)
    old = indexed_incoming(unit=commune, subject="Thông báo lịch tiếp công dân", received_on=today - dt.timedelta(90))
    shown = officer_client.get(
        URL, {"q": "tiep cong dan", "date_from": (today - dt.timedelta(7)).strftime("%d/%m/%Y")}
    ).content.decode()
    assert f'data-id="{recent.pk}"' in shown and f'data-id="{old.pk}"' not in shown
    by_kind = officer_client.get(URL, {"q": "tiep cong dan", "kind": "documents.outgoing"}).content.decode()
    assert 'data-testid="fulltext-empty"' in by_kind


def test_results_come_in_pages(officer_client, commune):
    for number in range(23):
        indexed_incoming(unit=commune, subject=f"Báo cáo giao ban tuần {number}")
    first = officer_client.get(URL, {"q": "giao ban"}).content.decode()
    second = officer_client.get(URL, {"q": "giao ban", "page": "2"}).content.decode()
    assert first.count('data-testid="fulltext-result"') == 20 and second.count('data-testid="fulltext-result"') == 3
    assert "Trang 1/2" in first and "page=2" in first and 'start="21"' in second


def test_a_query_that_cannot_be_run_is_said_on_the_form(officer_client):
    page = officer_client.get(URL, {"q": '"an ninh'}).content.decode()
    assert "Thiếu dấu ngoặc kép đóng cụm từ." in page
    assert 'data-testid="fulltext-results"' not in page
    assert officer_client.get(URL, {"q": "an ninh", "page": "9999"}).status_code == 200


def test_the_empty_form_searches_nothing_and_audits_nothing(officer_client):
    response = officer_client.get(URL)
    assert response.status_code == 200 and 'data-testid="fulltext-form"' in response.content.decode()
    buffer.flush()
    assert not AuditEvent.objects.filter(action=AUDIT_ACTION).exists()


def test_each_page_viewed_is_one_audit_event(officer_client, commune):
    indexed_incoming(unit=commune, subject="Đơn trình báo mất giấy tờ")
    officer_client.get(URL, {"q": "trinh bao"})
    buffer.flush()
    (event,) = AuditEvent.objects.filter(action=AUDIT_ACTION)
    assert (event.details["how"], event.details["q"], len(event.details["shown"])) == ("page", "trinh bao", 1)


def test_an_officer_without_any_searchable_kind_is_refused(client, commune):
    client.force_login(OfficerFactory(unit=commune, roles=[]))
    assert client.get(URL, {"q": "an ninh"}).status_code == 403


def test_the_quick_search_and_the_registers_take_the_words_to_the_full_text_search(officer_client):
    quick = officer_client.get("/tim-kiem/", {"q": "phòng cháy"}).content.decode()
    assert f'href="{URL}?q=ph%C3%B2ng+ch%C3%A1y"' in quick
    register = officer_client.get("/van-ban/den/", {"q": "cháy"}).content.decode()
    assert f"{URL}?kind=documents.incoming&amp;q=ch%C3%A1y" in register
    outgoing = officer_client.get("/van-ban/di/").content.decode()
    assert f"{URL}?kind=documents.outgoing" in outgoing
