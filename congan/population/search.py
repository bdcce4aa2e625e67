"""The search box finds a resident by personal ID (their profile, behind its purpose gate; the find
is audited like a search) and offers the residents' search for a name (which runs, and audits, on
its own page)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from congan.core.search import Hit, register
from congan.population.models import Resident
from congan.population.selectors import SEARCH_ACTION, audit_shown, resident_search

PERSONAL_ID = re.compile(r"^\d{12}$")
NAME = re.compile(r"^[^\d]{2,}$")


def residents(q: str, viewer: Any) -> list[Hit]:
    if not viewer.has_perm("population.view_resident"):
        return []
    text = q.strip()
    if PERSONAL_ID.match(text):
        found: Resident | None = resident_search(viewer=viewer, personal_id=text).first()
        if found is None:
            return []
        # Finding the number tells the officer this person exists: audited like the search page.
        audit_shown(viewer=viewer, action=SEARCH_ACTION, resident_ids=[found.pk], details={"q": text, "box": True})
        # The name shows only on the profile, once a purpose is declared there.
        title = _("Công dân có số định danh %(id)s") % {"id": text}
        return [Hit(_("Công dân"), title, reverse("population:resident_profile", args=[found.pk]))]
    if NAME.match(text) and " " in text:
        url = f"{reverse('population:resident_search')}?{urlencode({'q': text})}"
        title = _("Tìm công dân tên “%(name)s”") % {"name": text}
        return [Hit(_("Tra cứu dân cư"), title, url, exact=False)]
    return []


register(residents)
