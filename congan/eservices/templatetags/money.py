from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """A fee in đồng the Vietnamese way ("7.000 đ"); 0 is free, None is "set by regulation"."""
    if amount is None:
        return _("Theo quy định")
    if amount == 0:
        return _("Miễn phí")
    return f"{amount:,} đ".replace(",", ".")
