"""Reads of the online public services: the catalogue, a citizen's dossiers, the officers' inbox,
public tracking and result verification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_read, audit_record
from congan.core.errors import NotFound
from congan.core.limits import rate_limit_client
from congan.core.models import Notification
from congan.core.scoping import get_scoped_or_404, scope_to_viewer
from congan.core.text import fold
from congan.eservices import labels
from congan.eservices.models import ApologyLetter, Dossier, DossierAttachment, DossierEvent, Procedure
from congan.population.models import Household, Resident

OFFICER_READ_PURPOSE = labels.OFFICER_READ_PURPOSE
DOSSIER_TARGET = "eservices.dossier"
VIEW_ACTION = "eservices.dossier.view"
ATTACHMENT_VIEW_ACTION = "eservices.dossier.attachment_view"
APOLOGY_VIEW_ACTION = "eservices.dossier.apology_view"
LIST_ACTION = "eservices.dossier.list"


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
    """A citizen's own dossiers and those they submitted for a dependant, newest first."""
    return (
        Dossier.objects.filter(Q(applicant=applicant) | Q(submitted_by=applicant))
        .select_related("procedure", "unit", "applicant")
        .order_by("-submitted_at")
    )


def citizen_dossier(*, resident: Resident, code: str) -> Dossier:
    dossier = citizen_dossiers(applicant=resident).select_related("submitted_by", "form").filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def guardian_may_act(*, submitter: Resident, dependant: Resident) -> bool:
    """A parent, guardian or household head may submit for a child under 18 of the same household,
    and a household head for any member of it."""
    if submitter.household_id is None or submitter.household_id != dependant.household_id:
        return False
    head_id = Household.objects.filter(pk=submitter.household_id).values_list("head_id", flat=True).first()
    return timezone.localdate().year - dependant.birth_year < 18 or head_id == submitter.pk


def dependants(*, resident: Resident, procedure: Procedure) -> list[Resident]:
    """The household members this citizen may submit for (the guardian rule of the services)."""
    if not procedure.allows_guardian or resident.household_id is None:
        return []
    members = Resident.objects.filter(household_id=resident.household_id, status=Resident.Status.ALIVE).exclude(
        pk=resident.pk
    )
    return [member for member in members if guardian_may_act(submitter=resident, dependant=member)]


# --- officers -----------------------------------------------------------------------------------

DUE_SOON_DAYS = 2


