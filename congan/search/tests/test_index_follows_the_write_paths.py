"""The index follows the documents module's write paths, in their transaction: a registered entry
is found at once, with the text of its PDF; who may see it changes with its access list and its
handing-over; an outgoing draft is found by its text, its new subject and its new version; a
recalled document's copies leave the search with the registers. `congan search_reindex` rebuilds
what was lost and removes what should not be there."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from congan.core.pdf import PdfDocument, render_pdf
from congan.documents import fulltext, outgoing_services, services
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import (
    clerk,
    document_type,
    drafter_of,
    leader_of,
    outgoing_draft,
    outgoing_input,
    outgoing_signed,
    pdf_upload,
    register,
)
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.search import selectors as search
from congan.search.models import SearchEntry
from congan.search.tests.factories import indexed_incoming

pytestmark = pytest.mark.django_db


def ids(viewer, q: str) -> list[int]:
    return [result.source_id for result in search.search(viewer=viewer, q=q).results]


def a_pdf_saying(*paragraphs: str) -> bytes:
    return render_pdf(PdfDocument(agency="Công an phường Hải Vân", title="Báo cáo", paragraphs=list(paragraphs)))


def test_a_registered_entry_is_found_at_once_by_its_words_and_the_text_of_its_pdf(commune):
    registrar = clerk(commune)
    upload = pdf_upload(content=a_pdf_saying("Đối tượng sử dụng xe máy biển số 43A1-234.56 bỏ chạy về hướng cầu Rồng."))
    document = register(registrar, subject="Báo cáo vụ việc gây rối trật tự công cộng", file=upload).document
    assert ids(registrar, "gay roi trat tu") == [document.pk]
    assert ids(registrar, '"cau rong"') == [document.pk]  # only in the file
    (result,) = search.search(viewer=registrar, q="cau rong").results
    assert ("cầu Rồng", True) in result.snippet or "cầu" in [text for text, marked in result.snippet if marked]


def test_the_file_is_read_once_and_not_again_when_only_the_entry_changes(commune):
    registrar = clerk(commune)
    handler = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    with mock.patch("congan.documents.fulltext.pdf_text", return_value="nội dung tệp") as read:
        document = register(registrar, file=pdf_upload(content=a_pdf_saying("Nội dung"))).document
        services.incoming_hand_over(
            by=registrar, document_id=document.pk, recipient_unit=None, recipient_officer=handler
        )
        fulltext.index_incoming(document.pk)
    assert read.call_count == 1
    assert SearchEntry.objects.get(kind=fulltext.INCOMING, source_id=document.pk).content == "nội dung tệp"


def test_an_unreadable_file_leaves_the_entry_searchable_by_its_metadata(commune):
    registrar = clerk(commune)
    document = register(registrar, subject="Công văn đề nghị phối hợp xác minh", file=pdf_upload()).document
    assert ids(registrar, "phoi hop xac minh") == [document.pk]


def test_an_access_list_and_a_handing_over_change_who_finds_an_entry(commune):
    registrar = clerk(commune)
    colleague = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    handler = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    document = register(registrar, subject="Đơn tố giác tội phạm của bà Trần Thị Hoa").document
    assert ids(colleague, "to giac") == [document.pk]
    outgoing_services.incoming_access_set(
        by=registrar, document_id=document.pk, restricted=True, officers=[registrar], units=[]
    )
    assert ids(colleague, "to giac") == ids(handler, "to giac") == []
    services.incoming_hand_over(by=registrar, document_id=document.pk, recipient_unit=None, recipient_officer=handler)
    assert ids(handler, "to giac") == [document.pk]  # the officer it is handed to sees it
    assert ids(colleague, "to giac") == []
    outgoing_services.incoming_access_set(
        by=registrar, document_id=document.pk, restricted=False, officers=[], units=[]
    )
    assert ids(colleague, "to giac") == [document.pk]


def test_an_outgoing_draft_is_found_by_its_text_its_new_subject_and_its_new_version(commune):
    drafter = drafter_of(commune)
    draft = outgoing_draft(drafter, subject="Kế hoạch tuần tra dịp Tết", body="Điều 1. Tăng cường tuần tra ban đêm.")
    assert ids(drafter, "ban dem") == [draft.pk]
    outgoing_services.outgoing_update(
        by=drafter,
        document_id=draft.pk,
        data=outgoing_input(subject="Kế hoạch bảo đảm an ninh lễ hội", document_type=document_type("KH")),
    )
    assert ids(drafter, "le hoi") == [draft.pk]
    assert ids(drafter, "tet") == []
    outgoing_services.outgoing_add_version(by=drafter, document_id=draft.pk, body="Điều 1. Bố trí lực lượng cơ động.")
    assert ids(drafter, "co dong") == [draft.pk]
    assert ids(drafter, "ban dem") == []  # the latest version's text


def test_a_recalled_documents_copies_leave_the_search_with_the_registers(commune, other_commune):
    commune.symbol, commune.agency_code = "CAP", "000.20.19.H48"
    commune.save()
    signer = leader_of(commune)
    sender_clerk = clerk(commune)
    receiver = clerk(other_commune)
    document = outgoing_signed(
        drafter_of(commune), signer, subject="Thông báo điều chỉnh lịch trực", recipient_units=[other_commune]
    )
    outgoing_services.outgoing_issue(by=sender_clerk, document_id=document.pk)
    copy = IncomingDocument.objects.get(source_outgoing=document)
    assert ids(receiver, "dieu chinh lich truc") == [copy.pk]
    outgoing_services.outgoing_recall(by=signer, document_id=document.pk, reason="Ban hành nhầm nơi nhận")
    assert ids(receiver, "dieu chinh lich truc") == []
    assert not SearchEntry.objects.filter(kind=fulltext.INCOMING, source_id=copy.pk).exists()
    assert ids(sender_clerk, "dieu chinh lich truc") == [document.pk]  # the recalled original stays


def test_reindex_rebuilds_lost_entries_and_removes_stale_ones(commune, capsys):
    registrar = clerk(commune)
    kept = [indexed_incoming(unit=commune, subject=f"Báo cáo tuần {n}") for n in range(3)]
    gone = indexed_incoming(unit=commune, subject="Báo cáo đã xóa")
    SearchEntry.objects.filter(source_id=kept[1].pk).delete()  # lost
    IncomingDocument.objects.filter(pk=gone.pk).delete()  # its entry is stale
    call_command("search_reindex", "documents.incoming")
    assert set(SearchEntry.objects.filter(kind=fulltext.INCOMING).values_list("source_id", flat=True)) == {
        document.pk for document in kept
    }
    assert "documents.incoming: 3 entries written, 1 removed" in capsys.readouterr().out
    assert len(ids(registrar, "bao cao tuan")) == 3
    with pytest.raises(CommandError):
        call_command("search_reindex", "archive.nothing")
