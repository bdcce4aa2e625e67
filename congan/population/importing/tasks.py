"""Background task: the upload page queues a batch; `congan db_worker` runs it."""

from __future__ import annotations

from django_tasks import task

from congan.population.importing.engine import run_import
from congan.population.models import ImportBatch


@task()
def run_import_task(batch_id: int) -> dict[str, int]:
    batch = run_import(ImportBatch.objects.get(pk=batch_id))
    return {
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "rejected": batch.rejected_count,
    }
