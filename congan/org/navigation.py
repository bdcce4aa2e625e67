from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Tổng quan"), "dashboard", order=0))
register(NavItem(_("Đơn vị"), "org:unit_list", "org.view_unit", order=900))
register(NavItem(_("Cán bộ"), "org:officer_list", "org.view_officer", order=910))
register(NavItem(_("Tập huấn"), "org:training_list", "org.view_trainingcourse", order=920))
register(NavItem(_("Nhật ký kiểm toán"), "core:audit_list", "core.view_audit_log", order=950))
register(NavItem(_("Khóa API đối tác"), "core:apikey_list", "core.manage_api_keys", order=960))
