from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "congan.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from congan.core.apikeys import register_scope
        from congan.core.audit import buffer

        buffer.install_shutdown_flush()
        register_scope("notifications.receipt", _("Cổng SMS, thư điện tử: báo cáo tình trạng chuyển phát"))
