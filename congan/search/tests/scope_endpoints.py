"""Unit-scoped endpoints of the full-text search, checked by congan/core/tests/test_scope_leak.py:
the search page and the search API, each over incoming and outgoing documents. Each object is made
in its unit and indexed as its write path would; the query matches both units' objects, so the
check proves the other unit's one is left out (and the province sees both)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from congan.core.testing.scope_leak import ScopedEndpoint, register
from congan.documents.fulltext import INCOMING, OUTGOING
from congan.search.tests.factories import indexed_incoming, indexed_outgoing

WORDS = "kiem tra pham vi tim kiem"


def _incoming(unit):
    return indexed_incoming(
        unit=unit, issuer_name=f"TG{unit.code}", subject="Văn bản kiểm tra phạm vi tìm kiếm toàn văn"
    )


def _outgoing(unit):
    return indexed_outgoing(
        unit=unit, subject="Văn bản đi kiểm tra phạm vi tìm kiếm toàn văn", signer_title=f"KY{unit.code}"
    )


def _page(kind: str) -> str:
    return reverse("search:page") + "?" + urlencode({"q": WORDS, "kind": kind})


def _api(kind: str) -> str:
    return "/api/v1/search?" + urlencode({"q": WORDS, "kind": kind})


def _issuer(document: Any) -> str:
    return str(document.issuer_name)


def _signer_title(document: Any) -> str:
    return str(document.signer_title)


register(ScopedEndpoint(name="search.page incoming", make=_incoming, marker=_issuer, list_url=lambda: _page(INCOMING)))
register(ScopedEndpoint(name="search.api incoming", make=_incoming, marker=_issuer, list_url=lambda: _api(INCOMING)))
register(
    ScopedEndpoint(name="search.page outgoing", make=_outgoing, marker=_signer_title, list_url=lambda: _page(OUTGOING))
)
register(
    ScopedEndpoint(name="search.api outgoing", make=_outgoing, marker=_signer_title, list_url=lambda: _api(OUTGOING))
)
