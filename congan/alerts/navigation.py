from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

register(NavItem(_("Cảnh báo"), "alerts:public_list", order=304, public=True))
register(
    NavItem(
        _("Phát hành cảnh báo"),
        "alerts:manage",
        "alerts.view_alert",
        order=125,
        group=_("Cảnh báo"),
        work_of=(roles.DISPATCHER, roles.LEADER),
    )
)
