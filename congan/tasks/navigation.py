from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.documents.navigation import DOCUMENTS
from congan.org import roles

register(
    NavItem(
        _("Việc của tôi"),
        "tasks:list",
        "tasks.view_task",
        order=145,
        group=DOCUMENTS,
        work_of=(roles.SPECIALIST, roles.PROCESSING, roles.LEADER),
    )
)
register(NavItem(_("Thống kê việc của đơn vị"), "tasks:unit_dashboard", "tasks.view_task", order=146, group=DOCUMENTS))
register(
    NavItem(
        _("Thống kê điều hành (lãnh đạo)"),
        "tasks:leader_dashboard",
        "tasks.give_directive",
        order=147,
        group=DOCUMENTS,
        work_of=(roles.LEADER,),
    )
)
