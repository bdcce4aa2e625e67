from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Camera"), "traffic:cameras", "traffic.view_camera", order=130))
register(NavItem(_("Vi phạm qua hình ảnh"), "traffic:desk", "traffic.view_violationevent", order=131))
register(NavItem(_("Thống kê vi phạm"), "traffic:stats", "traffic.view_violationevent", order=132))
register(NavItem(_("Tra cứu phạt nguội"), "traffic:lookup", order=305, public=True))
