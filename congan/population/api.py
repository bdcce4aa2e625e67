"""Partner identity API (Đề án 06): verify, batch verify, read permitted fields.

Every call declares ``purpose`` and ``legal_basis`` (in the JSON body for POST, in the query
for GET). Thin adapters: the scope of the key is checked here, the use cases (policy, rules,
audit) are population's selectors, shared with the fast lane (congan.population.fast).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from congan.core.api import error_responses, partner_auth, require_scope
from congan.population import selectors
from congan.population.schemas import (
    Declaration,
    PersonalIdText,
    ResidentReadOut,
    VerifyBatchIn,
    VerifyBatchOut,
    VerifyIn,
    VerifyOut,
)

router = Router(tags=["identity"], auth=partner_auth)
ERRORS = error_responses(400, 401, 403, 404, 422, 429)


@router.post("/identity/verify", response={200: VerifyOut, **ERRORS})
def verify_identity(request: HttpRequest, payload: VerifyIn):
    """Compare a personal ID and some attributes with the record; per-field results, no values."""
    require_scope(request, "identity.verify")
    return selectors.identity_verify(api_key=request.api_key, payload=payload)


@router.post("/identity/verify/batch", response={200: VerifyBatchOut, **ERRORS})
def verify_identity_batch(request: HttpRequest, payload: VerifyBatchIn):
    """Up to 1,000 claims in one call; one result or one error per item, in order."""
    require_scope(request, "identity.verify_batch")
    return {"results": selectors.identity_verify_batch(api_key=request.api_key, payload=payload)}


@router.get("/residents/{personal_id}", response={200: ResidentReadOut, **ERRORS})
def get_resident(request: HttpRequest, personal_id: PersonalIdText, declaration: Query[Declaration]):
    """The fields of one resident that the key's policy allows (purpose and legal_basis in the query)."""
    require_scope(request, "residents.read")
    return selectors.resident_read(api_key=request.api_key, personal_id=personal_id, declaration=declaration)
