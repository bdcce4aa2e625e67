from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

ORGANISATION, SYSTEM = _("Tổ chức"), _("Hệ thống")
ADMIN = (roles.ADMIN,)

register(NavItem(_("Tổng quan"), "dashboard", order=0))
register(NavItem(_("Đơn vị"), "org:unit_list", "org.view_unit", order=900, group=ORGANISATION, work_of=ADMIN))
register(
    NavItem(_("Cán bộ, chiến sĩ"), "org:officer_list", "org.view_officer", order=910, group=ORGANISATION, work_of=ADMIN)
)
register(NavItem(_("Tập huấn"), "org:training_list", "org.view_trainingcourse", order=920, group=ORGANISATION))
register(
    NavItem(_("Nhật ký kiểm toán"), "core:audit_list", "core.view_audit_log", order=950, group=SYSTEM, work_of=ADMIN)
)
register(
    NavItem(_("Khóa API đối tác"), "core:apikey_list", "core.manage_api_keys", order=960, group=SYSTEM, work_of=ADMIN)
)
