"""Unit-scoped endpoints of the archive, checked by congan/core/tests/test_scope_leak.py: the
archive's pages and downloads, and its API."""

from __future__ import annotations

from django.urls import reverse

from congan.archive.tests.factories import dossier, read_item
from congan.core.testing.scope_leak import ScopedEndpoint, register


def _item(unit):
    return read_item(unit, title=f"Tài liệu kiểm tra {unit.code}", text=f"Nội dung trang riêng {unit.code}")


def _item_marker(item) -> str:
    return item.title


def _page_marker(item) -> str:
    return f"Nội dung trang riêng {item.unit.code}"


def _dossier(unit):
    made = dossier(unit, title=f"Hồ sơ kiểm tra {unit.code}", notation=f"01.{unit.code}")
    item = _item(unit)
    from congan.archive.services import item_file

    item_file(by="system", item=item, dossier=made)
    return made


def _dossier_marker(made) -> str:
    return made.title


register(
    ScopedEndpoint(
        name="archive item pages",
        make=_item,
        marker=_item_marker,
        list_url=lambda: reverse("archive:item_list"),
        detail_url=lambda item: reverse("archive:item", args=[item.pk]),
    )
)
register(
    ScopedEndpoint(
        name="archive home page",
        make=_item,
        marker=_item_marker,
        list_url=lambda: reverse("archive:home"),
        detail_url=lambda item: reverse("archive:item_progress", args=[item.pk]),
    )
)
register(
    ScopedEndpoint(
        name="archive page text",
        make=_item,
        marker=_page_marker,
        detail_url=lambda item: reverse("archive:page_edit", args=[item.pk, 1]),
    )
)
register(
    ScopedEndpoint(
        name="archive original download",
        make=_item,
        marker=_item_marker,
        detail_url=lambda item: reverse("archive:item_original", args=[item.pk]),
    )
)
register(
    ScopedEndpoint(
        name="archive copy download",
        make=_item,
        marker=_item_marker,
        detail_url=lambda item: reverse("archive:item_archive_copy", args=[item.pk]),
    )
)
register(
    ScopedEndpoint(
        name="archive item api",
        make=_item,
        marker=_item_marker,
        detail_url=lambda item: f"/api/v1/archive/items/{item.pk}",
    )
)
register(
    ScopedEndpoint(
        name="archive pages api",
        make=_item,
        marker=_page_marker,
        detail_url=lambda item: f"/api/v1/archive/items/{item.pk}/pages",
    )
)
register(
    ScopedEndpoint(
        name="archive dossier pages",
        make=_dossier,
        marker=_dossier_marker,
        list_url=lambda: reverse("archive:dossier_list"),
        detail_url=lambda made: reverse("archive:dossier", args=[made.pk]),
    )
)
register(
    ScopedEndpoint(
        name="archive dossier edit page",
        make=_dossier,
        marker=_dossier_marker,
        detail_url=lambda made: reverse("archive:dossier_edit", args=[made.pk]),
    )
)
register(
    ScopedEndpoint(
        name="archive dossiers api",
        make=_dossier,
        marker=_dossier_marker,
        list_url=lambda: "/api/v1/archive/dossiers",
        detail_url=lambda made: f"/api/v1/archive/dossiers/{made.pk}",
    )
)
