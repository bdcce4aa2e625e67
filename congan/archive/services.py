"""Writes of the archive (decision 0033): taking in scanned files, reading them in the background
(claimed under a lease so a crashed worker's item is taken up again), correcting a page's text
with its versions kept, confirming suggested metadata, and dossiers with their items in order.
Every write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congan.archive import ocr, suggestions
from congan.archive.models import (
    ArchiveItem,
    ArchivePage,
    Dossier,
    ItemSource,
    ItemStatus,
    MetadataSuggestion,
    PageVersion,
    RetentionSchedule,
    SuggestionKind,
    SuggestionStatus,
    file_code_of,
)
from congan.core.audit import audit_record
from congan.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from congan.core.text import fold
from congan.org.actors import OfficerOrSystem
from congan.org.models import Officer, Unit

logger = logging.getLogger(__name__)


def _owner(by: OfficerOrSystem) -> str:
    return f"officer:{by.pk}" if isinstance(by, Officer) else "system"


def _officer(by: OfficerOrSystem) -> Officer | None:
    return by if isinstance(by, Officer) else None


# --- Taking files in -------------------------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    item: ArchiveItem
    created: bool


def check_upload(*, name: str, size: int | None, head: bytes, field: str = "scans") -> None:
    """Refuse at once what can never be read: too large, or neither a PDF nor an image."""
    limit = settings.ARCHIVE_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise ValidationFailed(details={field: [f"{name}: {ocr.too_large_message(limit)}"]})
    if size == 0:
        raise ValidationFailed(details={field: [f"{name}: {_('Tệp rỗng (0 byte).')}"]})
    if not ocr.sniff(head):
        raise ValidationFailed(details={field: [f"{name}: {ocr.unsupported_message()}"]})


def item_create(
    *,
    by: OfficerOrSystem,
    unit: Unit,
    name: str,
    content: IO[bytes],
    source: str = ItemSource.UPLOAD,
    title: str = "",
    client_token: str = "",
    key_owner: str = "",
) -> Intake:
    """Keep the file unchanged (with its SHA-256) as a new item of ``unit``, queued for reading.
    The same idempotency key from the same caller answers the first item instead of a second."""
    token = (client_token or "").strip()[:64]
    owner = key_owner or _owner(by)
    if token:
        earlier = ArchiveItem.objects.filter(key_owner=owner, client_token=token).first()
        if earlier is not None:
            return Intake(earlier, created=False)
    content.seek(0)
    head = content.read(1024)
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    check_upload(name=name, size=size, head=head)
    digest = hashlib.sha256()
    while chunk := content.read(1 << 20):
        digest.update(chunk)
    content.seek(0)
    clean_name = "".join(char for char in Path(name or "scan").name if char.isprintable())[:255].strip(". ") or "scan"
    item = ArchiveItem(
        unit=unit,
        title=(title or Path(clean_name).stem).strip()[:300] or clean_name,
        source=source,
        original_name=clean_name,
        original_sha256=digest.hexdigest(),
        original_size=size,
        content_type=ocr.sniff(head),
        created_by=_officer(by),
        key_owner=owner if token else "",
        client_token=token,
    )
    item.original.save(clean_name, File(content, name=clean_name), save=False)
    try:
        with transaction.atomic():
            item.save()
            audit_record(
                actor=by,
                action="archive.item.create",
                target=item,
                unit=unit,
                details={"file": clean_name, "sha256": item.original_sha256, "bytes": size, "source": source},
            )
            item_enqueue(item)
    except Exception:
        item.original.delete(save=False)
        raise
    return Intake(item, created=True)


def item_enqueue(item: ArchiveItem) -> None:
    """Queue the item's reading for the background worker (`congan db_worker`) once committed."""
    from congan.archive.tasks import process_item_task

    item_id = item.pk
    transaction.on_commit(lambda: process_item_task.enqueue(item_id))


# --- Reading (the background task) -----------------------------------------------------------


def _lease_end() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=settings.ARCHIVE_LEASE_SECONDS)


