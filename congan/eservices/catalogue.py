"""Loading the procedure catalogue from data (data/catalogue.json), idempotently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from congan.core.audit import audit_record
from congan.core.errors import full_clean_or_fail
from congan.core.text import fold
from congan.eservices.formdefs import check_definition
from congan.eservices.models import Procedure, ProcedureForm
from congan.org.actors import OfficerOrSystem

CATALOGUE = Path(__file__).with_name("data") / "catalogue.json"
PROCEDURE_FIELDS = (
    "national_code",
    "name",
    "field",
    "level",
    "handling_unit_kind",
    "legal_basis",
    "processing_days",
    "processing_note",
    "can_pause",
    "can_extend",
    "fee_in_person",
    "fee_online",
    "fee_note",
    "required_attachments",
    "result_type",
    "retention_years",
    "account_level",
    "allows_guardian",
    "unverified",
    "sources",
)


def _form(entry: dict[str, Any], templates: dict[str, list[dict]]) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    for part in entry.get("form", []):
        fields.extend(templates[part] if isinstance(part, str) else [part])
    return check_definition(fields)


@transaction.atomic
def catalogue_load(*, by: OfficerOrSystem, path: Path = CATALOGUE) -> dict[str, int]:
    """Create or update every procedure of the file; add a form version only when the form
    changed (earlier versions stay, so submitted dossiers keep theirs)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    templates = data.get("form_templates", {})
    counts = {"created": 0, "updated": 0, "forms": 0}
    for entry in data["procedures"]:
        values = {name: entry[name] for name in PROCEDURE_FIELDS if name in entry}
        procedure = Procedure.objects.filter(code=entry["code"]).first() or Procedure(code=entry["code"])
        changed = procedure.pk is None or any(getattr(procedure, k) != v for k, v in values.items())
        for name, value in values.items():
            setattr(procedure, name, value)
        procedure.name_folded = fold(procedure.name)
        if changed:
            full_clean_or_fail(procedure, validate_unique=False)
            counts["created" if procedure.pk is None else "updated"] += 1
            procedure.save()
        fields = _form(entry, templates)
        current = procedure.current_form
        if current is None or current.fields != fields:
            ProcedureForm.objects.create(
                procedure=procedure, version=(current.version + 1) if current else 1, fields=fields
            )
            counts["forms"] += 1
    if any(counts.values()):
        audit_record(actor=by, action="eservices.catalogue.load", details=counts)
    return counts


def demo_load_catalogue(**_options: Any) -> dict[str, int]:
    """`congan demo` builder: the catalogue is real reference data, the same for every province."""
    return catalogue_load(by="system")
