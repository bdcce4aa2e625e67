"""The repository documents itself: every file the documentation names exists, inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *ROOT.glob("docs/**/*.md")])
# A path in backticks that starts at a top-level folder of the repository: `congan/core/api.py`.
REPOSITORY_PATH = re.compile(r"`((?:congan|docs|bench|tests|scripts|\.ci)/[\w./-]*[\w/])`")
# A Markdown link or image to a relative target: [text](decisions/0011-fast-lane.md#anchor).
RELATIVE_LINK = re.compile(r"\]\((?!https?:|mailto:|#|/)([^)\s#]+)(?:#[^)]*)?\)")


def _exists(path: Path) -> bool:
    """A file or folder, or a module named without its suffix (`bench/identity_verify`)."""
    return path.exists() or path.with_suffix(".py").exists()


def _named_paths(document: Path) -> list[tuple[str, Path]]:
    text = document.read_text(encoding="utf-8")
    named = [(match, ROOT / match) for match in REPOSITORY_PATH.findall(text) if "*" not in match]
    named += [(match, (document.parent / match).resolve()) for match in RELATIVE_LINK.findall(text)]
    return named


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_file_a_document_names_exists(document):
    missing = [name for name, path in _named_paths(document) if not _exists(path)]
    assert missing == [], f"{document.relative_to(ROOT)} names files that do not exist: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_document_points_outside_the_repository(document):
    outside = [name for name, path in _named_paths(document) if not path.resolve().is_relative_to(ROOT)]
    text = document.read_text(encoding="utf-8")
    assert "../shared" not in text
    assert outside == []


def test_architecture_and_conventions_live_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("docs/architecture.md", "docs/conventions.md"):
        assert (ROOT / name).exists()
        assert f"`{name}`" in readme


def test_the_checks_catch_a_missing_file(tmp_path):
    document = tmp_path / "guide.md"
    document.write_text("See `congan/core/no_such_module.py` and [the map](no-such-page.md).", encoding="utf-8")
    names = [name for name, path in _named_paths(document) if not _exists(path)]
    assert names == ["congan/core/no_such_module.py", "no-such-page.md"]
