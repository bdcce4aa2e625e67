"""Places as people read them: ``{% load places %}`` then ``{{ code|commune_name }}`` ("Phường Hải
Châu", never "20194") and ``{{ codes|commune_names }}`` for a list."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from congan.org.selectors import commune_names as _names

register = template.Library()


@register.filter
def commune_name(code: str | None) -> str:
    """The commune's name; a code no commune police unit holds is shown as it is."""
    if not code:
        return ""
    return _names().get(str(code), str(code))


@register.filter
def commune_names(codes: Iterable[str] | None) -> str:
    return ", ".join(commune_name(code) for code in codes or ())


@register.filter
def address(street: str | None, code: str | None) -> str:
    """``{{ street|address:commune_code }}``: "Số 3 Trần Phú, Phường Hải Châu", the parts known, or "—"."""
    return ", ".join(part for part in ((street or "").strip(), commune_name(code)) if part) or "—"
