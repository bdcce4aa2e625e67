from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "congan.alerts"
    label = "alerts"
    verbose_name = _("Cảnh báo, khuyến cáo")

    def ready(self) -> None:
        from congan.alerts import navigation  # noqa: F401 - register the menu entries
        from congan.alerts.demo import demo_build_alerts
        from congan.core import demo

        demo.register("alerts", demo_build_alerts, order=310)
