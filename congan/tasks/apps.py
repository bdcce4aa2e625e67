from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "congan.tasks"
    label = "tasks"
    verbose_name = _("Điều hành công việc")

    def ready(self) -> None:
        from congan.core import demo
        from congan.tasks import dashboard, navigation  # noqa: F401 - register the panel, the to-do items, the menu
        from congan.tasks.demo import demo_build_tasks

        demo.register("tasks", demo_build_tasks, order=335)