def item_claim(*, item_id: int) -> str | None:
    """Take the item for reading: a queued item, or one whose reader's lease ran out (a crashed
    worker). One conditional UPDATE, so two workers never read the same item. Returns the lease
    token the holder writes under, or None when the item is not to be read (done, failed, held)."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimable = Q(status=ItemStatus.QUEUED) | Q(status=ItemStatus.PROCESSING, lease_expires_at__lt=now)
    taken = ArchiveItem.objects.filter(claimable, pk=item_id, attempts__lt=settings.ARCHIVE_MAX_ATTEMPTS).update(
        status=ItemStatus.PROCESSING,
        lease_token=token,
        lease_expires_at=_lease_end(),
        attempts=F("attempts") + 1,
        pages_done=0,
        error="",
    )
    return token if taken else None


def _held(item_id: int, token: str) -> Any:
    return ArchiveItem.objects.filter(pk=item_id, lease_token=token, status=ItemStatus.PROCESSING)


def item_process(*, item_id: int) -> ArchiveItem | None:
    """Read one item: claim it, make the PDF/A archive copy with OCRmyPDF, store each page's text,
    confidence and language and the suggested metadata. Every failure ends in ``failed`` with a
    message; a reader that dies leaves a lease that runs out, and the item is read again."""
    token = item_claim(item_id=item_id)
    if token is None:
        return ArchiveItem.objects.filter(pk=item_id).first()
    item = ArchiveItem.objects.select_related("unit").get(pk=item_id)
    try:
        with tempfile.TemporaryDirectory(prefix="congan-archive-") as folder:
            work = Path(folder)
            original = work / f"original.{item.content_type or 'bin'}"
            with item.original.open("rb") as source, original.open("wb") as target:
                shutil.copyfileobj(source, target)
            pdf, pages = ocr.prepare(original, work)
            _held(item_id, token).update(page_count=pages, lease_expires_at=_lease_end())
            output = work / "archive.pdf"

            def progress(done: int) -> None:
                _held(item_id, token).update(pages_done=min(done, pages), lease_expires_at=_lease_end())

            read = ocr.recognise(pdf, output, work, on_page=progress)
            _store(item_id=item_id, token=token, pages=read, archive_pdf=output)
    except ocr.OcrRefused as refused:
        _fail(item_id, token, refused.message)
    except Exception as error:  # never a stuck item: the officer reads why, the log has the trace
        logger.exception("archive item %s could not be read", item_id)
        _fail(
            item_id,
            token,
            _("Nhận dạng thất bại do lỗi hệ thống (%(kind)s): hãy báo quản trị hệ thống.")
            % {"kind": type(error).__name__},
        )
    return ArchiveItem.objects.get(pk=item_id)


def _store(*, item_id: int, token: str, pages: list[ocr.PageText], archive_pdf: Path) -> None:
    threshold = settings.ARCHIVE_REVIEW_CONFIDENCE
    with transaction.atomic():
        item = _held(item_id, token).select_for_update().select_related("unit").first()
        if item is None:
            return  # another reader took the item over after our lease ran out: its result counts
        item.pages.all().delete()
        item.suggestions.all().delete()
        rows = [
            ArchivePage(
                item=item,
                number=page.number,
                text=page.text,
                text_folded=fold(page.text),
                confidence=page.confidence,
                word_count=page.words,
                language=page.language,
                needs_review=page.confidence < threshold or not page.text.strip(),
            )
            for page in pages
        ]
        ArchivePage.objects.bulk_create(rows)
        found = suggestions.suggest([(page.number, page.text) for page in pages])
        MetadataSuggestion.objects.bulk_create(
            [
                MetadataSuggestion(
                    item=item, page_number=f.page_number, kind=f.kind, value=f.value[:200], display=f.display[:200]
                )
                for f in found
            ]
        )
        with archive_pdf.open("rb") as handle:
            item.archive_copy.save(f"{item.pk}.pdf", File(handle), save=False)
        words = sum(page.words for page in pages)
        item.mean_confidence = round(sum(page.confidence * page.words for page in pages) / words, 2) if words else None
        item.status = ItemStatus.DONE
        item.page_count = len(pages)
        item.pages_done = len(pages)
        item.processed_at = timezone.now()
        item.lease_expires_at = None
        item.lease_token = ""
        item.error = ""
        item.save()
        audit_record(
            actor="system",
            action="archive.item.read",
            target=item,
            unit=item.unit,
            details={"pages": len(pages), "confidence": item.mean_confidence, "suggestions": len(found)},
        )


def _fail(item_id: int, token: str, message: str) -> None:
    with transaction.atomic():
        item = _held(item_id, token).select_for_update().select_related("unit").first()
        if item is None:
            return
        item.status = ItemStatus.FAILED
        item.error = message[:500]
        item.lease_expires_at = None
        item.lease_token = ""
        item.processed_at = timezone.now()
        item.save(update_fields=["status", "error", "lease_expires_at", "lease_token", "processed_at", "updated_at"])
        audit_record(
            actor="system", action="archive.item.fail", target=item, unit=item.unit, details={"error": item.error}
        )


def items_resume() -> dict[str, int]:
    """Take up what a crashed worker left: items being read whose lease ran out are queued again
    (or failed, after ARCHIVE_MAX_ATTEMPTS tries), and queued items nobody took within a lease are
    queued again (a lost task). Run by `congan archive_watch` on every round."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.ARCHIVE_LEASE_SECONDS)
    expired = ArchiveItem.objects.filter(status=ItemStatus.PROCESSING, lease_expires_at__lt=now)
    given_up = 0
    for item in expired.filter(attempts__gte=settings.ARCHIVE_MAX_ATTEMPTS).select_related("unit"):
        _fail(
            item.pk,
            item.lease_token,
            _("Việc nhận dạng bị gián đoạn %(n)d lần (máy xử lý dừng đột ngột): hãy tải lại tệp hoặc báo quản trị.")
            % {"n": item.attempts},
        )
        given_up += 1
    requeued = 0
    for item in expired.filter(attempts__lt=settings.ARCHIVE_MAX_ATTEMPTS) | ArchiveItem.objects.filter(
        status=ItemStatus.QUEUED, updated_at__lt=stale
    ):
        with transaction.atomic():
            touched = ArchiveItem.objects.filter(pk=item.pk, status=item.status, lease_token=item.lease_token).update(
                updated_at=now
            )
            if touched:
                item_enqueue(item)
                requeued += 1
    return {"requeued": requeued, "failed": given_up}


