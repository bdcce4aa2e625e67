"""Identity verification: compare what a partner claims with the record, field by field.

Results are ``exact`` (same after normalisation), ``folded`` (same once diacritics and case are
ignored, or a birth date matching at the precision on record) or ``no_match``. Stored values
never leave this module.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from congan.core.prepared import fetch_prepared
from congan.core.text import fold, normalize_text
from congan.population.models import Resident
from congan.population.validation import PERSONAL_ID_RE, folded_name, normalize_name

COLUMNS = (
    "pk",
    "personal_id",
    "full_name",
    "full_name_folded",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "current_commune",
    "current_street",
    "permanent_commune",
    "permanent_street",
    "partner_lookup_locked",
)
_RANK = {"exact": 2, "folded": 1, "no_match": 0}


_SELECT = "SELECT {} FROM {} WHERE personal_id IN ({{}})".format(  # noqa: S608 - names are constants
    ", ".join("id" if column == "pk" else column for column in COLUMNS), Resident._meta.db_table
)
_SELECT_ONE = _SELECT.format("%s")


def records_by_id(personal_ids: list[str]) -> dict[str, dict[str, Any]]:
    """One query for all IDs, only the columns verification needs. No ORM: this is the partner hot
    path, and building the ORM query cost more than running it. One ID (the single check) goes
    through a statement prepared once per connection."""
    valid = [pid for pid in set(personal_ids) if PERSONAL_ID_RE.match(pid)]
    if not valid:
        return {}
    if len(valid) == 1:
        rows = fetch_prepared(_SELECT_ONE, valid)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_SELECT.format(", ".join(["%s"] * len(valid))), valid)
            rows = cursor.fetchall()
    return {row[1]: dict(zip(COLUMNS, row, strict=True)) for row in rows}


def _name(claim: str, record: dict[str, Any]) -> str:
    if normalize_name(claim) == record["full_name"]:
        return "exact"
    return "folded" if folded_name(claim) == record["full_name_folded"] else "no_match"


def _birth_date(claim: str, record: dict[str, Any]) -> str:
    parts = [int(p) for p in claim.split("-")]
    stored = [record["birth_year"], record["birth_month"], record["birth_day"]]
    known = [value for value in stored if value is not None]
    for given, on_record in zip(parts, known, strict=False):
        if given != on_record:
            return "no_match"
    return "exact" if len(parts) == len(known) else "folded"


def _address(claim: dict[str, Any], record: dict[str, Any]) -> str:
    results = []
    places = [
        (record["current_commune"], record["current_street"]),
        (record["permanent_commune"], record["permanent_street"]),
    ]
    if claim.get("commune"):
        results.append("exact" if claim["commune"] in {c for c, _ in places if c} else "no_match")
    if claim.get("street"):
        street = normalize_text(claim["street"])
        if any(street == normalize_text(s) for _, s in places if s):
            results.append("exact")
        elif any(fold(street) == fold(s) for _, s in places if s):
            results.append("folded")
        else:
            results.append("no_match")
    return min(results, key=_RANK.__getitem__) if results else "no_match"


def compare(claim: dict[str, Any], record: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    if claim.get("full_name"):
        fields["full_name"] = _name(claim["full_name"], record)
    if claim.get("birth_date"):
        fields["birth_date"] = _birth_date(claim["birth_date"], record)
    if claim.get("sex"):
        fields["sex"] = "exact" if claim["sex"] == record["sex"] else "no_match"
    if claim.get("address") and (claim["address"].get("commune") or claim["address"].get("street")):
        fields["address"] = _address(claim["address"], record)
    return fields


def claimed_fields(claim: dict[str, Any]) -> list[str]:
    names = [name for name in ("full_name", "birth_date", "sex") if claim.get(name)]
    address = claim.get("address") or {}
    if address.get("commune") or address.get("street"):
        names.append("address")
    return names


class ItemProblem(Exception):
    def __init__(self, code: str, message: str, status: int):
        self.code, self.message, self.status = code, message, status
        super().__init__(message)


def verify_item(claim: dict[str, Any], record: dict[str, Any] | None, *, may_read_locked: bool) -> dict[str, Any]:
    """The result for one claim, or ItemProblem (malformed ID, nothing to compare, locked record)."""
    personal_id = claim["personal_id"]
    if not PERSONAL_ID_RE.match(personal_id or ""):
        raise ItemProblem("invalid_personal_id", _("Số định danh cá nhân phải gồm đúng 12 chữ số."), 422)
    if not claimed_fields(claim):
        raise ItemProblem("nothing_to_verify", _("Cần ít nhất một thông tin để đối chiếu ngoài số định danh."), 422)
    if record is None:
        return {"personal_id": personal_id, "found": False, "match": False, "fields": {}}
    if record["partner_lookup_locked"] and not may_read_locked:
        raise ItemProblem("citizen_locked", _("Công dân đã khóa tra cứu của đối tác đối với hồ sơ này."), 403)
    fields = compare(claim, record)
    match = all(result != "no_match" for result in fields.values())
    return {"personal_id": personal_id, "found": True, "match": match, "fields": fields}


READABLE_FIELDS = (
    "full_name",
    "other_names",
    "birth_date",
    "sex",
    "birth_registration_place",
    "hometown",
    "ethnicity",
    "religion",
    "nationality",
    "permanent_commune",
    "permanent_street",
    "temporary_commune",
    "temporary_street",
    "current_commune",
    "current_street",
    "id_card_number",
    "id_card_issued_on",
    "id_card_expires_on",
    "id_card_authority",
    "phone",
    "email",
    "status",
)


def readable_record(personal_id: str, allowed: list[str]) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(internal columns, fields the policy allows) for one resident; (None, {}) when unknown."""
    wanted = [name for name in READABLE_FIELDS if name in allowed]
    columns = {"pk", "partner_lookup_locked"} | {n for n in wanted if n != "birth_date"}
    if "birth_date" in wanted:
        columns |= {"birth_year", "birth_month", "birth_day"}
    row = Resident.objects.filter(personal_id=personal_id).values(*sorted(columns)).first()
    if row is None:
        return None, {}
    out: dict[str, Any] = {}
    for name in wanted:
        if name == "birth_date":
            parts = [f"{row['birth_year']:04d}"]
            parts += [f"{v:02d}" for v in (row["birth_month"], row["birth_day"]) if v is not None]
            out[name] = "-".join(parts)
        else:
            value = row[name]
            out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return row, out
