"""Partner identity API (Đề án 06): verify, batch verify, read permitted fields.

Every call declares ``purpose`` and ``legal_basis`` (in the JSON body for POST, in the query
for GET), is checked against the key's PartnerPolicy, and is audited through the buffered
writer with the purpose and the result — never the values sent or stored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from congan.core.api import error_responses, partner_auth, require_scope
from congan.core.audit import audit_enqueue
from congan.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from congan.core.models import ApiKey
from congan.population import verification
from congan.population.lookups import record_partner_lookups
from congan.population.models import PartnerPolicy
from congan.population.policies import policy_check
from congan.population.schemas import (
    Declaration,
    PersonalIdText,
    ResidentReadOut,
    VerifyBatchIn,
    VerifyBatchOut,
    VerifyIn,
    VerifyOut,
)
from congan.population.selectors import RESIDENT_TARGET
from congan.population.validation import PERSONAL_ID_RE

MAX_BATCH = 1000

router = Router(tags=["identity"], auth=partner_auth)
ERRORS = error_responses(400, 401, 403, 404, 422, 429)


def _audit(api_key: ApiKey, *, action: str, record_pk: int | None, declaration: Declaration, details: dict):
    audit_enqueue(
        actor=api_key,
        action=action,
        target_type=RESIDENT_TARGET if record_pk else "",
        target_id=str(record_pk) if record_pk else "",
        purpose=declaration.purpose.strip(),
        details={"legal_basis": declaration.legal_basis.strip(), **details},
    )


def _problem(problem: verification.ItemProblem) -> ApplicationError:
    error = {403: PermissionDenied, 422: ValidationFailed}[problem.status]
    return error(problem.message, code=problem.code)


@router.post("/identity/verify", response={200: VerifyOut, **ERRORS})
def verify_identity(request: HttpRequest, payload: VerifyIn):
    """Compare a personal ID and some attributes with the record; per-field results, no values."""
    require_scope(request, "identity.verify")
    return identity_verify(api_key=request.api_key, payload=payload)


def identity_verify(*, api_key: ApiKey, payload: VerifyIn) -> dict[str, Any]:
    """One verification for a partner whose key holds the scope: policy, compare, audit. Shared by
    the endpoint above and the fast lane (congan.population.fast)."""
    policy = policy_check(
        api_key=api_key,
        operation=PartnerPolicy.Operation.VERIFY,
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
    )
    claim = payload.model_dump(exclude={"purpose", "legal_basis"})
    record = verification.records_by_id([payload.personal_id]).get(payload.personal_id)
    record_pk = record["pk"] if record else None
    try:
        result = verification.verify_item(claim, record, may_read_locked=policy.overrides_citizen_lock)
    except verification.ItemProblem as problem:
        _audit(
            api_key,
            action="population.identity.verify",
            record_pk=record_pk,
            declaration=payload,
            details={"error": problem.code},
        )
        raise _problem(problem) from None
    _audit(
        api_key,
        action="population.identity.verify",
        record_pk=record_pk,
        declaration=payload,
        details={"found": result["found"], "match": result["match"]},
    )
    return result


@router.post("/identity/verify/batch", response={200: VerifyBatchOut, **ERRORS})
def verify_identity_batch(request: HttpRequest, payload: VerifyBatchIn):
    """Up to 1,000 claims in one call; one result or one error per item, in order."""
    require_scope(request, "identity.verify_batch")
    if len(payload.items) > MAX_BATCH:
        raise ValidationFailed(
            _("Tối đa %(n)d mục mỗi lần gọi.") % {"n": MAX_BATCH},
            code="batch_too_large",
            details={"items": [_("Tối đa %(n)d mục.") % {"n": MAX_BATCH}]},
        )
    policy = policy_check(
        api_key=request.api_key,
        operation=PartnerPolicy.Operation.VERIFY_BATCH,
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
    )
    claims = [item.model_dump() for item in payload.items]
    records = verification.records_by_id([claim["personal_id"] for claim in claims])
    results = []
    looked_up: list[int] = []
    matched = errors = 0
    for claim in claims:
        record = records.get(claim["personal_id"])
        try:
            result = verification.verify_item(claim, record, may_read_locked=policy.overrides_citizen_lock)
        except verification.ItemProblem as problem:
            errors += 1
            results.append(
                {"personal_id": claim["personal_id"], "error": {"code": problem.code, "message": problem.message}}
            )
            continue
        results.append(result)
        matched += bool(result["match"])
        if record:
            looked_up.append(record["pk"])
    # One chained audit event for the call, one compact row per person for "who viewed".
    record_partner_lookups(
        api_key=request.api_key,
        action="population.identity.verify_batch",
        resident_ids=looked_up,
        purpose=payload.purpose.strip(),
        legal_basis=payload.legal_basis.strip(),
        details={"items": len(claims), "matched": matched, "errors": errors},
    )
    return {"results": results}


@router.get("/residents/{personal_id}", response={200: ResidentReadOut, **ERRORS})
def get_resident(request: HttpRequest, personal_id: PersonalIdText, declaration: Query[Declaration]):
    """The fields of one resident that the key's policy allows (purpose and legal_basis in the query)."""
    require_scope(request, "residents.read")
    policy = policy_check(
        api_key=request.api_key,
        operation=PartnerPolicy.Operation.READ,
        purpose=declaration.purpose,
        legal_basis=declaration.legal_basis,
    )
    if not PERSONAL_ID_RE.match(personal_id):
        raise ValidationFailed(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="invalid_personal_id")
    row, fields = verification.readable_record(personal_id, list(policy.fields))
    if row is None:
        raise NotFound(_("Không có công dân với số định danh này."))
    if row["partner_lookup_locked"] and not policy.overrides_citizen_lock:
        _audit(
            request.api_key,
            action="population.resident.read",
            record_pk=row["pk"],
            declaration=declaration,
            details={"error": "citizen_locked"},
        )
        raise PermissionDenied(_("Công dân đã khóa tra cứu của đối tác đối với hồ sơ này."), code="citizen_locked")
    _audit(
        request.api_key,
        action="population.resident.read",
        record_pk=row["pk"],
        declaration=declaration,
        details={"fields": sorted(fields)},
    )
    return {"personal_id": personal_id, "fields": fields}
