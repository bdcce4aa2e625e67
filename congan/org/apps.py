from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _has_confirmed_device(user: Any) -> bool:
    """The kernel's API authentication asks this (congan.core.second_factor)."""
    from congan.org.selectors import officer_has_confirmed_device

    return officer_has_confirmed_device(officer=user)


class OrgConfig(AppConfig):
    name = "congan.org"
    label = "org"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self) -> None:
        from congan.core.second_factor import register_device_check
        from congan.org import dashboard, navigation  # noqa: F401 - register dashboard panel, menu entries

        register_device_check(_has_confirmed_device)
