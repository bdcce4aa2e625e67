"""Background tasks of điều hành (run by `congan db_worker`): the reminder job, for a scheduler
that enqueues django-tasks instead of running `congan tasks_remind` from cron."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reminders_task() -> dict[str, int]:
    from congan.tasks.reminders import reminders_send

    return reminders_send()
