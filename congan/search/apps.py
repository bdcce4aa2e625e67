from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "congan.search"
    label = "search"
    verbose_name = _("Tìm kiếm toàn văn")

    def ready(self) -> None:
        from congan.core import demo
        from congan.search import navigation  # noqa: F401 - register the menu entry
        from congan.search.demo import demo_build_index

        # After every module that writes searchable records (documents: 330–332, tasks: 335).
        demo.register("search", demo_build_index, order=900)
