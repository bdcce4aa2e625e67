"""The search box opens an incoming document from its number and symbol, however it is typed
(``15/QĐ-CAT-PV01``, ``số 15/qđ-cat-pv01``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congan.core.search import Hit, register
from congan.documents import selectors

SHOWN = 10


def incoming_documents(q: str, viewer: Any) -> list[Hit]:
    if not viewer.has_perm(selectors.VIEW) or ("/" not in q and "-" not in q):
        return []
    found = selectors.by_symbol(viewer=viewer, text=q)[:SHOWN]
    return [
        Hit(_("Văn bản đến"), _title(document), reverse("documents:incoming", args=[document.pk])) for document in found
    ]


def _title(document: Any) -> str:
    """A classified entry names its level, not its subject: opening it is what is audited."""
    about = document.get_classification_display() if document.is_classified else document.subject[:80]
    return f"{document.number_symbol} · {about} · {document.received_on:%d/%m/%Y}"


register(incoming_documents)
