"""Results only ever hold what the viewer may open: the kinds they hold the permission of, the
units of their subtree, a restricted document only when its access list names them (or one of
their units, or they drafted, sign, registered or were handed it), and never a classified one —
whose metadata is not in the index at all. The filter is in the query: counts and pages are those
of the visible results, whatever hides among the matches."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from congan.core.audit import buffer
from congan.core.models import AuditEvent
from congan.documents import fulltext, outgoing_selectors, outgoing_services, selectors
from congan.documents.models import Classification, IncomingDocument, OutgoingDocument
from congan.documents.tests.factories import (
    clerk,
    drafter_of,
    leader_of,
    outgoing_signed,
    register,
)
from congan.org import roles
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.search import selectors as search
from congan.search.models import SearchEntry, SearchGrant
from congan.search.selectors import SearchFilters
from congan.search.services import reindex
from congan.search.tests.factories import indexed_incoming, indexed_outgoing

pytestmark = pytest.mark.django_db
WORD = "kiểm tra"


def found(viewer, q: str = "kiem tra", **filters) -> set[tuple[str, int]]:
    page = search.search(viewer=viewer, q=q, filters=SearchFilters(**filters), page_size=50)
    return {(result.kind, result.source_id) for result in page.results}


def module_says(viewer) -> set[tuple[str, int]]:
    """What the documents module itself lets the viewer open (the registers' own rules), less what
    is never searchable: classified and withdrawn entries."""
    incoming = selectors.incoming_visible(viewer=viewer).filter(classification=0, withdrawn_at__isnull=True)
    outgoing = outgoing_selectors.outgoing_visible(viewer=viewer).filter(classification=0)
    return {("documents.incoming", pk) for pk in incoming.values_list("pk", flat=True)} | {
        ("documents.outgoing", pk) for pk in outgoing.values_list("pk", flat=True)
    }


def test_every_viewer_finds_exactly_what_the_documents_module_lets_them_open(commune, other_commune, province):
    team = UnitFactory(parent=commune, kind="team", code="DOI1", name="Đội Cảnh sát khu vực")
    registrar = clerk(commune, clearance=Clearance.TOP_SECRET)
    listed = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    colleague = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    in_team = OfficerFactory(unit=team, roles=[roles.SPECIALIST])
    elsewhere = OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST])
    above = leader_of(province, clearance=Clearance.ULTRA_SECRET)
    issuing_clerk = clerk(commune)
    everywhere = OfficerFactory(unit=None, roles=[roles.SPECIALIST])
    everywhere.user_permissions.add(Permission.objects.get(codename="view_all_units"))
    nobody = OfficerFactory(unit=commune, roles=[])
    signer = leader_of(commune)

    for unit in (commune, other_commune, province, team):
        indexed_incoming(unit=unit, subject=f"Văn bản {WORD} của {unit.name}", arrival_number=900)
        indexed_outgoing(unit=unit, subject=f"Văn bản đi {WORD} của {unit.name}")
    to_listed = register(registrar, subject=f"Hồ sơ {WORD} riêng").document
    outgoing_services.incoming_access_set(
        by=registrar, document_id=to_listed.pk, restricted=True, officers=[listed], units=[]
    )
    to_unit = register(registrar, subject=f"Hồ sơ {WORD} cho phường", confirm_not_duplicate=True).document
    outgoing_services.incoming_access_set(
        by=registrar, document_id=to_unit.pk, restricted=True, officers=[], units=[commune]
    )
    register(registrar, subject=f"Văn bản mật {WORD}", classification=Classification.SECRET, number_symbol="")
    signed = outgoing_signed(
        drafter_of(commune), signer, subject=f"Dự thảo {WORD} hạn chế", restricted=True, allowed_officers=[listed]
    )
    assert signed.status == OutgoingDocument.Status.SIGNED

    viewers = [registrar, listed, colleague, in_team, elsewhere, above, issuing_clerk, everywhere, nobody, signer]
    for viewer in viewers:
        assert found(viewer) == module_says(viewer), viewer.full_name
    assert ("documents.incoming", to_listed.pk) in found(listed)
    assert ("documents.incoming", to_listed.pk) not in found(colleague)
    assert ("documents.incoming", to_unit.pk) in found(colleague)  # their unit is on the list
    assert ("documents.incoming", to_unit.pk) not in found(above)  # the province is not
    assert ("documents.outgoing", signed.pk) in found(issuing_clerk)  # the clerks who issue what was signed
    assert found(nobody) == set()


def test_a_classified_document_has_no_entry_and_no_word_of_it_is_in_the_index(commune):
    registrar = clerk(commune, clearance=Clearance.ULTRA_SECRET)
    secret = register(
        registrar,
        subject="Kế hoạch trinh sát chuyên án Hoa Sen Trắng",
        classification=Classification.TOP_SECRET,
        number_symbol="",
    ).document
    secret_out = indexed_outgoing(
        unit=commune, subject="Chỉ thị về chuyên án Hoa Sen Trắng", classification=Classification.SECRET
    )
    plain = register(registrar, subject="Thông báo lịch họp giao ban", number_symbol="").document
    reindex(kind=fulltext.INCOMING)
    reindex(kind=fulltext.OUTGOING)

    assert not SearchEntry.objects.filter(kind=fulltext.INCOMING, source_id=secret.pk).exists()
    assert not SearchEntry.objects.filter(kind=fulltext.OUTGOING, source_id=secret_out.pk).exists()
    assert SearchEntry.objects.filter(kind=fulltext.INCOMING, source_id=plain.pk).exists()
    for column in ("title", "title_folded", "body", "body_folded", "content", "content_folded", "subtitle"):
        assert not SearchEntry.objects.filter(**{f"{column}__icontains": "sen trang"}).exists()
        assert not SearchEntry.objects.filter(**{f"{column}__icontains": "Sen Trắng"}).exists()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM search_entry WHERE document @@ to_tsquery('simple', 'sen & trang')")
        else:
            cursor.execute("SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH 'sen AND trang'")
        assert cursor.fetchone()[0] == 0
    assert found(registrar, "hoa sen trang") == set()  # not even for the cleared clerk


def test_counts_and_pages_hold_only_the_visible_results(commune, other_commune, officer):
    for number in range(25):  # better matches, all hidden: another commune's
        indexed_incoming(unit=other_commune, subject=f"Phòng chống ma túy ma túy ma túy đợt {number}")
    registrar = clerk(commune)
    for number in range(3):  # restricted to someone else
        hidden = indexed_incoming(unit=commune, subject=f"Ma túy ma túy hồ sơ riêng {number}", restricted=True)
        hidden.allowed_officers.add(registrar)
        fulltext.index_incoming(hidden.pk)
    mine = [indexed_incoming(unit=commune, subject=f"Báo cáo tình hình ma túy tháng {month}") for month in (1, 2)]

    first = search.search(viewer=officer, q="ma tuy", page_size=1)
    second = search.search(viewer=officer, q="ma tuy", page=2, page_size=1)
    third = search.search(viewer=officer, q="ma tuy", page=3, page_size=1)
    assert (first.count, first.pages, first.more) == (2, 2, False)
    assert {first.results[0].source_id, second.results[0].source_id} == {document.pk for document in mine}
    assert third.results == []
    assert SearchGrant.objects.filter(officer=registrar).count() == 3


def test_a_viewer_without_the_documents_permissions_finds_nothing(commune):
    indexed_incoming(unit=commune, subject="Thông báo kiểm tra")
    nobody = OfficerFactory(unit=commune, roles=[])
    page = search.search(viewer=nobody, q="kiem tra")
    assert (page.count, page.results, page.kinds) == (0, [], [])


def test_an_entry_the_module_no_longer_allows_is_left_out_even_if_the_index_missed_the_change(commune, officer):
    document = indexed_incoming(unit=commune, subject="Báo cáo kiểm tra đột xuất")
    IncomingDocument.objects.filter(pk=document.pk).update(restricted=True)  # past the write paths
    page = search.search(viewer=officer, q="kiem tra")
    assert (page.results, page.hidden_by_check) == ([], 1)


def test_each_search_is_audited_once_with_the_query_and_what_it_showed(commune, officer):
    document = indexed_incoming(unit=commune, subject="Đơn trình báo của công dân Nguyễn Văn Bình")
    search.search(viewer=officer, q="Nguyễn Văn Bình", filters=SearchFilters(kind=fulltext.INCOMING))
    buffer.flush()
    (event,) = AuditEvent.objects.filter(action=search.AUDIT_ACTION)
    assert event.actor_id == str(officer.pk)
    assert event.details["q"] == "Nguyễn Văn Bình"
    assert event.details["filters"] == {"kind": fulltext.INCOMING}
    assert event.details["shown"] == [f"{fulltext.INCOMING}:{document.pk}"]
    assert event.details["count"] == 1


def test_a_time_limited_grant_counts_only_until_its_moment(commune):
    import datetime as dt

    from django.utils import timezone

    reader = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    document = indexed_incoming(unit=commune, subject="Hồ sơ lưu trữ được mượn có thời hạn", restricted=True)
    document.allowed_officers.add(reader)
    fulltext.index_incoming(document.pk)
    grant = SearchGrant.objects.get(entry__source_id=document.pk, officer=reader)
    assert found(reader, "luu tru") == {(fulltext.INCOMING, document.pk)}
    SearchGrant.objects.filter(pk=grant.pk).update(until=timezone.now() - dt.timedelta(minutes=1))
    page = search.search(viewer=reader, q="luu tru")
    assert (page.count, page.results) == (0, [])
    SearchGrant.objects.filter(pk=grant.pk).update(until=timezone.now() + dt.timedelta(days=3))
    assert found(reader, "luu tru") == {(fulltext.INCOMING, document.pk)}
