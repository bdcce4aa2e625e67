"""The scanning stations' folder: each file is taken once (an item of the unit its sub-folder
names, or of the top unit), then moved to done/; a file that cannot be taken goes to failed/ with
the reason beside it."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from congan.archive.models import ArchiveItem, ItemSource
from congan.archive.tests.factories import scan_png


def test_each_file_is_taken_once_and_moved_to_done_or_failed(settings, province, commune):
    folder = Path(settings.ARCHIVE_IMPORT_DIR)
    (folder / commune.code).mkdir(parents=True)
    (folder / commune.code / "trang-1.png").write_bytes(scan_png())
    (folder / "tong-hop.png").write_bytes(scan_png())
    (folder / "ghi-chu.txt").write_text("không phải bản scan")

    call_command("archive_watch")
    call_command("archive_watch")  # a second round takes nothing again

    items = {item.original_name: item for item in ArchiveItem.objects.all()}
    assert set(items) == {"trang-1.png", "tong-hop.png"}
    assert items["trang-1.png"].unit == commune and items["tong-hop.png"].unit == province
    assert {item.source for item in items.values()} == {ItemSource.FOLDER}
    assert sorted(path.name for path in (folder / "done").iterdir()) == ["tong-hop.png", "trang-1.png"]
    assert sorted(path.name for path in (folder / "failed").iterdir()) == ["ghi-chu.txt", "ghi-chu.txt.txt"]
    assert "Kiểu tệp không được nhận" in (folder / "failed" / "ghi-chu.txt.txt").read_text()
    assert not list((folder / commune.code).iterdir()) and not list((folder / ".work").iterdir())
