"""Forms of electronic copies: the list's filters, a copy of a document of the platform, a sao y of
a paper original from its scan, and sending a copy to units."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.core.forms import day_field, searchable
from congan.core.listing import DateRangeForm
from congan.documents import copy_selectors, selectors
from congan.documents.models import Classification, DocumentCopy, DocumentType
from congan.org.models import Officer, Unit


class CopyFilterForm(DateRangeForm):
    q = forms.CharField(label=_("Tìm (số ký hiệu, trích yếu, cơ quan)"), required=False, max_length=100)
    form = forms.ChoiceField(
        label=_("Hình thức sao"), required=False, choices=[("", _("Tất cả")), *DocumentCopy.Form.choices]
    )
    origin = forms.ChoiceField(
        label=_("Bản được sao"), required=False, choices=[("", _("Tất cả")), *DocumentCopy.Origin.choices]
    )

    field_order = ["q", "form", "origin", "date_from", "date_to"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("không dấu cũng được")})

    def filters(self) -> copy_selectors.CopyFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return copy_selectors.CopyFilters(
            form=data.get("form") or "",
            origin=data.get("origin") or "",
            q=(data.get("q") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class CopyForm(forms.Form):
    """Sao văn bản (of a document of the platform): the form and, for an extract, its pages."""

    form = forms.ChoiceField(
        label=_("Hình thức sao"), choices=DocumentCopy.Form.choices, initial=DocumentCopy.Form.SAO_Y
    )
    page_from = forms.IntegerField(label=_("Từ trang"), required=False, min_value=1, max_value=100_000)
    page_to = forms.IntegerField(
        label=_("Đến trang"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Chỉ cho trích sao: các trang được trích."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class PaperCopyForm(forms.Form):
    """Sao y từ bản giấy: the scan of the paper original (colour PDF, 200 dpi or more) and what the
    original says."""

    file = forms.FileField(
        label=_("Bản quét văn bản giấy (PDF)"),
        help_text=_("PDF 1.4 trở lên, ảnh màu, từ 200 dpi, tỷ lệ 100%."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    issuer_name = forms.CharField(label=_("Cơ quan ban hành văn bản gốc"), max_length=200)
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu văn bản gốc"), max_length=45, required=False, help_text=_("Ví dụ: 15/QĐ-CAT-PV01")
    )
    issued_on = day_field(label=_("Ngày văn bản gốc"), required=False)
    document_type = forms.ModelChoiceField(
        label=_("Tên loại văn bản gốc"), queryset=DocumentType.objects.none(), empty_label=_("— Chọn —")
    )
    subject = forms.CharField(label=_("Trích yếu nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    classification = forms.TypedChoiceField(
        label=_("Độ mật của văn bản gốc"),
        coerce=int,
        choices=Classification.choices,
        initial=Classification.NORMAL,
        help_text=_("Văn bản mật không được sao điện tử."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        types = cast(Any, self.fields["document_type"])
        types.queryset = selectors.document_types().exclude(kind=DocumentType.Kind.COPY)


class SendCopyForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Gửi đến đơn vị"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = cast(Any, self.fields["units"])
        units.queryset = Unit.objects.filter(active=True).exclude(pk=viewer.unit_id or 0).order_by("path")
        searchable(units)
