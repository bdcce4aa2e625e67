from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

REPORTS = _("Tin báo")
WORK = (roles.DISPATCHER,)

register(NavItem(_("Báo tin"), "incidents:report_new", order=303, public=True))
register(NavItem(_("Tin báo"), "incidents:queue", "incidents.view_report", order=120, group=REPORTS, work_of=WORK))
register(
    NavItem(_("Điều phối"), "incidents:board", "incidents.view_patrolunit", order=121, group=REPORTS, work_of=WORK)
)
register(
    NavItem(
        _("Tổ công tác"),
        "incidents:field",
        order=122,
        visible=lambda user: user.patrol_units.filter(active=True).exists(),
        group=REPORTS,
        work_of=(roles.SPECIALIST,),
    )
)
register(
    NavItem(
        _("Thời gian phản ứng"),
        "incidents:metrics",
        "incidents.view_report",
        order=123,
        group=REPORTS,
        work_of=(roles.LEADER,),
    )
)
