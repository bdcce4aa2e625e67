from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "congan.incidents"
    label = "incidents"
    verbose_name = _("Tin báo, điều phối")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from congan.core import aggregates as statistics
        from congan.core import demo
        from congan.core.apikeys import register_scope
        from congan.incidents import (  # noqa: F401 - register the fast lane's route, the menu entries
            dashboard,
            fast,
            lookups,
            navigation,
            search,
        )
        from congan.incidents.aggregates import AGGREGATES
        from congan.incidents.demo import demo_build_incidents
        from congan.incidents.models import ReportKind, RoutingRule
        from congan.org.models import Unit

        demo.register("incidents", demo_build_incidents, order=300)
        statistics.register(AGGREGATES)
        register_scope("patrol.device", _("Thiết bị của tổ công tác: gửi vị trí và trạng thái"))
        for model in (ReportKind, RoutingRule, Unit):
            post_save.connect(lookups.clear, sender=model, dispatch_uid=f"incidents-lookups-save-{model.__name__}")
            post_delete.connect(lookups.clear, sender=model, dispatch_uid=f"incidents-lookups-delete-{model.__name__}")
        register_scope("open311.post", _("Gửi phản ánh, tin báo qua Open311 GeoReport v2"))