# --- Folder of the scanning stations ---------------------------------------------------------


def _unit_for_folder(name: str) -> Unit | None:
    if name:
        return Unit.objects.filter(active=True, code=name).first()
    return Unit.objects.filter(active=True, parent__isnull=True).order_by("pk").first()


def import_folder_scan(*, folder: Path) -> dict[str, int]:
    """Take each file a scanning station left in ``folder`` (or in ``folder/<unit code>/`` for that
    unit; files at the top go to the top unit): moved into ``.work/`` first (a rename, so two
    watchers never take the same file), kept as a new item, then moved to ``done/``; a file that
    cannot be taken goes to ``failed/`` with a ``.txt`` saying why."""
    counts = {"taken": 0, "refused": 0}
    if not folder.is_dir():
        return counts
    work, done, failed = folder / ".work", folder / "done", folder / "failed"
    for sub in (work, done, failed):
        sub.mkdir(exist_ok=True)
    candidates = [(path, "") for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")]
    for sub in folder.iterdir():
        if sub.is_dir() and sub.name not in {".work", "done", "failed"} and not sub.name.startswith("."):
            candidates += [
                (path, sub.name) for path in sub.iterdir() if path.is_file() and not path.name.startswith(".")
            ]
    for path, unit_code in sorted(candidates):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        taken = work / f"{stamp}-{uuid.uuid4().hex[:8]}-{path.name}"
        try:
            path.rename(taken)
        except OSError:
            continue  # another watcher took it, or the station is still writing on a locked file
        unit = _unit_for_folder(unit_code)
        try:
            if unit is None:
                raise ValidationFailed(details={"unit": [_("Không có đơn vị mã %(code)s.") % {"code": unit_code}]})
            with taken.open("rb") as handle:
                item_create(by="system", unit=unit, name=path.name, content=handle, source=ItemSource.FOLDER)
        except ValidationFailed as refused:
            reason = "; ".join(str(m) for messages in (refused.details or {}).values() for m in messages) or str(
                refused
            )
            target = failed / taken.name.split("-", 3)[-1]
            taken.rename(_free(target))
            _free(target.with_name(target.name + ".txt")).write_text(reason + "\n", encoding="utf-8")
            audit_record(
                actor="system",
                action="archive.folder.refuse",
                target_type="archive.file",
                target_id=path.name[:100],
                details={"reason": reason},
            )
            counts["refused"] += 1
            continue
        taken.rename(_free(done / path.name))
        counts["taken"] += 1
    return counts


def _free(path: Path) -> Path:
    """``path``, or ``name (2).ext`` etc. when a file of that name is already there."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate


# --- Officers' work on an item ---------------------------------------------------------------


@transaction.atomic
def page_correct(*, by: Officer, page: ArchivePage, text: str, note: str = "") -> ArchivePage:
    """Replace a page's text with what the officer read; the text it had is kept as a version
    (who replaced it, when). The page is no longer flagged for review."""
    page = ArchivePage.objects.select_for_update().select_related("item", "item__unit").get(pk=page.pk)
    if page.item.status != ItemStatus.DONE:
        raise InvalidTransition(_("Chỉ sửa được nội dung khi tài liệu đã nhận dạng xong."))
    new = (text or "").replace("\r\n", "\n").strip()
    if len(new) > 100_000:
        raise ValidationFailed(details={"text": [_("Nội dung một trang tối đa 100.000 ký tự.")]})
    if new == page.text:
        return page
    PageVersion.objects.create(
        page=page, text=page.text, was_recognised=not page.corrected, replaced_by=by, note=note[:300]
    )
    page.text = new
    page.corrected = True
    page.needs_review = False
    page.save(update_fields=["text", "corrected", "needs_review", "updated_at"])
    ArchiveItem.objects.filter(pk=page.item_id).update(updated_at=timezone.now())
    audit_record(
        actor=by,
        action="archive.page.correct",
        target=page.item,
        unit=page.item.unit,
        details={"page": page.number, "chars": len(new), "note": note[:300]},
    )
    return page


@transaction.atomic
def suggestion_decide(*, by: Officer, suggestion: MetadataSuggestion, confirm: bool) -> MetadataSuggestion:
    """Confirm a suggested value (a number and symbol, a date, an issuer become the item's) or set
    it aside."""
    suggestion = (
        MetadataSuggestion.objects.select_for_update().select_related("item", "item__unit").get(pk=suggestion.pk)
    )
    item = suggestion.item
    suggestion.status = SuggestionStatus.CONFIRMED if confirm else SuggestionStatus.REJECTED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    if confirm:
        fields = {
            SuggestionKind.NUMBER_SYMBOL: ("number_symbol", suggestion.value),
            SuggestionKind.DATE: ("document_date", _date(suggestion.value)),
            SuggestionKind.ISSUER: ("issuer", suggestion.value),
        }
        if suggestion.kind in fields:
            name, value = fields[SuggestionKind(suggestion.kind)]
            setattr(item, name, value)
            item.save(update_fields=[name, "updated_at"])
            # one value of each of these kinds: the others are set aside
            item.suggestions.filter(kind=suggestion.kind, status=SuggestionStatus.CONFIRMED).exclude(
                pk=suggestion.pk
            ).update(status=SuggestionStatus.REJECTED, decided_by=by, decided_at=suggestion.decided_at)
    audit_record(
        actor=by,
        action="archive.suggestion.confirm" if confirm else "archive.suggestion.reject",
        target=item,
        unit=item.unit,
        details={"kind": suggestion.kind, "value": suggestion.value},
    )
    return suggestion


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@transaction.atomic
def item_file(*, by: OfficerOrSystem, item: ArchiveItem, dossier: Dossier | None) -> ArchiveItem:
    """Put the item at the end of ``dossier`` (a dossier of its unit's subtree), or take it out (None)."""
    item = ArchiveItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
    if dossier is not None and not dossier.unit.path.startswith(item.unit.path):
        raise PermissionDenied(_("Chỉ đưa tài liệu vào hồ sơ của đơn vị mình hoặc đơn vị cấp dưới."))
    if dossier is not None and item.dossier_id == dossier.pk:
        return item
    previous = item.dossier_id
    if dossier is None:
        item.dossier, item.position = None, None
    else:
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        last = ArchiveItem.objects.filter(dossier=dossier).aggregate(last=Max("position"))["last"] or 0
        item.dossier, item.position = dossier, last + 1
    item.save(update_fields=["dossier", "position", "updated_at"])
    if previous:
        _renumber(previous)
    audit_record(
        actor=by,
        action="archive.item.file",
        target=item,
        unit=item.unit,
        details={"dossier": dossier.file_code if dossier else None, "position": item.position},
    )
    return item


def _renumber(dossier_id: int, order: Iterable[int] | None = None) -> None:
    items = list(ArchiveItem.objects.filter(dossier_id=dossier_id).order_by("position", "pk"))
    if order is not None:
        rank = {pk: index for index, pk in enumerate(order)}
        items.sort(key=lambda i: rank.get(i.pk, len(rank)))
    # Two passes: positions are unique within a dossier at every step.
    ArchiveItem.objects.filter(dossier_id=dossier_id).update(position=None)
    for index, item in enumerate(items, start=1):
        ArchiveItem.objects.filter(pk=item.pk).update(position=index)


@transaction.atomic
def item_move(*, by: Officer, item: ArchiveItem, step: int) -> ArchiveItem:
    """Move the item one place up (-1) or down (+1) in its dossier."""
    item = ArchiveItem.objects.select_for_update().select_related("unit", "dossier").get(pk=item.pk)
    if item.dossier_id is None:
        raise InvalidTransition(_("Tài liệu chưa thuộc hồ sơ nào."))
    order = list(
        ArchiveItem.objects.filter(dossier_id=item.dossier_id).order_by("position", "pk").values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    target = max(0, min(len(order) - 1, index + (1 if step > 0 else -1)))
    order.insert(target, order.pop(index))
    _renumber(item.dossier_id, order)
    item.refresh_from_db()
    audit_record(actor=by, action="archive.item.move", target=item, unit=item.unit, details={"position": item.position})
    return item


# --- Dossiers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierFields:
    year: int
    notation: str
    title: str
    retention: RetentionSchedule
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    physical_location: str = ""


def _check_dossier(fields: DossierFields) -> None:
    errors: dict[str, list[str]] = {}
    notation = fields.notation.strip()
    if not notation or len(notation) > 20 or any(char.isspace() for char in notation):
        errors["notation"] = [_("Số và ký hiệu hồ sơ: 1 đến 20 ký tự, không có dấu cách (ví dụ 01.TH).")]
    if not 1900 <= fields.year <= timezone.localdate().year + 1:
        errors["year"] = [_("Năm hình thành hồ sơ không hợp lệ.")]
    if not fields.title.strip():
        errors["title"] = [_("Nhập tiêu đề hồ sơ.")]
    if fields.period_start and fields.period_end and fields.period_end < fields.period_start:
        errors["period_end"] = [_("Thời gian kết thúc phải sau thời gian bắt đầu.")]
    if errors:
        raise ValidationFailed(details=errors)


def _file_code(unit: Unit, fields: DossierFields) -> str:
    return file_code_of(unit.agency_code or unit.code, fields.year, fields.notation.strip())


@transaction.atomic
def dossier_create(*, by: OfficerOrSystem, unit: Unit, fields: DossierFields) -> Dossier:
    _check_dossier(fields)
    code = _file_code(unit, fields)
    if Dossier.objects.filter(file_code=code).exists():
        raise Conflict(_("Đã có hồ sơ mã %(code)s.") % {"code": code}, details={"notation": [_("Mã hồ sơ đã dùng.")]})
    dossier = Dossier.objects.create(
        unit=unit,
        year=fields.year,
        notation=fields.notation.strip(),
        file_code=code,
        title=fields.title.strip()[:500],
        period_start=fields.period_start,
        period_end=fields.period_end,
        retention=fields.retention,
        physical_location=fields.physical_location.strip()[:200],
        created_by=_officer(by),
    )
    audit_record(actor=by, action="archive.dossier.create", target=dossier, unit=unit, details={"file_code": code})
    return dossier


@transaction.atomic
def dossier_update(*, by: Officer, dossier: Dossier, fields: DossierFields) -> Dossier:
    _check_dossier(fields)
    dossier = Dossier.objects.select_for_update().select_related("unit").get(pk=dossier.pk)
    code = _file_code(dossier.unit, fields)
    if Dossier.objects.filter(file_code=code).exclude(pk=dossier.pk).exists():
        raise Conflict(_("Đã có hồ sơ mã %(code)s.") % {"code": code}, details={"notation": [_("Mã hồ sơ đã dùng.")]})
    before = {"file_code": dossier.file_code, "title": dossier.title, "retention": dossier.retention_id}
    dossier.year, dossier.notation, dossier.file_code = fields.year, fields.notation.strip(), code
    dossier.title = fields.title.strip()[:500]
    dossier.period_start, dossier.period_end = fields.period_start, fields.period_end
    dossier.retention = fields.retention
    dossier.physical_location = fields.physical_location.strip()[:200]
    dossier.save()
    audit_record(
        actor=by, action="archive.dossier.update", target=dossier, unit=dossier.unit, details={"before": before}
    )
    return dossier
