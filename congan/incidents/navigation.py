from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Báo tin"), "incidents:report_new", order=303, public=True))
register(NavItem(_("Tin báo"), "incidents:queue", "incidents.view_report", order=120))
