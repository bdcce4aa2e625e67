from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "congan.exchange"
    label = "exchange"
    verbose_name = _("Liên thông văn bản (edXML)")

    def ready(self) -> None:
        from congan.core import demo
        from congan.exchange import navigation  # noqa: F401 - register the menu entry
        from congan.exchange.demo import demo_build_exchange

        demo.register("exchange", demo_build_exchange, order=336)
