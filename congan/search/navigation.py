from django.utils.translation import gettext_lazy as _

from congan.core import search as quick_search
from congan.core.navigation import NavItem, register
from congan.search import providers


def _sees_a_kind(user: object) -> bool:
    return bool(providers.kinds_for(user))


register(
    NavItem(
        _("Tìm trong nội dung văn bản"),
        "search:page",
        None,
        order=139,
        visible=_sees_a_kind,
        group=_("Văn bản"),
    )
)
quick_search.register_elsewhere(
    quick_search.Elsewhere(label=_("Nội dung văn bản (toàn văn)"), url_name="search:page", visible=_sees_a_kind)
)
