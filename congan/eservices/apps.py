from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "congan.eservices"
    label = "eservices"
    verbose_name = _("Dịch vụ công trực tuyến")

    def ready(self) -> None:
        from congan.core import demo
        from congan.eservices import navigation  # noqa: F401 - register the menu entries
        from congan.eservices.catalogue import demo_load_catalogue

        demo.register("eservices-catalogue", demo_load_catalogue, order=200)
