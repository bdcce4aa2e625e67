from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "congan.documents"
    label = "documents"
    verbose_name = _("Văn bản, điều hành")

    def ready(self) -> None:
        from congan.core import demo
        from congan.core.apikeys import register_scope
        from congan.documents import (  # noqa: F401 - register the panel, the to-do items, the menu, the search
            dashboard,
            fulltext,
            navigation,
            outgoing_attention,
            search,
        )
        from congan.documents.demo import demo_build_documents
        from congan.documents.demo_copies import demo_build_copies
        from congan.documents.demo_outgoing import demo_build_outgoing

        demo.register("documents", demo_build_documents, order=330)
        demo.register("documents_outgoing", demo_build_outgoing, order=332)
        demo.register("documents_copies", demo_build_copies, order=338)  # after tasks and exchange

        register_scope("documents.receive", "Hệ thống quản lý văn bản khác: gửi văn bản đến cho đơn vị")
