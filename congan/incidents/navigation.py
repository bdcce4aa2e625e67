from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Báo tin"), "incidents:report_new", order=303, public=True))
register(NavItem(_("Tin báo"), "incidents:queue", "incidents.view_report", order=120))
register(NavItem(_("Điều phối"), "incidents:board", "incidents.dispatch_report", order=121))
register(
    NavItem(
        _("Tổ công tác"),
        "incidents:field",
        order=122,
        visible=lambda user: user.patrol_units.filter(active=True).exists(),
    )
)
register(NavItem(_("Thời gian phản ứng"), "incidents:metrics", "incidents.view_report", order=123))
