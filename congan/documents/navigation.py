from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.org import roles

DOCUMENTS = _("Văn bản")
WORK = (roles.CLERK,)

register(
    NavItem(
        _("Sổ văn bản đến"),
        "documents:register",
        "documents.view_incomingdocument",
        order=140,
        group=DOCUMENTS,
        work_of=WORK,
    )
)
register(
    NavItem(
        _("Vào sổ văn bản đến"),
        "documents:register_new",
        "documents.add_incomingdocument",
        order=141,
        group=DOCUMENTS,
        work_of=WORK,
    )
)
register(
    NavItem(
        _("Sổ văn bản đi"),
        "documents:outgoing_register",
        "documents.view_outgoingdocument",
        order=142,
        group=DOCUMENTS,
        work_of=(roles.CLERK, roles.LEADER),
    )
)
register(
    NavItem(
        _("Soạn văn bản đi"),
        "documents:outgoing_new",
        "documents.add_outgoingdocument",
        order=143,
        group=DOCUMENTS,
        work_of=WORK,
    )
)
register(
    NavItem(
        _("Bản sao điện tử"),
        "documents:copies",
        "documents.view_documentcopy",
        order=144,
        group=DOCUMENTS,
        work_of=WORK,
    )
)
