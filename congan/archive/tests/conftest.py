import pytest


@pytest.fixture(autouse=True)
def _archive_files(settings, tmp_path):
    """Stored files (originals, archive copies) and the scanning-station folder under the test's folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_IMPORT_DIR = str(tmp_path / "archive-import")
