"""Background tasks of the warnings module (run by `congan db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def fan_out_task(alert_id: int) -> int:
    from congan.alerts.services import alert_fan_out

    return alert_fan_out(alert_id=alert_id)