def inbox(
    *, viewer: Any, procedure: str = "", status: str = "", due: str = "", mine: bool = False, q: str = ""
) -> QuerySet[Dossier]:
    """The unit's dossiers (its subtree), filtered; open ones first by due date."""
    dossiers = scope_to_viewer(
        Dossier.objects.select_related("procedure", "applicant", "unit", "assigned_to"), viewer=viewer
    )
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    if status == "open":
        dossiers = dossiers.filter(status__in=Dossier.OPEN_STATUSES)
    elif status:
        dossiers = dossiers.filter(status=status)
    today = timezone.localdate()
    if due == "overdue":
        dossiers = dossiers.filter(status__in=Dossier.OPEN_STATUSES, paused_since__isnull=True, due_on__lt=today)
    elif due == "soon":
        dossiers = dossiers.filter(
            status__in=Dossier.OPEN_STATUSES,
            paused_since__isnull=True,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    if mine:
        dossiers = dossiers.filter(assigned_to=viewer)
    if q.strip():
        dossiers = dossiers.filter(code__icontains=q.strip()[:40])
    return dossiers.order_by(F("due_on").asc(nulls_last=True), "-submitted_at")


def officer_dossier(*, viewer: Any, dossier_id: int) -> Dossier:
    return get_scoped_or_404(
        Dossier.objects.select_related("procedure", "applicant", "unit", "assigned_to", "submitted_by", "form"),
        viewer=viewer,
        pk=dossier_id,
    )


def attachment_for_officer(*, viewer: Any, dossier_id: int, attachment_id: int) -> DossierAttachment:
    """An attachment to open (often an ID-card scan): audited as a read of the dossier."""
    dossier = officer_dossier(viewer=viewer, dossier_id=dossier_id)
    attachment = _child_or_404(dossier.attachments, attachment_id)
    _audit_file_read(viewer, dossier, ATTACHMENT_VIEW_ACTION, attachment=attachment.pk, label=attachment.label[:100])
    return attachment


def apology_for_officer(*, viewer: Any, dossier_id: int, letter_id: int) -> ApologyLetter:
    """An apology letter to open (it names the applicant): audited as a read of the dossier."""
    dossier = officer_dossier(viewer=viewer, dossier_id=dossier_id)
    letter = _child_or_404(dossier.apologies, letter_id)
    _audit_file_read(viewer, dossier, APOLOGY_VIEW_ACTION, letter=letter.pk)
    return letter


def _child_or_404(related: Any, pk: int) -> Any:
    child = related.filter(pk=pk).first()
    if child is None:
        raise NotFound()
    return child


def _audit_file_read(viewer: Any, dossier: Dossier, action: str, **details: Any) -> None:
    audit_read(
        actor=viewer,
        action=action,
        target=dossier,
        purpose=OFFICER_READ_PURPOSE,
        details={"code": dossier.code, **details},
    )


def dossiers_shown(*, viewer: Any, dossiers: list[Dossier]) -> None:
    """Audit one list view of dossiers (the inbox page, the inbox API): one event with the dossiers
    and applicants it shows, in the viewer's unit. An empty list shows nobody and is not recorded."""
    if not dossiers:
        return
    audit_record(
        actor=viewer,
        action=LIST_ACTION,
        target_type=DOSSIER_TARGET,
        unit=getattr(viewer, "unit_id", None),
        details={
            "dossiers": [dossier.pk for dossier in dossiers],
            "residents": sorted({dossier.applicant_id for dossier in dossiers}),
        },
    )


def dossier_targets(resident: Resident) -> list[str]:
    """The audit targets of a resident's dossiers as applicant (their "who looked me up")."""
    return [str(pk) for pk in Dossier.objects.filter(applicant=resident).values_list("pk", flat=True)]


# --- public -------------------------------------------------------------------------------------

TRACK_ATTEMPTS = 20
TRACK_WINDOW = 600


def public_status(*, code: str, id_last4: str, client_ip: str | None) -> Dossier:
    """A dossier's status for anyone holding its code and the last four digits of the applicant's
    ID number; a wrong pair and an unknown code get the same answer. Rate limited per address."""
    rate_limit_client(name="dossier-track", client_ip=client_ip, limit=TRACK_ATTEMPTS, window_seconds=TRACK_WINDOW)
    code, id_last4 = (code or "").strip()[:40], (id_last4 or "").strip()
    dossier = Dossier.objects.select_related("procedure", "unit", "applicant").filter(code=code).first()
    if dossier is None or len(id_last4) != 4 or dossier.applicant.personal_id[-4:] != id_last4:
        raise NotFound(_("Không tìm thấy hồ sơ với mã và 4 số cuối số định danh này."))
    return dossier


def verified_result(*, token: str) -> Dossier:
    """The approved dossier behind a result's QR code."""
    if not token or len(token) > 32:
        raise NotFound()
    dossier = (
        Dossier.objects.select_related("procedure", "unit", "applicant")
        .filter(verify_token=token, status__in=[Dossier.Status.APPROVED, Dossier.Status.RETURNED])
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không có văn bản nào với mã xác minh này."))
    return dossier


def officer_dossier_read(*, viewer: Any, dossier_id: int) -> Dossier:
    """Open a dossier for processing: it shows the applicant's personal data, so it is audited."""
    dossier = officer_dossier(viewer=viewer, dossier_id=dossier_id)
    audit_read(
        actor=viewer,
        action=VIEW_ACTION,
        target=dossier,
        purpose=OFFICER_READ_PURPOSE,
        details={"code": dossier.code},
    )
    return dossier


def dossier_notifications(*, dossier: Dossier) -> QuerySet[Notification]:
    """The messages sent to the citizen about this dossier, with their delivery status."""
    return Notification.objects.filter(target_type=Dossier._meta.label_lower, target_id=str(dossier.pk)).order_by("pk")


# Timeline steps the public status page leaves out (they carry the citizen's own words, or staff).
PRIVATE_STEPS = ("rate", "complaint", "complaint_answer", "assign")


def public_events(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.exclude(action__in=PRIVATE_STEPS).order_by("at", "pk")


def attention_figures(*, viewer: Any) -> dict[str, int]:
    """Dossiers of the viewer's units past their due date, and those submitted but not received."""
    return {
        "overdue": inbox(viewer=viewer, due="overdue").count(),
        "submitted": inbox(viewer=viewer, status=Dossier.Status.SUBMITTED).count(),
    }
