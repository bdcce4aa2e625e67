from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationConfig(AppConfig):
    name = "congan.population"
    label = "population"
    verbose_name = _("Dân cư")
