"""Closing a period of the incoming register (khóa sổ, Decree 30/2020 Appendix IV: the register is
"printed, signed for and closed"): the clerk closes a period of their unit's register; its PDF,
with every entry of the period, is stored with its SHA-256; afterwards no entry dated inside the
period is registered or handed over (the printed book would no longer be the register).

The head of the unit then signs the stored PDF (``register_sign``, decision 0031): their own key
with their signature image in the space under "THỦ TRƯỞNG ĐƠN VỊ", then the unit's seal as the
register's closing lines ask ("ký, ghi rõ họ tên, đóng dấu"); the signed PDF replaces the stored
one, its SHA-256 becomes the closure's, and the unsigned PDF's SHA-256 is kept beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from congan.documents import register_pdf, selectors, signing_port
from congan.documents.models import IncomingDocument, RegisterClosure
from congan.documents.outgoing_pdf import SignatureBox
from congan.org.models import Officer

# The most entries one register PDF holds (about 500 landscape pages); a longer period is refused
# with a message asking for a shorter one (a month holds a commune's or a department's register).
PDF_MAX_ENTRIES = 5000


def closed_period(*, unit_id: int | None, secret: bool, day: dt.date) -> RegisterClosure | None:
    """The closed period of the unit's register (ordinary or secret) that ``day`` falls in, if any."""
    if unit_id is None:
        return None
    book = RegisterClosure.Book.SECRET if secret else RegisterClosure.Book.ORDINARY
    return (
        RegisterClosure.objects.filter(unit_id=unit_id, book=book, period_from__lte=day, period_to__gte=day)
        .order_by("period_from")
        .first()
    )


def closed_error(closure: RegisterClosure) -> str:
    return _(
        "Sổ đã khóa từ ngày %(start)s đến ngày %(end)s: không vào sổ hoặc sửa văn bản có ngày đến trong kỳ này."
    ) % {
        "start": closure.period_from.strftime("%d/%m/%Y"),
        "end": closure.period_to.strftime("%d/%m/%Y"),
    }


def refuse_if_closed(*, unit_id: int | None, secret: bool, day: dt.date, field: str = "received_on") -> None:
    closure = closed_period(unit_id=unit_id, secret=secret, day=day)
    if closure is not None:
        raise ValidationFailed(details={field: [closed_error(closure)]})


def period_entries(*, unit: Any, secret: bool, start: dt.date, end: dt.date) -> Any:
    """The registered entries of the unit's own register (ordinary or secret) arrived in the period,
    in the register's order."""
    return (
        IncomingDocument.objects.filter(
            unit=unit,
            status=IncomingDocument.Status.REGISTERED,
            secret=secret,
            received_on__gte=start,
            received_on__lte=end,
        )
        .select_related("document_type", "recipient_unit", "recipient_officer", "acknowledged_by")
        .order_by("received_on", "arrival_number", "pk")
    )


def too_many_error(count_over: bool) -> dict[str, list[str]]:
    return {
        "date_from": [
            _("Khoảng ngày này có hơn %(max)s văn bản, quá dài cho một sổ in: chọn khoảng ngắn hơn (ví dụ từng tháng).")
            % {"max": f"{PDF_MAX_ENTRIES:,}".replace(",", ".")}
        ]
    }


@transaction.atomic
def register_close(*, by: Officer, book: str, start: dt.date | None, end: dt.date | None) -> RegisterClosure:
    """Khóa sổ: close the period ``start``–``end`` of the clerk's unit's register (one year, up to
    today, not overlapping a closed period), store its PDF and SHA-256, audit."""
    unit = by.unit
    if not by.has_perm(selectors.REGISTER) or unit is None:
        raise PermissionDenied(_("Chỉ văn thư của đơn vị được khóa sổ văn bản đến."))
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if book not in RegisterClosure.Book.values or (book == "secret" and selectors.clearance_of(by) < 1):
        errors["book"] = [_("Chọn sổ văn bản đến hoặc sổ văn bản mật đến (khi được tiếp cận).")]
    if start is None:
        errors["date_from"] = [_("Nhập ngày đầu của kỳ khóa sổ.")]
    if end is None:
        errors["date_to"] = [_("Nhập ngày cuối của kỳ khóa sổ.")]
    if start and end:
        if start > end:
            errors["date_to"] = [_("Ngày cuối phải từ ngày đầu trở đi.")]
        elif end > today:
            errors["date_to"] = [_("Chỉ khóa sổ đến hôm nay.")]
        elif start.year != end.year:
            errors["date_to"] = [_("Mỗi kỳ khóa sổ nằm trong một năm (số đến bắt đầu lại từ 01 ngày 01/01).")]
    if errors or start is None or end is None:
        raise ValidationFailed(details=errors)
    # One clerk at a time closes a register: the unit's row is the lock.
    type(unit).objects.select_for_update().filter(pk=unit.pk).first()
    overlapping = RegisterClosure.objects.filter(
        unit=unit, book=book, period_from__lte=end, period_to__gte=start
    ).first()
    if overlapping is not None:
        raise ValidationFailed(
            details={
                "date_from": [
                    _("Kỳ này trùng với kỳ đã khóa từ %(start)s đến %(end)s.")
                    % {
                        "start": overlapping.period_from.strftime("%d/%m/%Y"),
                        "end": overlapping.period_to.strftime("%d/%m/%Y"),
                    }
                ]
            }
        )
    secret = book == RegisterClosure.Book.SECRET
    documents = list(period_entries(unit=unit, secret=secret, start=start, end=end)[: PDF_MAX_ENTRIES + 1])
    if len(documents) > PDF_MAX_ENTRIES:
        raise ValidationFailed(details=too_many_error(True))
    content, box = register_pdf.render_with_box(
        unit_name=unit.name,
        parent_name=unit.parent.name if unit.parent_id and unit.parent else "",
        secret=secret,
        start=start,
        end=end,
        documents=documents,
    )
    numbers = [d.arrival_number for d in documents if d.arrival_number is not None]
    closure = RegisterClosure(
        unit=unit,
        book=book,
        year=start.year,
        period_from=start,
        period_to=end,
        entries=len(documents),
        first_number=min(numbers) if numbers else None,
        last_number=max(numbers) if numbers else None,
        closed_by=by,
        file_sha256=hashlib.sha256(content).hexdigest(),
        signature_box=box.as_dict() if box is not None else None,
    )
    closure.file.save(f"so-van-ban-den-{start:%Y%m%d}-{end:%Y%m%d}.pdf", ContentFile(content), save=False)
    try:
        closure.save()
        selectors.audit_classified_shown(viewer=by, documents=documents, how="register_close")
        audit_record(
            actor=by,
            action="documents.register.close",
            target=closure,
            unit=unit,
            details={
                "book": book,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "entries": len(documents),
                "sha256": closure.file_sha256,
            },
        )
    except Exception:
        closure.file.delete(save=False)
        raise
    return closure


