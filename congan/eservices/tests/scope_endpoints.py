"""Unit-scoped endpoints of the online public services, checked by congan/core/tests/test_scope_leak.py.

See congan.core.testing.scope_leak for what is checked and how to add an endpoint. Each object is
a dossier submitted by an applicant of the unit (a commune procedure, so the unit handles it), with
one attachment whose content names the unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.eservices import workflow
from congan.eservices.catalogue import catalogue_load
from congan.eservices.models import ApologyLetter, Dossier, Procedure
from congan.eservices.services import dossier_submit
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory

VIEW = ("eservices.view_dossier",)


def _dossier(unit) -> Dossier:
    if not Procedure.objects.exists():
        catalogue_load(by="system")
    if not unit.agency_code:
        unit.agency_code = f"000.00.{unit.pk % 100:02d}.H48"
        unit.save(update_fields=["agency_code"])
    applicant = ResidentFactory(unit=unit, full_name=f"Người Nộp Hồ Sơ {unit.code}", phone="0905111222")
    scan = f"%PDF-1.4\n% Bản chụp thẻ căn cước {unit.code}\n%%EOF\n".encode()
    return dossier_submit(
        applicant=applicant,
        procedure_code="CA.CT.02",
        data={"new_commune": "20194", "new_street": "Số 8 Lê Lợi"},
        client_token=f"scope-{unit.code}",
        attachments=[("Thẻ căn cước", SimpleUploadedFile("cccd.pdf", scan))],
    )


def _apology(unit) -> ApologyLetter:
    """An apology letter of a received dossier of the unit, issued by one of its officers."""
    clerk: Any = OfficerFactory(unit=unit, roles=[roles.RECEPTION, roles.PROCESSING])
    dossier = workflow.transition(by=clerk, dossier_id=_dossier(unit).pk, action="receive")
    new_due_on = max(dossier.due_on or timezone.localdate(), timezone.localdate()) + dt.timedelta(days=5)
    return workflow.apologise(by=clerk, dossier_id=dossier.pk, new_due_on=new_due_on, reason="Cần xác minh thêm")


def _applicant(dossier: Dossier) -> str:
    return dossier.applicant.full_name


register(
    ScopedEndpoint(
        name="eservices.inbox page",
        make=_dossier,
        marker=_applicant,
        list_url=lambda: reverse("eservices:inbox") + "?status=",
        detail_url=lambda dossier: reverse("eservices:officer_dossier", args=[dossier.pk]),
        permissions=VIEW,
    )
)
register(
    ScopedEndpoint(
        name="eservices.inbox api",
        make=_dossier,
        marker=_applicant,
        list_url=lambda: "/api/v1/eservices/inbox?status=",
        detail_url=lambda dossier: f"/api/v1/eservices/dossiers/{dossier.pk}",
        permissions=VIEW,
    )
)
register(
    ScopedEndpoint(
        name="eservices.attachment download",
        make=_dossier,
        marker=lambda dossier: f"Bản chụp thẻ căn cước {dossier.unit.code}",
        detail_url=lambda dossier: reverse(
            "eservices:attachment", args=[dossier.pk, dossier.attachments.values_list("pk", flat=True).get()]
        ),
        permissions=VIEW,
    )
)
register(
    ScopedEndpoint(
        name="eservices.statistics page",
        make=_dossier,
        marker=lambda dossier: dossier.unit.name,
        list_url=lambda: reverse("eservices:dashboard"),
        permissions=VIEW,
    )
)
register(
    ScopedEndpoint(
        name="eservices.statistics api",
        make=_dossier,
        marker=lambda dossier: dossier.unit.name,
        list_url=lambda: "/api/v1/eservices/statistics/mine",
        permissions=VIEW,
    )
)
register(
    ScopedEndpoint(
        name="eservices.officer apology pdf",
        make=_apology,
        marker=lambda letter: letter.dossier.applicant.full_name,
        detail_url=lambda letter: reverse("eservices:officer_apology_pdf", args=[letter.dossier_id, letter.pk]),
        permissions=VIEW,
    )
)


def _decided(unit) -> Dossier:
    """A dossier of the unit approved by one of its officers: it has a result to print."""
    clerk: Any = OfficerFactory(unit=unit, roles=[roles.RECEPTION, roles.PROCESSING])
    dossier = _dossier(unit)
    for action in ("receive", "start", "approve"):
        dossier = workflow.transition(by=clerk, dossier_id=dossier.pk, action=action)
    return dossier


register(
    ScopedEndpoint(
        name="eservices.officer receipt pdf",
        make=_dossier,
        marker=_applicant,
        detail_url=lambda dossier: reverse("eservices:officer_receipt_pdf", args=[dossier.pk]),
        permissions=VIEW,
    )
)
register(
    ScopedEndpoint(
        name="eservices.officer result pdf",
        make=_decided,
        marker=_applicant,
        detail_url=lambda dossier: reverse("eservices:officer_result_pdf", args=[dossier.pk]),
        permissions=VIEW,
    )
)
