from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "congan.alerts"
    label = "alerts"
    verbose_name = _("Cảnh báo, khuyến cáo")

    def ready(self) -> None:
        from congan.alerts import dashboard, navigation  # noqa: F401 - register the panel, the menu entries
        from congan.alerts.demo import demo_build_alerts
        from congan.core import demo

        demo.register("alerts", demo_build_alerts, order=310)
        from congan.core.webpush import push_subscription_ended

        push_subscription_ended.connect(_end_push_subscriptions, dispatch_uid="alerts.end_push_subscriptions")


def _end_push_subscriptions(*, subscription, **kwargs) -> None:
    from congan.alerts.services import subscriptions_end_for_push

    subscriptions_end_for_push(subscription.token)
