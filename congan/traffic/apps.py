from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "congan.traffic"
    label = "traffic"
    verbose_name = _("Giao thông, phạt nguội")

    def ready(self) -> None:
        from congan.core import demo
        from congan.core.apikeys import register_scope
        from congan.traffic import navigation  # noqa: F401 - register the menu entries
        from congan.traffic.demo import demo_build_traffic

        demo.register("traffic", demo_build_traffic, order=320)
        register_scope("violations.ingest", "Máy chủ camera: gửi sự kiện vi phạm")
        register_scope("violations.lookup", "Ứng dụng đối tác: tra cứu phương tiện vi phạm theo biển số")
        register_scope("camera.device", "Camera giao thông: gửi tín hiệu hoạt động, sự kiện vi phạm")
