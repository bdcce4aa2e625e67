"""The English catalogue is complete, compiled, and covers every translatable string."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "congan/locale/en/LC_MESSAGES/django.po"


def test_every_english_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 100
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_compiled_catalogue_matches_its_source():
    result = subprocess.run(
        [sys.executable, "scripts/compile_messages.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
def test_catalogue_contains_every_string_marked_in_the_source(tmp_path):
    copy = tmp_path / "congan"
    shutil.copytree(ROOT / "congan", copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in polib.pofile(str(PO))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"


@pytest.mark.parametrize(
    ("data", "key", "labels"),
    [
        ("congan/incidents/data/kinds.json", "kinds", "congan.incidents.labels"),
        ("congan/eservices/data/catalogue.json", "procedures", "congan.eservices.labels"),
        ("congan/documents/data/document_types.json", "types", "congan.documents.labels"),
    ],
)
def test_every_name_of_the_shipped_data_reads_in_english_too(data, key, labels):
    import importlib
    import json

    from django.utils import translation

    names = [row["name"] for row in json.loads((ROOT / data).read_text(encoding="utf-8"))[key]]
    assert names == importlib.import_module(labels).NAMES  # the marked list follows the data file
    with translation.override("en"):
        untranslated = [name for name in names if translation.gettext(name) == name]
    assert untranslated == []
