"""Who a service acts for, as type hints: services of every app annotate ``by`` with these.

``Officer`` is the signed-in user (``AUTH_USER_MODEL = "org.Officer"``). ``System`` is the
platform itself, written ``"system"``: demo data, catalogue and rule loads, imports and commands
run by an operator; the audit trail records it as the system actor (congan.core.audit.Actor).
"""

from __future__ import annotations

from typing import TypeAlias

from django.http import HttpRequest

from congan.core.actors import System
from congan.org.models import Officer

OfficerOrSystem: TypeAlias = Officer | System


class OfficerRequest(HttpRequest):
    """The request of a page only signed-in officers reach (``login_required``,
    ``permission_required``): for type checkers, its ``user`` is an Officer."""

    user: Officer
