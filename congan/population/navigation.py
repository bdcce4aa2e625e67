from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

POPULATION = _("Dân cư")
WORK = (roles.RECEPTION, roles.PROCESSING)

register(
    NavItem(
        _("Tra cứu dân cư"),
        "population:resident_search",
        "population.view_resident",
        order=100,
        group=POPULATION,
        work_of=WORK,
    )
)
register(
    NavItem(_("Nhập dữ liệu"), "population:import_list", "population.import_enrichment", order=105, group=POPULATION)
)
register(
    NavItem(
        _("Tài khoản công dân"),
        "population:citizen_accounts",
        "population.confirm_citizen_account",
        order=107,
        group=POPULATION,
        work_of=WORK,
    )
)
