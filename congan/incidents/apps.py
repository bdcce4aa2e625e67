from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "congan.incidents"
    label = "incidents"
    verbose_name = _("Tin báo, điều phối")

    def ready(self) -> None:
        from congan.core import demo
        from congan.incidents import navigation  # noqa: F401 - register the menu entries
        from congan.incidents.demo import demo_build_incidents

        demo.register("incidents", demo_build_incidents, order=300)
