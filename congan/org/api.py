"""Organisation API (officers only): units, officers, training — unit-scoped."""

# No ``from __future__ import annotations`` here: ninja cannot resolve ``Query[Schema]`` under
# ``@paginate`` with postponed annotations (vitalik/django-ninja#1424), every list call was a 500.
from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from congan.core.api import PageNumberPagination, officer_auth
from congan.core.schema_types import ParamId
from congan.org import selectors
from congan.org.schemas import OfficerOut, TrainingCourseOut, UnitOut, UnitTrainingFiguresOut

router = Router(tags=["org"], auth=officer_auth)


def _require(request, perm: str) -> None:
    if not request.auth.has_perm(perm):
        raise PermissionDenied


class UnitFilter(Schema):
    q: str = ""
    kind: str = ""


class OfficerFilter(Schema):
    q: str = ""
    unit_id: ParamId | None = None


@router.get("/units", response=list[UnitOut])
@paginate(PageNumberPagination, page_size=50)
def list_units(request, filters: Query[UnitFilter]):
    _require(request, "org.view_unit")
    return selectors.unit_list(viewer=request.auth, search=filters.q, kind=filters.kind)


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: ParamId):
    _require(request, "org.view_unit")
    return selectors.unit_get(viewer=request.auth, unit_id=unit_id)


@router.get("/officers", response=list[OfficerOut])
@paginate(PageNumberPagination, page_size=50)
def list_officers(request, filters: Query[OfficerFilter]):
    _require(request, "org.view_officer")
    return selectors.officer_list(viewer=request.auth, search=filters.q, unit_id=filters.unit_id)


@router.get("/officers/{officer_id}", response=OfficerOut)
def get_officer(request, officer_id: ParamId):
    _require(request, "org.view_officer")
    return selectors.officer_get(viewer=request.auth, officer_id=officer_id)


@router.get("/training-courses", response=list[TrainingCourseOut])
@paginate(PageNumberPagination, page_size=50)
def list_training_courses(request, q: str = ""):
    _require(request, "org.view_trainingcourse")
    return selectors.training_course_list(viewer=request.auth, search=q)


@router.get("/training-figures", response=list[UnitTrainingFiguresOut])
def list_training_figures(request):
    _require(request, "org.view_trainingcourse")
    return selectors.training_figures_by_unit(viewer=request.auth)
