"""What people read, the same way on every page: numbers grouped as the active language groups
them (200.152 in Vietnamese, 200,152 in English), amounts in đồng, a dash for nothing.

Dates are written with Django's ``date`` filter and ``"d/m/Y"`` (``"d/m/Y H:i"`` with the time),
sex and other choices with ``get_FOO_display``, communes with ``places.commune_name``."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import get_format
from django.utils.numberformat import format as number_format
from django.utils.translation import gettext as _

from congan.core.labels import data_label

register = template.Library()
NOTHING = "—"


def grouped(value: int | float | Decimal) -> str:
    places = 0 if isinstance(value, int) or value == int(value) else None
    return number_format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.filter
def number(value: int | float | Decimal | str | None) -> str:
    """``200152`` → ``200.152`` (``200,152`` in English); None or "" → "—"; text stays as it is."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        try:
            parsed = Decimal(value)
        except ArithmeticError:
            return value
        return grouped(parsed) if parsed.is_finite() else value
    return grouped(value)


@register.filter
def vnd(amount: int | None) -> str:
    """A fee in đồng ("7.000 đ"); 0 is free, None is "set by regulation"."""
    if amount is None:
        return _("Theo quy định")
    if amount == 0:
        return _("Miễn phí")
    return f"{grouped(amount)} đ"


@register.simple_tag
def vnd_range(low: int | None, high: int | None) -> str:
    """A fine's bracket: "400.000–600.000 đồng"; one amount when both ends are the same."""
    if low is None and high is None:
        return NOTHING
    if low == high or high is None:
        return _("%(amount)s đồng") % {"amount": grouped(low or 0)}
    return _("%(low)s–%(high)s đồng") % {"low": grouped(low or 0), "high": grouped(high)}


@register.filter(name="data_label")
def data_label_filter(value: object) -> str:
    """A name from data (a role, a position, a declared purpose, a violation type) in the active
    language when the catalogue has it, else as written (congan.core.labels)."""
    return data_label(value)
