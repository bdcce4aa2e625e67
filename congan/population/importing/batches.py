"""Creating, finding and running import batches: what the command, the upload page and the
background task share."""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from congan.core.audit import audit_record
from congan.core.errors import ValidationFailed
from congan.org.actors import OfficerOrSystem
from congan.org.models import Officer, Unit
from congan.population.importing.engine import plan_columns
from congan.population.importing.readers import file_format, open_source
from congan.population.models import ImportBatch

RESUMABLE = (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING, ImportBatch.Status.FAILED)


def load_mapping(text: str, *, name: str = "mapping.json") -> dict[str, str]:
    """A mapping file: JSON or TOML, ``{"columns": {"SOURCE COLUMN": "field"}}`` or the inner table
    alone. Map a column to "" to skip it."""
    try:
        data = tomllib.loads(text) if name.lower().endswith(".toml") else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationFailed(_("Tệp ánh xạ không đọc được: %(error)s") % {"error": exc}) from exc
    columns = data.get("columns", data) if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in columns.items()
    ):
        raise ValidationFailed(_('Tệp ánh xạ phải là bảng {"cột nguồn": "trường"}.'))
    return {key: value or "" for key, value in columns.items()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_source(path: Path, fmt: str, mapping: dict[str, str]) -> None:
    """Refuse a file whose columns cannot be imported before anything is queued."""
    source = open_source(path, fmt)
    if not source.header:
        raise ValidationFailed(_("Tệp không có dòng tiêu đề (hoặc dòng đầu tiên không đọc được)."))
    plan_columns(source.header, mapping)


def find_resumable(*, sha256: str, source_agency: str, mapping: dict[str, str]) -> ImportBatch | None:
    """An unfinished batch of the same file, source and mapping: rerunning resumes it."""
    for batch in ImportBatch.objects.filter(file_sha256=sha256, source_agency=source_agency, status__in=RESUMABLE):
        if (batch.mapping or {}) == mapping:
            return batch
    return None


@transaction.atomic
def import_batch_create(
    *,
    by: OfficerOrSystem,
    unit: Unit,
    path: Path,
    file_name: str,
    source_agency: str,
    mapping: dict[str, str] | None = None,
) -> ImportBatch:
    source_agency = (source_agency or "").strip()
    if not source_agency:
        raise ValidationFailed(details={"source_agency": [_("Phải nêu cơ quan cung cấp dữ liệu.")]})
    mapping = mapping or {}
    fmt = file_format(file_name)
    _check_source(path, fmt, mapping)
    batch = ImportBatch.objects.create(
        source_agency=source_agency[:120],
        file_name=file_name[:255],
        file_path=str(path),
        file_sha256=file_sha256(path),
        file_format=fmt,
        mapping=mapping,
        unit=unit,
        created_by=by if isinstance(by, Officer) else None,
    )
    audit_record(
        actor=by,
        action="population.import.create",
        target=batch,
        unit=unit,
        details={"source": batch.source_agency, "file": batch.file_name, "sha256": batch.file_sha256},
    )
    return batch


def store_upload(upload: UploadedFile) -> Path:
    """Keep an uploaded file under IMPORT_ROOT (outside the web root) until the import is done."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size and upload.size > limit:
        raise ValidationFailed(details={"file": [_("Tệp lớn hơn giới hạn %(mb)s MB.") % {"mb": limit // 1_048_576}]})
    file_format(upload.name or "")
    folder = Path(settings.IMPORT_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with target.open("wb") as handle:
        if hasattr(upload, "temporary_file_path"):
            with Path(upload.temporary_file_path()).open("rb") as source:
                shutil.copyfileobj(source, handle)
        else:
            for chunk in upload.chunks():
                handle.write(chunk)
    return target


def enqueue_import(batch: ImportBatch) -> ImportBatch:
    """Queue the batch for the background worker (`congan db_worker`)."""
    from congan.population.importing.tasks import run_import_task

    def _enqueue() -> None:
        result = run_import_task.enqueue(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(_enqueue)
    return batch
