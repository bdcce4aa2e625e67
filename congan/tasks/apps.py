from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "congan.tasks"
    label = "tasks"
    verbose_name = _("Điều hành công việc")

    def ready(self) -> None:
        from congan.tasks import dashboard, navigation  # noqa: F401 - register the panel, the to-do items, the menu
