"""Fill English translations into the catalogue from a JSON {msgid: msgstr} file; clears fuzzy flags.

Usage: python scripts/po_fill.py translations.json   (then scripts/compile_messages.py)
Prints the msgids still missing afterwards.
"""

from __future__ import annotations

import json
import sys

import polib

CATALOGUE = "congan/locale/en/LC_MESSAGES/django.po"


def main() -> int:
    translations = json.loads(open(sys.argv[1], encoding="utf-8").read()) if len(sys.argv) > 1 else {}  # noqa: PTH123,SIM115
    po = polib.pofile(CATALOGUE)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save()
    missing = [e.msgid for e in po if (not e.msgstr and not e.msgstr_plural) or e.fuzzy]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
