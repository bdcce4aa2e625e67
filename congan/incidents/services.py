"""Writes of the incidents module: the kind list, submitting a report (idempotent, routed,
prioritised), triage, merging duplicates."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import Actor, audit_record
from congan.core.contacts import callback_phone
from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.core.geo import in_vietnam
from congan.core.inserts import insert_new
from congan.core.limits import rate_limit_client
from congan.core.models import ApiKey, AuditEvent
from congan.core.text import as_written, fold, has_diacritics, meaningful
from congan.core.uploads import delete_stored
from congan.incidents import aggregates, intake, lookups
from congan.incidents.media import media_check, media_save
from congan.incidents.models import PRIORITY_RANK, Priority, Report, ReportEvent, ReportKind, RoutingRule
from congan.incidents.selectors import visible_reports
from congan.incidents.submitters import submission_key
from congan.org.actors import OfficerOrSystem
from congan.org.models import Officer, Unit
from congan.org.selectors import commune_location

KINDS_FILE = Path(__file__).with_name("data") / "kinds.json"
_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
SUBMISSION_WINDOW_SECONDS = 600


@cache
def _catalogue() -> dict[str, Any]:
    return json.loads(KINDS_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def kinds_load(*, by: OfficerOrSystem) -> int:
    """Create or update the kind list from data/kinds.json; returns how many were created."""
    created = 0
    for entry in _catalogue()["kinds"]:
        parent = ReportKind.objects.get(code=entry["parent"]) if entry.get("parent") else None
        _kind, was_created = ReportKind.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "parent": parent,
                "default_priority": entry["priority"],
                "unit_kinds": entry.get("units", []),
                "public_listing": entry.get("public", False),
            },
        )
        created += was_created
    if created:
        audit_record(actor=by, action="incidents.kinds.load", details={"created": created})
    return created


def routing_rules_for_province(*, by: OfficerOrSystem, province: Unit) -> int:
    """Rules from the kinds' default departments (PC07 for fires…) to the province's department units
    whose code ends with that department code; existing rules are kept."""
    created = 0
    for entry in _catalogue()["kinds"]:
        department_code = entry.get("department")
        if not department_code:
            continue
        department = Unit.objects.filter(
            path__startswith=province.path, kind=Unit.Kind.DEPARTMENT, code__endswith=f"-{department_code}"
        ).first()
        kind = ReportKind.objects.filter(code=entry["code"]).first()
        if department and kind and not RoutingRule.objects.filter(kind=kind).exists():
            RoutingRule.objects.create(kind=kind, department=department)
            created += 1
    if created:
        audit_record(actor=by, action="incidents.routing.seed", unit=province, details={"created": created})
    return created


def priority_for(kind: ReportKind, description: str) -> str:
    """The kind's default, raised by urgent or serious words in the description (whole words, case
    ignored). Text written with diacritics is matched as written, so that "xe chạy chậm" (traffic)
    is not "cháy" (fire); text written without them is matched folded, as it could mean either."""
    if has_diacritics(description):
        text, form = f" {as_written(description)} ", as_written
    else:
        text, form = f" {re.sub(r'[^a-z0-9]+', ' ', fold(description))} ", fold

    def mentions(words: list[str]) -> bool:
        return any(f" {form(word)} " in text for word in words)

    if mentions(_catalogue()["urgent_keywords"]):
        return Priority.URGENT
    if kind.default_priority != Priority.URGENT and mentions(_catalogue()["high_keywords"]):
        return Priority.HIGH
    return kind.default_priority


def commune_unit(
    commune_code: str, latitude: Decimal | None = None, longitude: Decimal | None = None
) -> tuple[Unit, bool]:
    """The commune police of the chosen commune, or else of the commune the location lies in (by
    the commune boundaries; by the nearest seat where none is loaded: then ``True``, approximate)."""
    approximate = False
    if commune_code:
        unit = lookups.commune_police(commune_code)
    elif latitude is not None and longitude is not None:
        unit, approximate = commune_location(float(latitude), float(longitude))
    else:
        raise ValidationFailed(details={"commune_code": [_("Chọn xã, phường hoặc đánh dấu vị trí trên bản đồ.")]})
    if unit is None:
        raise ValidationFailed(details={"commune_code": [_("Không có Công an xã, phường với mã này.")]})
    return unit, approximate


def check_location(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = (
            Decimal(str(latitude)).quantize(Decimal("0.000001")),
            Decimal(str(longitude)).quantize(Decimal("0.000001")),
        )
    except (ArithmeticError, ValueError) as exc:
        raise ValidationFailed(details={"location": [_("Tọa độ không hợp lệ.")]}) from exc
    if not in_vietnam(lat, lon):
        raise ValidationFailed(details={"location": [_("Vị trí nằm ngoài lãnh thổ Việt Nam.")]})
    return lat, lon


def _tracking_code() -> str:
    """The prefix TB and ten letters drawn uniformly (32 letters: the low five bits of a random byte)."""
    return "TB" + "".join(_TRACKING_ALPHABET[byte & 31] for byte in secrets.token_bytes(10))


class Submitted(NamedTuple):
    report: Report
    created: bool  # False: the same submitter sent the same client token before


def report_submit(
    *,
    kind_code: str,
    description: str,
    commune_code: str,
    client_token: str,
    latitude: Any = None,
    longitude: Any = None,
    address: str = "",
    occurred_at: dt.datetime | None = None,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter: Any = None,
    channel: str = Report.Channel.WEB,
    media: list | tuple = (),
    by: Officer | ApiKey | None = None,
    client_secret: str = "",
    client_ip: str | None = None,
) -> Submitted:
    """Accept a report: the one use case behind the public page, the API, the fast lane, Open311
    and the hotline. Once per client token and submitter (``by``, or for the public the holder of
    ``client_secret``: congan.incidents.submitters): the same submitter resending it gets the first
    report back (``created`` False); anyone else gets a report of their own, as for a new token.
    ``client_ip``, when given, is counted against the public limit (INCIDENTS_SUBMISSIONS_PER_10_MINUTES).
    The report is routed to the commune police and the department for its kind, with its priority.
    The insert comes first and a repeated key is caught by its unique index: a new report, the
    common case, costs no lookup."""
    client_token = (client_token or "").strip()[:64]
    if not client_token:
        raise ValidationFailed(details={"client_token": [_("Thiếu khóa chống gửi trùng.")]})
    if client_ip is not None:
        rate_limit_client(
            name="report-submit",
            client_ip=client_ip,
            limit=settings.INCIDENTS_SUBMISSIONS_PER_10_MINUTES,
            window_seconds=SUBMISSION_WINDOW_SECONDS,
        )
    kind = lookups.active_kind(kind_code)
    errors: dict[str, list[str]] = {}
    if kind is None:
        errors["kind"] = [_("Chọn loại tin báo.")]
    description = (description or "").strip()
    if not meaningful(description, 10):
        errors["description"] = [_("Mô tả sự việc (ít nhất 10 ký tự).")]
    if occurred_at and occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = [_("Thời điểm xảy ra không thể ở tương lai.")]
    reporter_phone = "" if anonymous else (reporter_phone or "").strip()
    if not anonymous and not (reporter_phone or reporter is not None):
        errors["reporter_phone"] = [_("Để lại số điện thoại, hoặc chọn báo tin ẩn danh.")]
    elif reporter_phone:
        try:
            reporter_phone = callback_phone(reporter_phone)
        except DjangoValidationError as invalid:
            errors["reporter_phone"] = list(invalid.messages)
    if errors:
        raise ValidationFailed(details=errors)
    latitude, longitude = check_location(latitude, longitude)
    unit, approximate = commune_unit(commune_code, latitude, longitude)
    checked_media = media_check(media)
    priority = priority_for(kind, description)
    report = Report(
        tracking_code=_tracking_code(),
        kind=kind,
        description=description[:5000],
        latitude=latitude,
        longitude=longitude,
        address=(address or "")[:300],
        commune_code=unit.area_code,
        commune_approximate=approximate,
        occurred_at=occurred_at,
        anonymous=anonymous,
        reporter_name="" if anonymous else (reporter_name or "")[:150],
        reporter_phone=reporter_phone,
        reporter=None if anonymous else reporter,
        channel=channel,
        priority=priority,
        priority_rank=PRIORITY_RANK[priority],
        unit=unit,
        department=lookups.department_for(kind),
        client_token=submission_key(client_token=client_token, by=by, secret=client_secret),
    )
    if intake.quick_path_open(by=by, media=checked_media):
        return _accept_quickly(report)
    written: list = []
    try:
        with transaction.atomic():
            insert_new(report)  # Report.save would add only the rank, set above
            written += media_save(report, checked_media)
            received = record_event(
                report, by=by, action="receive", status=report.status, note=intake.receipt_texts()[0]
            )
            report.public_timeline = [received]  # all a new report's timeline holds: no query to show it
            aggregates.report_added(report)  # the response-time page's figures, in this transaction
    except IntegrityError as error:
        delete_stored(written)
        return Submitted(_accepted_before(report.client_token, error), created=False)
    except Exception:
        delete_stored(written)
        raise
    return Submitted(report, created=True)


def _accept_quickly(report: Report) -> Submitted:
    """Commit the report alone (one statement); its receive entry and audit record follow in a
    batch written by another process (incidents.intake)."""
    intake.mark_pending(report)
    try:
        insert_new(report)
    except IntegrityError as error:
        return Submitted(_accepted_before(report.client_token, error), created=False)
    intake.accepted()
    report.public_timeline = [intake.receive_event(report.pk, report.received_at)]
    return Submitted(report, created=True)


def _accepted_before(key: str, error: IntegrityError) -> Report:
    """The report a resent client token names (its submission key); ``error`` (the insert's) again
    when the conflict was not the token's."""
    existing = Report.objects.filter(client_token=key).first()
    if existing is None:
        raise error
    return existing


def record_event(
    report: Report,
    *,
    by: Officer | ApiKey | Actor | None,
    action: str,
    status: str = "",
    note: str = "",
    public: bool = True,
    label: str = "",
) -> ReportEvent:
    """Timeline entry and audit record of one step (officers are named by their unit in public;
    ``label`` names another actor, such as a field team stepping through its assignment)."""
    reporter = intake.receipt_texts()[1]
    actor = Actor.of(by) if by is not None else Actor(AuditEvent.ActorType.ANONYMOUS, label=reporter)
    label = label or getattr(getattr(by, "unit", None), "name", None) or reporter
    event = ReportEvent(
        report=report,
        at=timezone.now(),
        action=action,
        status_to=status,
        note=note[:2000],
        public=public,
        actor_label=label,
        officer=by if isinstance(by, Officer) else None,
    )
    insert_new(event)
    audit_record(
        actor=actor,
        action=f"incidents.report.{action}",
        target=report,
        unit=report.unit_id,
        details={"status": status, "kind": report.kind.code, "priority": report.priority},
    )
    return event


def _locked(by: Officer, report_id: int) -> Report:
    """The report, locked, if the officer's units handle it (commune or department)."""
    if not by.has_perm("incidents.triage_report"):
        raise PermissionDenied()
    # OF self: the department join is an outer join, which PostgreSQL cannot lock.
    report = visible_reports(by, Report.objects.select_for_update(of=("self",))).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report


OPEN = (Report.Status.RECEIVED, Report.Status.TRIAGED, Report.Status.IN_PROGRESS)


def report_triage(*, by: Officer, report_id: int, priority: str, kind_code: str = "", note: str = "") -> Report:
    """Phân loại: confirm or change the priority (and the kind); the report leaves the new queue."""
    if priority not in Priority.values:
        raise ValidationFailed(details={"priority": [_("Mức ưu tiên không hợp lệ.")]})
    with transaction.atomic():
        report = _locked(by, report_id)
        if report.status not in OPEN:
            raise InvalidTransition(_("Tin báo đã đóng hoặc đã gộp."))
        with aggregates.kept(report.pk):  # a new kind may bring another family and department
            if kind_code and kind_code != report.kind.code:
                kind = ReportKind.objects.filter(code=kind_code, active=True).first()
                if kind is None:
                    raise ValidationFailed(details={"kind": [_("Không có loại tin báo này.")]})
                report.kind, report.department = kind, lookups.department_for(kind)
            report.priority = priority
            if report.status == Report.Status.RECEIVED:
                report.status = Report.Status.TRIAGED
            report.save()
        record_event(report, by=by, action="triage", status=report.status, note=note, public=False)
    return report


def report_set_status(*, by: Officer, report_id: int, status: str, note: str = "") -> Report:
    """Đang xử lý → đã xử lý xong → đóng, with a note the reporter sees."""
    allowed = {
        Report.Status.IN_PROGRESS: (Report.Status.RECEIVED, Report.Status.TRIAGED),
        Report.Status.RESOLVED: (Report.Status.TRIAGED, Report.Status.IN_PROGRESS),
        Report.Status.CLOSED: (Report.Status.RESOLVED, Report.Status.RECEIVED, Report.Status.TRIAGED),
    }
    if status not in allowed:
        raise ValidationFailed(details={"status": [_("Trạng thái không hợp lệ.")]})
    if status == Report.Status.CLOSED and not (note or "").strip():
        raise ValidationFailed(details={"note": [_("Nêu lý do đóng tin báo.")]})
    with transaction.atomic():
        report = _locked(by, report_id)
        if report.status not in allowed[status]:
            raise InvalidTransition(
                _("Tin báo đang “%(status)s”, không chuyển được.") % {"status": report.get_status_display()},
                details={"status": report.status},
            )
        with aggregates.kept(report.pk):  # closing ends the "total" interval
            report.status = status
            if status in (Report.Status.RESOLVED, Report.Status.CLOSED) and report.closed_at is None:
                report.closed_at = timezone.now()
            report.save(update_fields=["status", "closed_at", "updated_at"])
        record_event(report, by=by, action=status, status=status, note=note)
    return report


def report_merge(*, by: Officer, report_id: int, into_id: int) -> Report:
    """Gộp tin trùng: the report joins an earlier one (links both ways); its reporter follows the
    surviving report's progress through their own tracking code."""
    if report_id == into_id:
        raise ValidationFailed(details={"into": [_("Không gộp một tin vào chính nó.")]})
    with transaction.atomic():
        report = _locked(by, report_id)
        target = _locked(by, into_id)
        if report.status == Report.Status.MERGED or target.status == Report.Status.MERGED:
            raise Conflict(_("Một trong hai tin đã được gộp trước đó."))
        with aggregates.kept(report.pk):  # a merged report still counts (as it always has)
            report.status, report.duplicate_of = Report.Status.MERGED, target
            report.save(update_fields=["status", "duplicate_of", "updated_at"])
        record_event(
            report,
            by=by,
            action="merge",
            status=report.status,
            note=_("Gộp vào tin %(code)s.") % {"code": target.tracking_code},
        )
        note = _("Tin trùng %(code)s đã gộp vào đây.") % {"code": report.tracking_code}
        record_event(target, by=by, action="merged_in", status=target.status, note=note, public=False)
    return report


def report_set_location(
    *, by: Officer, report_id: int, latitude: Any, longitude: Any, address: str | None = None
) -> Report:
    """Xác định vị trí: the dispatcher sets or corrects the map point (and the address) after a call
    back, so the nearest teams can be ranked; the report stays with its unit (see report_transfer)."""
    lat, lon = check_location(latitude, longitude)
    if lat is None or lon is None:
        raise ValidationFailed(details={"location": [_("Bấm vào bản đồ hoặc nhập vĩ độ và kinh độ.")]})
    with transaction.atomic():
        report = _locked(by, report_id)
        if report.status not in OPEN:
            raise InvalidTransition(_("Tin báo đã đóng hoặc đã gộp."))
        with aggregates.kept(report.pk):  # the heat map's cell
            report.latitude, report.longitude = lat, lon
            if address is not None and address.strip():
                report.address = address.strip()[:300]
            report.save(update_fields=["latitude", "longitude", "address", "updated_at"])
        note = _("Vị trí %(lat)s, %(lon)s") % {"lat": lat, "lon": lon}
        record_event(report, by=by, action="locate", note=note, public=False)
    return report


def report_transfer(*, by: Officer, report_id: int, commune_code: str, reason: str) -> Report:
    """Chuyển tin báo: the report belongs to another commune's police, which takes it over with its
    timeline; the reporter sees to whom it went. Not while a team of this unit is still out on it."""
    errors: dict[str, list[str]] = {}
    target = lookups.commune_police(commune_code) if commune_code else None
    if target is None:
        errors["commune_code"] = [_("Chọn Công an xã, phường nhận tin báo.")]
    if not meaningful(reason, 10):
        errors["reason"] = [_("Nêu lý do chuyển (ít nhất 10 ký tự).")]
    if target is None or errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        report = _locked(by, report_id)
        if report.status not in OPEN:
            raise InvalidTransition(_("Tin báo đã đóng hoặc đã gộp."))
        if report.unit_id == target.pk:
            raise ValidationFailed(details={"commune_code": [_("Tin báo đã thuộc đơn vị này.")]})
        if report.assignments.filter(cleared_at__isnull=True).exists():
            raise InvalidTransition(_("Còn tổ công tác đang xử lý tin báo; chờ tổ hoàn thành rồi mới chuyển."))
        with aggregates.kept(report.pk):  # the figures move to the new commune
            report.unit, report.commune_code = target, commune_code
            report.save(update_fields=["unit", "commune_code", "updated_at"])
        note = _("Chuyển cho %(unit)s. Lý do: %(reason)s") % {"unit": target.name, "reason": reason.strip()}
        record_event(report, by=by, action="transfer", note=note)
    return report
