"""Compile every congan .po catalogue to .mo with polib (no GNU gettext needed at install time).

Usage: python scripts/compile_messages.py [--check]
--check exits 1 when a committed .mo differs from its .po (used by the test suite).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "congan"


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> dict[tuple[str | None, str], str]:
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po_path)).translated_entries()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if check:
            current = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))} if mo_path.exists() else {}
            current.pop((None, ""), None)
            if current != compiled(po_path):
                stale.append(mo_path)
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(ROOT.parent)}")
    for path in stale:
        print(f"stale: {path} (run make messages)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
