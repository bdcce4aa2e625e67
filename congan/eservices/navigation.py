from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

SERVICES = _("Dịch vụ công")
WORK = (roles.RECEPTION, roles.PROCESSING, roles.CLERK)

register(NavItem(_("Dịch vụ công"), "eservices:catalogue", order=300, public=True))
register(NavItem(_("Tra cứu hồ sơ"), "eservices:track", order=301, public=True))
register(
    NavItem(_("Xử lý hồ sơ"), "eservices:inbox", "eservices.view_dossier", order=110, group=SERVICES, work_of=WORK)
)
register(NavItem(_("Công khai kết quả"), "eservices:public_dashboard", order=302, public=True))
register(
    NavItem(
        _("Thống kê DVC"),
        "eservices:dashboard",
        "eservices.view_dossier",
        order=111,
        group=SERVICES,
        work_of=(roles.LEADER,),
    )
)
