from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "congan.org"
    label = "org"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self) -> None:
        from congan.org import dashboard, navigation  # noqa: F401 - register dashboard panel, menu entries
