"""Forms of the incoming register: the register's filters, the registration form (the ten columns),
handing a document over."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.errors import ValidationFailed
from congan.core.forms import day_field, searchable
from congan.core.listing import DateRangeForm
from congan.core.text import meaningful, normalize_text
from congan.documents import selectors, symbols
from congan.documents.models import Classification, DocumentType, Urgency
from congan.org.models import Clearance, Officer, Unit


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _type_choices() -> list[tuple[str, str]]:
    return [(str(t.pk), str(t)) for t in selectors.document_types()]


class RegisterFilterForm(DateRangeForm):
    """The register's filters: the arrival day range (DateRangeForm), words, issuer, type, urgency."""

    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Tìm (trích yếu, cơ quan, số ký hiệu)"), required=False, max_length=100)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=100)
    document_type = forms.TypedChoiceField(label=_("Loại văn bản"), required=False, coerce=int, empty_value=None)
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *Urgency.choices],
    )

    mine = forms.BooleanField(label=_("Chỉ văn bản chờ tôi ký nhận"), required=False)
    pending = forms.BooleanField(label=_("Chỉ văn bản khẩn chưa ký nhận"), required=False)

    field_order = ["year", "q", "issuer", "document_type", "urgency", "date_from", "date_to", "mine", "pending"]

    def __init__(self, data: Any = None, *, years: list[int] | None = None, **kwargs: Any):
        # Decree 30 keeps one register a year: the page opens on this year's, unless days are typed
        # (a range may span the new year); "every year" is a choice.
        this_year = timezone.localdate().year
        if data is not None and "year" not in data and not (data.get("date_from") or data.get("date_to")):
            data = data.copy()
            data["year"] = str(this_year)
        super().__init__(data, **kwargs)
        _choice(self, "year").choices = [
            *((str(year), str(year)) for year in (years or [this_year])),
            ("", _("Tất cả các năm")),
        ]
        _choice(self, "document_type").choices = [("", _("Tất cả")), *_type_choices()]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("không dấu cũng được")})

    def filters(self, book: str) -> selectors.RegisterFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.RegisterFilters(
            book=book,
            year=data.get("year"),
            q=(data.get("q") or "").strip(),
            issuer=(data.get("issuer") or "").strip(),
            document_type=data.get("document_type"),
            urgency=data.get("urgency"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            mine=bool(data.get("mine")),
            pending_urgent=bool(data.get("pending")),
        )


class IncomingForm(forms.Form):
    """Vào sổ văn bản đến: the ten columns of Appendix IV (the arrival number is the register's)."""

    received_on = day_field(label=_("Ngày đến"))
    issuer_name = forms.CharField(
        label=_("Tác giả (cơ quan, tổ chức ban hành)"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    issuer_agency_id = forms.CharField(
        label=_("Mã định danh cơ quan ban hành"),
        max_length=35,
        required=False,
        help_text=_("Nếu có, ví dụ 000.00.00.H17 (QCVN 102) hoặc G01.12 (Quyết định 20/2020/QĐ-TTg)."),
    )
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=45,
        required=False,
        help_text=_("Ví dụ 15/QĐ-CAT-PV01; công văn không có tên loại: 05/CAT-PV01. Để trống nếu văn bản không có số."),
    )
    issued_on = day_field(label=_("Ngày tháng văn bản"), required=False)
    document_type = forms.ModelChoiceField(
        label=_("Tên loại văn bản"), queryset=DocumentType.objects.none(), empty_label=_("— Chọn —")
    )
    subject = forms.CharField(label=_("Trích yếu nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.TypedChoiceField(label=_("Độ khẩn"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL)
    classification = forms.TypedChoiceField(
        label=_("Độ mật"), coerce=int, choices=Classification.choices, initial=Classification.NORMAL
    )
    recipient_unit = forms.ModelChoiceField(label=_("Đơn vị nhận xử lý"), queryset=Unit.objects.none(), required=False)
    recipient_officer = forms.ModelChoiceField(
        label=_("Người nhận xử lý"), queryset=Officer.objects.none(), required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Tệp văn bản (PDF)"),
        required=False,
        help_text=_("Không đính kèm tệp với văn bản mật: chỉ vào sổ thông tin."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây không phải văn bản đã vào sổ"), required=False
    )

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _model_choice(self, "document_type").queryset = selectors.document_types()
        self.fields["received_on"].initial = timezone.localdate()
        units, officers = recipient_choices(viewer)
        _model_choice(self, "recipient_unit").queryset = units
        _model_choice(self, "recipient_officer").queryset = officers
        searchable(self.fields["recipient_officer"])
        allowed = int(getattr(viewer, "clearance", 0) or 0)
        _choice(self, "classification").choices = [
            (value, label) for value, label in Classification.choices if value <= allowed
        ]
        if allowed < Clearance.SECRET:
            self.fields["classification"].help_text = _("Văn bản mật do người có mức tiếp cận bí mật vào sổ.")

    def clean_number_symbol(self) -> str:
        """Read by the grammar here too, so its error shows beside the form's own (a bad day)."""
        typed = self.cleaned_data.get("number_symbol") or ""
        if not typed.strip():
            return ""
        try:
            return str(symbols.parse(typed, abbreviations=selectors.type_abbreviations()))
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.details["number_symbol"]) from None

    def clean_subject(self) -> str:
        subject = normalize_text(self.cleaned_data.get("subject") or "")
        if not meaningful(subject, 5):
            raise forms.ValidationError(_("Nhập trích yếu nội dung văn bản (ít nhất 5 chữ cái hoặc chữ số)."))
        return subject

    def ask_to_confirm(self) -> bool:
        """Whether the duplicate alarm was raised: the confirmation box is shown only then."""
        return "confirm_not_duplicate" in self.errors or bool(self.data.get("confirm_not_duplicate"))


def recipient_choices(viewer: Officer) -> tuple[QuerySet[Unit], QuerySet[Officer]]:
    """The units and officers a clerk hands documents to: their own unit and the units below it."""
    unit = viewer.unit
    if unit is None:
        return Unit.objects.none(), Officer.objects.none()
    units = Unit.objects.filter(path__startswith=unit.path, active=True).order_by("path")
    officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True).order_by("sort_name")
    return units, officers


class HandOverForm(forms.Form):
    recipient_unit = forms.ModelChoiceField(label=_("Đơn vị nhận xử lý"), queryset=Unit.objects.none(), required=False)
    recipient_officer = forms.ModelChoiceField(
        label=_("Người nhận xử lý"), queryset=Officer.objects.none(), required=False
    )

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units, officers = recipient_choices(viewer)
        _model_choice(self, "recipient_unit").queryset = units
        _model_choice(self, "recipient_officer").queryset = officers
        searchable(self.fields["recipient_officer"])


class CloseForm(forms.Form):
    """Khóa sổ: the register and the period to close."""

    book = forms.ChoiceField(
        label=_("Sổ"), choices=[("ordinary", _("Sổ văn bản đến")), ("secret", _("Sổ văn bản mật đến"))]
    )
    date_from = day_field(label=_("Từ ngày"))
    date_to = day_field(label=_("Đến ngày"))
