"""Storing uploaded files as model rows with a ``file`` field, all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model

M = TypeVar("M", bound=Model)


def upload_sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def delete_stored(items: Iterable[Model]) -> None:
    """Remove the files of rows whose transaction will not commit (storage is not transactional)."""
    for item in items:
        item.file.delete(save=False)


def store_all(rows: Iterable[tuple[M, UploadedFile]]) -> list[M]:
    """Write each file through Django's storage and save its row; on any failure the files
    already written are removed before the error goes on."""
    saved: list[M] = []
    try:
        for instance, upload in rows:
            instance.file.save(upload.name, upload, save=False)
            saved.append(instance)
            instance.save()
    except Exception:
        delete_stored(saved)
        raise
    return saved
