from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register
from congan.documents.navigation import DOCUMENTS, WORK
from congan.exchange.selectors import VIEW

register(NavItem(_("Liên thông văn bản"), "exchange:log", VIEW, order=142, group=DOCUMENTS, work_of=WORK))
