from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.core.labels import data_label
from congan.core.listing import DateRangeForm
from congan.search import selectors
from congan.search.query import MAX_QUERY


class SearchForm(DateRangeForm):
    """The search page's words and filters: what (kind), document type, unit, dates."""

    q = forms.CharField(label=_("Từ cần tìm"), required=False, max_length=MAX_QUERY * 2)
    kind = forms.ChoiceField(label=_("Tìm trong"), required=False)
    type = forms.ChoiceField(label=_("Loại văn bản"), required=False)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)

    field_order = ["q", "kind", "type", "unit", "date_from", "date_to"]

    def __init__(self, *args: Any, viewer: Any, units: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        kinds = selectors.providers.kinds_for(viewer)
        _choices(self, "kind", [("", _("Tất cả")), *[(p.kind, p.label) for p in kinds]])
        types = selectors.type_choices(viewer=viewer)
        _choices(self, "type", [("", _("Tất cả")), *[(code, data_label(label)) for code, label in types]])
        _choices(self, "unit", [("", _("Tất cả đơn vị được xem")), *units])
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _('không dấu cũng được; "cụm từ"; tiền tố*'), "autofocus": True}
        )

    def filters(self) -> selectors.SearchFilters:
        data = self.cleaned_data
        return selectors.SearchFilters(
            kind=data.get("kind") or "",
            type_code=data.get("type") or "",
            unit_id=data.get("unit"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices
