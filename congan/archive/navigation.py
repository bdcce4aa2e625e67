from django.utils.translation import gettext_lazy as _

from congan.archive.selectors import VIEW
from congan.core.navigation import NavItem, register
from congan.documents.navigation import DOCUMENTS
from congan.org import roles

register(NavItem(_("Lưu trữ điện tử"), "archive:home", VIEW, order=146, group=DOCUMENTS, work_of=(roles.CLERK,)))
register(NavItem(_("Hồ sơ lưu trữ"), "archive:dossier_list", VIEW, order=147, group=DOCUMENTS, work_of=(roles.CLERK,)))
