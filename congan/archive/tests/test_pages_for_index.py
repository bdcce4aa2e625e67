"""What the platform's search service indexes of the archive: every page of a finished item with
its folded text (no diacritics, đ→d) and what decides who may see it (unit, dossier)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from congan.archive.selectors import PageForIndex, pages_for_index
from congan.archive.services import item_file, page_correct
from congan.archive.tests.factories import dossier, read_item, upload


def test_pages_of_finished_items_come_with_folded_text_unit_and_dossier(commune, other_commune, officer):
    filed = read_item(commune, title="Biên bản", text="Đội Cảnh sát điều tra")
    made = dossier(commune)
    item_file(by="system", item=filed, dossier=made)
    loose = read_item(other_commune, title="Tờ trình", text="Ủy ban nhân dân")
    upload(commune, b"%PDF-1.4\n%waiting\n", name="cho.pdf")  # queued: nothing to index yet

    assert list(pages_for_index()) == [
        PageForIndex(filed.pk, 1, "doi canh sat dieu tra", commune.pk, made.pk, "Biên bản"),
        PageForIndex(loose.pk, 1, "uy ban nhan dan", other_commune.pk, None, "Tờ trình"),
    ]
    before = timezone.now() - dt.timedelta(microseconds=1)
    page_correct(by=officer, page=loose.pages.get(), text="Ủy ban nhân dân phường")
    assert [p.text_folded for p in pages_for_index(changed_since=before)] == ["uy ban nhan dan phuong"]
    assert [p.item_id for p in pages_for_index(item_ids=[filed.pk])] == [filed.pk]
