"""Worker processes of bench/documents_register.py. A separate module without Django imports at
the top: the workers are spawned (nothing of the parent's connection or locks comes along) and
import it before Django is set up."""

from __future__ import annotations

import os
import time


def setup() -> None:
    """Django set up on the parent's database (DATABASE_URL is inherited)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congan.settings")
    django.setup()


def ready(_index: int) -> bool:
    from django.db import connection

    connection.ensure_connection()
    time.sleep(0.2)  # each worker takes one of the calls
    return True


def entry(worker: int, n: int):
    from django.utils import timezone

    from congan.documents import services

    return services.IncomingInput(
        issuer_name="Ủy ban nhân dân thành phố",
        subject="Về việc tăng cường công tác bảo đảm an ninh, trật tự trên địa bàn",
        document_type="cong-van",
        number_symbol=f"{worker * 1_000_000 + n:02d}/UBND-NC",
        received_on=timezone.localdate(),
    )


def register_until(job: tuple[int, int, float, bool]) -> int:
    """Register entries as the clerk ``officer_id`` until ``deadline``, on the one-statement path
    or the ORM path; how many."""
    from django.conf import settings

    from congan.documents import services
    from congan.org.models import Officer

    officer_id, worker, deadline, one_statement = job
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = one_statement
    clerk = Officer.objects.select_related("unit").get(pk=officer_id)
    done = 0
    while time.time() < deadline:
        services.incoming_register(by=clerk, data=entry(worker, done + 1))
        done += 1
    return done
