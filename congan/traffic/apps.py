from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "congan.traffic"
    label = "traffic"
    verbose_name = _("Giao thông, phạt nguội")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from congan.core import aggregates as statistics
        from congan.core import demo
        from congan.core.apikeys import register_scope
        from congan.org.models import Unit
        from congan.traffic import (  # noqa: F401 - register the fast lane's route, the menu entries
            dashboard,
            fast,
            lookups,
            navigation,
            search,
        )
        from congan.traffic.aggregates import AGGREGATES
        from congan.traffic.demo import demo_build_traffic
        from congan.traffic.models import Camera, ViolationType

        for model in (Camera, Unit, ViolationType):
            post_save.connect(lookups.clear, sender=model, dispatch_uid=f"traffic-lookups-save-{model.__name__}")
            post_delete.connect(lookups.clear, sender=model, dispatch_uid=f"traffic-lookups-delete-{model.__name__}")

        demo.register("traffic", demo_build_traffic, order=320)
        statistics.register(AGGREGATES)
        register_scope("violations.ingest", _("Máy chủ camera: gửi sự kiện vi phạm"))
        register_scope("violations.lookup", _("Ứng dụng đối tác: tra cứu phương tiện vi phạm theo biển số"))
        register_scope("camera.device", _("Camera giao thông: gửi tín hiệu hoạt động, sự kiện vi phạm"))
