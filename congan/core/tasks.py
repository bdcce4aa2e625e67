"""Background tasks of the platform core (run by `congan db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications_task() -> dict[str, int]:
    from congan.core.notifications import notifications_deliver

    return notifications_deliver()
