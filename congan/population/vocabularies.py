"""The lists an officer picks from when recording a person: the 54 ethnic groups, the recognised
religions (data/vocabularies.json, its ``_about`` gives the sources)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_FILE = Path(__file__).parent / "data" / "vocabularies.json"


@cache
def _data() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def ethnicities() -> list[str]:
    return list(_data()["ethnicities"])


def religions() -> list[str]:
    return list(_data()["religions"])
