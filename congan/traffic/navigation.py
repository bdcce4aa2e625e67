from django.utils.translation import gettext_lazy as _

from congan.core.navigation import NavItem, register

register(NavItem(_("Camera"), "traffic:cameras", "traffic.view_camera", order=130))
