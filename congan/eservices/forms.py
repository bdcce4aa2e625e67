from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.eservices.models import Procedure


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên thủ tục"), required=False, max_length=200)
    field = forms.ChoiceField(
        label=_("Lĩnh vực"), required=False, choices=[("", _("Tất cả")), *Procedure.Field.choices]
    )
    level = forms.ChoiceField(label=_("Mức độ"), required=False, choices=[("", _("Tất cả")), *Procedure.Level.choices])
