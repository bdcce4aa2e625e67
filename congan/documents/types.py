"""The document types of Decree 30/2020, Appendix III, kept as data (data/document_types.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DOCUMENT_TYPES_FILE = Path(__file__).with_name("data") / "document_types.json"


def type_rows(path: Path = DOCUMENT_TYPES_FILE) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["types"])


def load_types(model: Any, path: Path = DOCUMENT_TYPES_FILE) -> tuple[int, int]:
    """Create or update each type of the file by its code (``model`` may be a migration's historical
    model); (created, updated). Types added by hand in the admin are left as they are."""
    created = updated = 0
    for order, row in enumerate(type_rows(path), start=1):
        fields = {"abbreviation": row["abbreviation"], "name": row["name"], "kind": row["kind"], "order": order}
        existing = model.objects.filter(code=row["code"]).first()
        if existing is None:
            model.objects.create(code=row["code"], **fields)
            created += 1
        elif any(getattr(existing, name) != value for name, value in fields.items()):
            model.objects.filter(pk=existing.pk).update(**fields)
            updated += 1
    return created, updated
