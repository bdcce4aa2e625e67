"""GET /api/v1/search: officers (their session) search what they may open; the answer carries the
count, the page and each result's title and snippet, plain and with <mark>; a query that cannot be
run is a JSON error {"code", "message", "details"} saying why, never a 500; partner keys are not
admitted; each call is audited once."""

from __future__ import annotations

import pytest

from congan.core import apikeys
from congan.core.audit import buffer
from congan.core.models import ApiClient, AuditEvent
from congan.org.tests.factories import OfficerFactory
from congan.search.query import MAX_QUERY
from congan.search.selectors import AUDIT_ACTION
from congan.search.tests.factories import indexed_incoming, indexed_outgoing

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


def test_an_officer_finds_documents_by_words_typed_without_diacritics(officer_client, commune, other_commune):
    mine = indexed_incoming(
        unit=commune, subject="Về việc phòng chống đuối nước cho trẻ em", note="Đội Cảnh sát đường thủy"
    )
    indexed_incoming(unit=other_commune, subject="Về việc phòng chống đuối nước mùa mưa")
    outgoing = indexed_outgoing(unit=commune, subject="Kế hoạch phòng chống đuối nước dịp hè")
    response = officer_client.get(URL, {"q": "duoi nuoc", "kind": "documents.incoming"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["more"], body["page"], body["pages"]) == (1, False, 1, 1)
    (result,) = body["results"]
    assert (result["kind"], result["id"], result["url"]) == ("documents.incoming", mine.pk, f"/van-ban/den/{mine.pk}/")
    assert "đuối nước" in result["title"] and "<mark>" in result["title_html"]
    assert result["kind_label"] == "Văn bản đến" and result["type_label"] == "Quyết định"
    assert result["day"] == mine.received_on.isoformat() and result["unit"] == commune.name
    both = officer_client.get(URL, {"q": "duoi nuoc"}).json()
    assert {(r["kind"], r["id"]) for r in both["results"]} == {
        ("documents.incoming", mine.pk),
        ("documents.outgoing", outgoing.pk),
    }


def test_the_snippet_is_escaped_html_with_only_the_marks_added(officer_client, commune):
    indexed_incoming(unit=commune, subject="Báo cáo", note='Thẻ <script>alert("x")</script> trong ghi chú điều tra')
    (result,) = officer_client.get(URL, {"q": "ghi chu"}).json()["results"]
    assert "<script>" not in result["snippet_html"] and "&lt;script&gt;" in result["snippet_html"]
    assert result["snippet_html"].count("<mark>") >= 1
    assert "<script>" in result["snippet"]  # plain text, for clients that render it themselves


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": ""}, "query_empty"),
        ({"q": "!!!"}, "query_empty"),
        ({"q": "x" * (MAX_QUERY + 1)}, "query_too_long"),
        ({"q": '"an ninh'}, "query_unbalanced_quotes"),
        ({"q": "a*"}, "query_prefix_too_short"),
        ({"q": " ".join(f"tu{n}" for n in range(11))}, "query_too_many_terms"),
        ({"q": "an ninh", "kind": "archive.nothing"}, "unknown_kind"),
        ({"q": "an ninh", "date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_range_reversed"),
        ({"q": "an ninh", "page": "51"}, "page_out_of_range"),
        ({"q": "an ninh", "date_from": "01/02/2026"}, "validation_failed"),
        ({"q": "an ninh", "page_size": "0"}, "validation_failed"),
        ({"q": "an ninh", "unit": "99999999999999999999"}, "validation_failed"),
        ({}, "validation_failed"),
    ],
)
def test_a_query_that_cannot_be_run_is_a_json_error_saying_why(officer_client, params, code):
    response = officer_client.get(URL, params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code and body["message"] and isinstance(body["details"], dict)


def test_a_partner_key_is_not_admitted_and_a_visitor_is_asked_to_sign_in(client, admin_officer):
    system = ApiClient.objects.create(name="Hệ thống của đối tác")
    key = apikeys.api_key_issue(by=admin_officer, client=system, name="k", scopes=["meta.read"]).raw
    assert client.get(URL, {"q": "an ninh"}, headers={"X-API-Key": key}).status_code == 401
    assert client.get(URL, {"q": "an ninh"}).json()["code"] == "not_authenticated"


def test_an_officer_without_any_searchable_kind_is_refused(client, commune):
    client.force_login(OfficerFactory(unit=commune, roles=[]))
    response = client.get(URL, {"q": "an ninh"})
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_each_call_is_audited_once_with_its_query_and_the_results_it_showed(officer_client, officer, commune):
    document = indexed_incoming(unit=commune, subject="Đơn của ông Lê Văn Tám về tranh chấp đất đai")
    officer_client.get(URL, {"q": "le van tam"})
    officer_client.get(URL, {"q": "khong co gi"})
    buffer.flush()
    events = list(AuditEvent.objects.filter(action=AUDIT_ACTION).order_by("seq"))
    assert [event.details["shown"] for event in events] == [[f"documents.incoming:{document.pk}"], []]
    assert [event.details["how"] for event in events] == ["api", "api"]
    assert events[0].actor_id == str(officer.pk)
