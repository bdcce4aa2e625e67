"""A crashed worker's item is read again: its lease runs out and the next round takes it up; a
second worker never reads an item another holds; an item that keeps crashing its worker ends
failed, not stuck. The crash is simulated by a claim whose lease runs out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.archive.models import ArchiveItem, ItemStatus
from congan.archive.services import item_claim, item_process, items_resume
from congan.archive.tests.factories import TONE_LINES, scan_png, upload


def _expire(item):
    ArchiveItem.objects.filter(pk=item.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_held_item_is_not_taken_by_a_second_worker(commune):
    item = upload(commune, b"%PDF-1.4\n%x\n")
    assert item_claim(item_id=item.pk) is not None
    assert item_claim(item_id=item.pk) is None


@pytest.mark.slow
def test_an_item_whose_worker_died_is_read_again_after_its_lease(commune, django_capture_on_commit_callbacks):
    item = upload(commune, scan_png(TONE_LINES[:1]), name="trang.png")
    stale_token = item_claim(item_id=item.pk)  # a worker took it … and died
    assert stale_token
    assert item_process(item_id=item.pk).status == ItemStatus.PROCESSING  # not while the lease holds

    _expire(item)
    with django_capture_on_commit_callbacks(execute=True):
        resumed = items_resume()

    item.refresh_from_db()
    assert resumed == {"requeued": 1, "failed": 0}
    assert (item.status, item.attempts) == (ItemStatus.DONE, 2)  # the immediate test backend read it
    assert item.pages.get().text


def test_an_item_that_keeps_killing_its_worker_ends_failed(commune, settings):
    settings.ARCHIVE_MAX_ATTEMPTS = 2
    item = upload(commune, b"%PDF-1.4\n%x\n")
    for _attempt in range(2):
        assert item_claim(item_id=item.pk)
        _expire(item)

    assert items_resume() == {"requeued": 0, "failed": 1}
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    assert item.error.startswith("Việc nhận dạng bị gián đoạn 2 lần")