def closures(*, viewer: Any) -> Any:
    """The closed periods of the viewer's units' registers (the secret register's only with clearance)."""
    if not viewer.has_perm(selectors.VIEW):
        return RegisterClosure.objects.none()
    found = RegisterClosure.objects.filter(unit_id__in=selectors.subtree_ids(viewer)).select_related(
        "unit", "closed_by"
    )
    if selectors.clearance_of(viewer) < 1:
        found = found.filter(book=RegisterClosure.Book.ORDINARY)
    return found


SIGN = "documents.sign_registerclosure"


def can_sign(closure: RegisterClosure, officer: Any) -> bool:
    """A leader (permission ``sign_registerclosure``) of the closure's unit or of a unit above it:
    the head of the unit, or a deputy signing for them."""
    unit = getattr(officer, "unit", None)
    return bool(officer.has_perm(SIGN) and unit is not None and closure.unit.is_within(unit))


def _fallback_box() -> SignatureBox:
    """Where to sign a period closed before its PDF noted the space: the last page, under the head of
    the unit's column of the closing lines (landscape A4: 15 mm margins, two 133 mm columns), above
    the page number; the size of the space the layout now leaves."""
    from reportlab.lib.units import mm

    return SignatureBox(page=-1, x1=184.5 * mm, y1=20 * mm, x2=244.5 * mm, y2=44 * mm)


@transaction.atomic
def register_sign(*, by: Officer, closure_id: int) -> RegisterClosure:
    """Ký sổ: the head of the unit signs a closed period's stored PDF (their key and signature image,
    then the unit's seal); the signed file replaces the stored one, audited."""
    closure = (
        RegisterClosure.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk=closure_id, pk__in=closures(viewer=by).values("pk"))
        .first()
    )
    if closure is None:
        raise NotFound()
    if not can_sign(closure, by):
        raise PermissionDenied(_("Chỉ thủ trưởng (lãnh đạo) của đơn vị được ký sổ đã khóa."))
    if closure.is_signed:
        raise InvalidTransition(_("Sổ của kỳ này đã được ký."))
    with closure.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != closure.file_sha256:
        raise ValidationFailed(
            _("Tệp sổ đã khóa không khớp mã băm SHA-256 đã lưu: không ký. Báo quản trị hệ thống."),
            code="closure_tampered",
        )
    box = SignatureBox.from_dict(closure.signature_box) if closure.signature_box else _fallback_box()
    signed = signing_port.sign_register(
        pdf=content,
        signer=by,
        box=box,
        unit=closure.unit,
        reason=_("Ký sổ đăng ký văn bản đến từ ngày %(start)s đến ngày %(end)s")
        % {"start": closure.period_from.strftime("%d/%m/%Y"), "end": closure.period_to.strftime("%d/%m/%Y")},
        by=by,
    )
    previous = closure.file
    previous_name = previous.name or ""
    closure.unsigned_sha256 = closure.file_sha256
    closure.file_sha256 = hashlib.sha256(signed).hexdigest()
    closure.signed_at, closure.signed_by = timezone.now(), by
    closure.file.save(
        f"so-van-ban-den-{closure.period_from:%Y%m%d}-{closure.period_to:%Y%m%d}-da-ky.pdf",
        ContentFile(signed),
        save=False,
    )
    try:
        closure.save(update_fields=["file", "file_sha256", "unsigned_sha256", "signed_at", "signed_by"])
        audit_record(
            actor=by,
            action="documents.register.sign",
            target=closure,
            unit=closure.unit,
            details={
                "book": closure.book,
                "from": closure.period_from.isoformat(),
                "to": closure.period_to.isoformat(),
                "unsigned_sha256": closure.unsigned_sha256,
                "sha256": closure.file_sha256,
            },
        )
    except Exception:
        closure.file.delete(save=False)
        raise
    storage = previous.storage
    if previous_name:
        transaction.on_commit(lambda: storage.delete(previous_name))
    return closure
