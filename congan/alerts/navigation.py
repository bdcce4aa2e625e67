from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Cảnh báo"), "alerts:public_list", order=304, public=True))
register(NavItem(_("Phát hành cảnh báo"), "alerts:manage", "alerts.view_alert", order=125))
