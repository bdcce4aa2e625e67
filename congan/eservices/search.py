"""The search box finds a dossier by its number (Circular 01/2018/TT-VPCP: agency-YYMMDD-NNNN)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.scoping import scope_to_viewer
from congan.core.search import Hit, register
from congan.eservices.models import Dossier

DOSSIER_NUMBER = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4}$")


def dossiers(q: str, viewer: Any) -> list[Hit]:
    code = q.strip().upper()
    if not DOSSIER_NUMBER.match(code) or not viewer.has_perm("eservices.view_dossier"):
        return []
    found = scope_to_viewer(Dossier.objects.select_related("procedure"), viewer=viewer).filter(code=code).first()
    if found is None:
        return []
    title = f"{found.code} · {found.procedure.name}"
    return [Hit(_("Hồ sơ dịch vụ công"), title, reverse("eservices:officer_dossier", args=[found.pk]))]


register(dossiers)
