from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "congan.signatures"
    label = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        from congan.core import demo
        from congan.signatures import navigation  # noqa: F401 - the menu entry
        from congan.signatures.demo import demo_build_signatures

        demo.register("signatures", demo_build_signatures, order=325)
