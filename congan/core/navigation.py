"""The navigation menu: each app registers its entries with the permission that shows them, the
module (group) they belong to, and the roles whose daily work they are. A signed-in officer sees
one menu per module, their own work first, the public pages last; a visitor sees the public ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str | None = None  # None: any signed-in officer
    order: int = 100
    visible: Callable[[Any], bool] | None = None
    public: bool = False  # shown to everyone, signed in or not (public services)
    group: Any = ""  # the module's name in the menu; "" for an entry of its own (the dashboard)
    work_of: tuple[str, ...] = ()  # roles (group names) whose daily work this is: shown first


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def _visible(item: NavItem, user: Any, signed_in: bool) -> bool:
    if not signed_in and not item.public:
        return False
    if item.permission and not user.has_perm(item.permission):
        return False
    return item.visible is None or item.visible(user)


def _entry(item: NavItem) -> dict[str, str]:
    return {"label": str(item.label), "url": reverse(item.url_name), "url_name": item.url_name}


def menu_for(user: Any) -> list[dict[str, str]]:
    """Every entry the user may open, in order (the flat list; menu_groups groups it)."""
    signed_in = getattr(user, "is_authenticated", False)
    return [_entry(item) for item in _items if _visible(item, user, signed_in)]


PUBLIC_GROUP = _("Trang công khai")


def menu_groups(user: Any) -> list[dict[str, Any]]:
    """The menu as groups ``{"label", "items"}``: a visitor's is one unlabelled group of public
    pages; an officer's starts with the dashboard, then the modules of their roles' work, then the
    others in the modules' order, then the public pages."""
    signed_in = getattr(user, "is_authenticated", False)
    visible = [item for item in _items if _visible(item, user, signed_in)]
    if not signed_in:
        return [{"label": "", "items": [_entry(item) for item in visible]}]
    roles = set(user.groups.values_list("name", flat=True))
    groups: dict[str, dict[str, Any]] = {}
    for item in visible:
        label = str(PUBLIC_GROUP if item.public else item.group)
        group = groups.setdefault(label, {"label": label, "items": [], "mine": False, "public": item.public})
        group["items"].append(_entry(item))
        group["mine"] = group["mine"] or bool(roles & set(item.work_of))
    ordered = sorted(groups.values(), key=lambda group: (group["public"], not group["mine"] if group["label"] else -1))
    return [{"label": group["label"], "items": group["items"]} for group in ordered]
