from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "congan.archive"
    label = "archive"
    verbose_name = _("Lưu trữ điện tử")

    def ready(self) -> None:
        from congan.archive import navigation  # noqa: F401 - register the menu entry
        from congan.archive.demo import demo_build_archive
        from congan.core import demo

        demo.register("archive", demo_build_archive, order=345)
