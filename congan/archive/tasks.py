"""Background tasks of the archive (run by `congan db_worker`): reading one scanned item."""

from __future__ import annotations

from django_tasks import task


@task()
def process_item_task(item_id: int) -> dict[str, object]:
    from congan.archive.services import item_process

    item = item_process(item_id=item_id)
    return {"item": item_id, "status": item.status if item else "missing"}
