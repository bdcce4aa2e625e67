from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "congan.eservices"
    label = "eservices"
    verbose_name = _("Dịch vụ công trực tuyến")

    def ready(self) -> None:
        from congan.core import demo
        from congan.eservices import dashboard, navigation  # noqa: F401 - register the panel, the menu entries
        from congan.eservices.catalogue import demo_load_catalogue
        from congan.eservices.demo import demo_build_dossiers

        demo.register("eservices-catalogue", demo_load_catalogue, order=200)
        demo.register("eservices-dossiers", demo_build_dossiers, order=210)
