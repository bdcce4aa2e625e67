from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationConfig(AppConfig):
    name = "congan.population"
    label = "population"
    verbose_name = _("Dân cư")

    def ready(self) -> None:
        from congan.core import demo
        from congan.core.apikeys import register_scope
        from congan.population import (  # noqa: F401 - the panel, the fast lane, the menu, the search box
            dashboard,
            fast,
            navigation,
            search,
        )
        from congan.population.demo import demo_build_residents

        demo.register("population", demo_build_residents)

        register_scope("identity.verify", _("Xác thực thông tin công dân"))
        register_scope("identity.verify_batch", _("Xác thực thông tin công dân theo lô"))
        register_scope("residents.read", _("Đọc các trường thông tin công dân được chính sách cho phép"))
