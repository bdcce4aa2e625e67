"""Metadata suggested by rules from the text (number and symbol by the Decree 30 grammar, dates,
issuer, personal ID numbers and plates by the platform's validators), confirmed by an officer; a
page's text corrected with the earlier text kept as a version; every write audited."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from congan.archive.models import ArchivePage, SuggestionStatus
from congan.archive.services import page_correct, suggestion_decide
from congan.archive.suggestions import suggest
from congan.archive.tests.factories import read_item
from congan.core.models import AuditEvent

TEXT = """CÔNG AN THÀNH PHỐ ĐÀ NẴNG
Số: 15/QĐ-CAT-PV01
Đà Nẵng, ngày 05 tháng 3 năm 2024
Chiếc xe máy biển số 43A-123.45 bị tạm giữ; biển 43I-123.45 không có thật (chữ I không dùng).
Số định danh cá nhân 048090001234; số 999123456789 không hợp lệ; ngày 31/02/2024 không có."""


def test_rules_find_symbol_date_issuer_ids_and_plates_that_the_validators_accept(db):
    found = {(f.kind, f.value, f.display) for f in suggest([(1, TEXT)])}
    assert found == {
        ("number_symbol", "15/QĐ-CAT-PV01", "15/QĐ-CAT-PV01"),
        ("date", "2024-03-05", "05/03/2024"),
        ("issuer", "CÔNG AN THÀNH PHỐ ĐÀ NẴNG", "CÔNG AN THÀNH PHỐ ĐÀ NẴNG"),
        ("personal_id", "048090001234", "048090001234"),
        ("plate", "43A12345", "43A-123.45"),
    }


def test_an_officer_confirms_a_suggestion_and_it_becomes_the_items(officer, commune):
    item = read_item(commune, title="Quyết định", text=TEXT)
    date = item.suggestions.create(page_number=1, kind="date", value="2024-03-05", display="05/03/2024")
    symbol = item.suggestions.create(
        page_number=1, kind="number_symbol", value="15/QĐ-CAT-PV01", display="15/QĐ-CAT-PV01"
    )

    suggestion_decide(by=officer, suggestion=date, confirm=True)
    suggestion_decide(by=officer, suggestion=symbol, confirm=False)

    item.refresh_from_db()
    assert (item.document_date, item.number_symbol) == (dt.date(2024, 3, 5), "")
    assert set(item.suggestions.values_list("kind", "status")) == {
        ("date", SuggestionStatus.CONFIRMED),
        ("number_symbol", SuggestionStatus.REJECTED),
    }
    assert AuditEvent.objects.filter(action="archive.suggestion.confirm", target_id=str(item.pk)).count() == 1


def test_a_correction_keeps_the_recognised_text_as_a_version(officer, commune):
    item = read_item(commune, title="Biên bản", text="Cán bộ đội nghiệp vu", confidence=61)
    page = item.pages.get()
    assert page.needs_review

    page_correct(by=officer, page=page, text="Cán bộ đội nghiệp vụ", note="sửa dấu")
    page_correct(by=officer, page=ArchivePage.objects.get(pk=page.pk), text="Cán bộ Đội nghiệp vụ")

    page.refresh_from_db()
    assert (page.text, page.corrected, page.needs_review) == ("Cán bộ Đội nghiệp vụ", True, False)
    assert page.text_folded == "can bo doi nghiep vu"
    versions = list(page.versions.order_by("replaced_at", "pk").values_list("text", "was_recognised", "replaced_by"))
    assert versions == [("Cán bộ đội nghiệp vu", True, officer.pk), ("Cán bộ đội nghiệp vụ", False, officer.pk)]
    assert AuditEvent.objects.filter(action="archive.page.correct", target_id=str(item.pk)).count() == 2


def test_the_item_page_flags_low_confidence_and_its_opening_is_audited(client, officer, commune):
    item = read_item(commune, title="Biên bản mờ", text="chữ mờ", confidence=40)
    client.force_login(officer)

    response = client.get(reverse("archive:item", args=[item.pk]))

    assert response.status_code == 200
    assert b'data-testid="needs-review"' in response.content
    assert AuditEvent.objects.filter(action="archive.item.view", target_id=str(item.pk)).exists()
    download = client.get(reverse("archive:item_original", args=[item.pk]))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action="archive.item.download_original", target_id=str(item.pk)).exists()


def test_correcting_a_page_on_its_page_saves_a_version(client, officer, commune):
    item = read_item(commune, title="Tờ trình", text="nội dung sai")
    client.force_login(officer)

    response = client.post(reverse("archive:page_edit", args=[item.pk, 1]), {"text": "nội dung đúng", "note": ""})

    assert response.status_code == 302
    assert item.pages.get().text == "nội dung đúng"
    assert item.pages.get().versions.get().text == "nội dung sai"
