"""Reads of the procedure catalogue (public)."""

from __future__ import annotations

from django.db.models import QuerySet

from congan.core.errors import NotFound
from congan.core.text import fold
from congan.eservices.models import Dossier, Procedure
from congan.population.models import Resident


def procedure_list(*, q: str = "", field: str = "", level: str = "") -> QuerySet[Procedure]:
    """Active procedures; the search ignores diacritics (đ = d)."""
    procedures = Procedure.objects.filter(active=True)
    if q.strip():
        procedures = procedures.filter(name_folded__contains=fold(q))
    if field:
        procedures = procedures.filter(field=field)
    if level:
        procedures = procedures.filter(level=level)
    return procedures.order_by("field", "code")


def procedure_get(*, code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, active=True).prefetch_related("forms").first()
    if procedure is None:
        raise NotFound()
    return procedure


def citizen_dossiers(*, applicant: Resident) -> QuerySet[Dossier]:
    """A citizen's own dossiers, newest first."""
    return Dossier.objects.filter(applicant=applicant).select_related("procedure", "unit").order_by("-submitted_at")
