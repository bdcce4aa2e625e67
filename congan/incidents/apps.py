from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "congan.incidents"
    label = "incidents"
    verbose_name = _("Tin báo, điều phối")

    def ready(self) -> None:
        from congan.core import demo
        from congan.core.apikeys import register_scope
        from congan.incidents import navigation  # noqa: F401 - register the menu entries
        from congan.incidents.demo import demo_build_incidents

        demo.register("incidents", demo_build_incidents, order=300)
        register_scope("patrol.device", "Thiết bị của tổ công tác: gửi vị trí và trạng thái")
        register_scope("open311.post", "Gửi phản ánh, tin báo qua Open311 GeoReport v2")
