from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(
    NavItem(
        _("Kiểm tra chữ ký số"),
        "signatures:verify",
        "documents.view_incomingdocument",
        order=149,
        group=_("Văn bản"),
    )
)
