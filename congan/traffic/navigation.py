from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

TRAFFIC = _("Giao thông")
WORK = (roles.SPECIALIST,)

register(NavItem(_("Camera"), "traffic:cameras", "traffic.view_camera", order=130, group=TRAFFIC, work_of=WORK))
register(
    NavItem(
        _("Vi phạm qua hình ảnh"), "traffic:desk", "traffic.view_violationevent", order=131, group=TRAFFIC, work_of=WORK
    )
)
register(NavItem(_("Thống kê vi phạm"), "traffic:stats", "traffic.view_violationevent", order=132, group=TRAFFIC))
register(NavItem(_("Tra cứu phạt nguội"), "traffic:lookup", order=305, public=True))
