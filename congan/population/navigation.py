from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Dân cư"), "population:resident_search", "population.view_resident", order=100))
register(NavItem(_("Nhập dữ liệu"), "population:import_list", "population.import_enrichment", order=105))
register(
    NavItem(_("Tài khoản công dân"), "population:citizen_accounts", "population.confirm_citizen_account", order=107)
)
