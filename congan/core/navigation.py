"""The navigation menu: each app registers its entries with the permission that shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str | None = None  # None: any signed-in officer
    order: int = 100
    visible: Callable[[Any], bool] | None = None
    public: bool = False  # shown to everyone, signed in or not (public services)


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def menu_for(user: Any) -> list[dict[str, str]]:
    signed_in = getattr(user, "is_authenticated", False)
    menu = []
    for item in _items:
        if not signed_in and not item.public:
            continue
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.visible and not item.visible(user):
            continue
        menu.append({"label": str(item.label), "url": reverse(item.url_name), "url_name": item.url_name})
    return menu
