"""The demo's archive: dossiers with items whose text is loaded, a page to review, items waiting to
be filed, and two generated scans queued for the real OCR; built once."""

from __future__ import annotations

import pytest

from congan.archive.demo import demo_build_archive
from congan.archive.models import ArchiveItem, ArchivePage, Dossier, ItemStatus
from congan.org import roles
from congan.org.tests.factories import OfficerFactory


@pytest.mark.slow
def test_the_demo_builds_dossiers_read_items_and_queued_scans_once(
    province, commune, django_capture_on_commit_callbacks
):
    OfficerFactory(username="vanthu", unit=commune, roles=[roles.CLERK])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        built = demo_build_archive(province=province)

    assert built == {"archive_dossiers": 3, "archive_items": 9, "archive_queued": 2}
    assert Dossier.objects.filter(unit=commune).count() == 3
    assert [d.items.count() for d in Dossier.objects.order_by("notation")] == [2, 3, 2]
    assert ArchiveItem.objects.filter(status=ItemStatus.DONE, dossier__isnull=True).count() == 2
    assert ArchiveItem.objects.filter(status=ItemStatus.QUEUED).count() == 2
    assert ArchivePage.objects.filter(needs_review=True).exists()
    assert ArchiveItem.objects.filter(suggestions__kind="number_symbol").exists()
    assert len(queued) == 11  # every item's reading is queued; the read ones are no-ops for the worker
    assert demo_build_archive(province=province) == {}
