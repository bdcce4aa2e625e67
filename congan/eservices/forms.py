from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.core.forms import day_field, searchable
from congan.core.labels import data_label
from congan.eservices.formdefs import stored_date, written_date
from congan.eservices.models import Dossier, Procedure
from congan.org.selectors import commune_names


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên thủ tục"), required=False, max_length=200)
    field = forms.ChoiceField(
        label=_("Lĩnh vực"), required=False, choices=[("", _("Tất cả")), *Procedure.Field.choices]
    )
    level = forms.ChoiceField(label=_("Mức độ"), required=False, choices=[("", _("Tất cả")), *Procedure.Level.choices])


def dossier_form_class(
    definition: list[dict[str, Any]], registry: dict[str, str], attachment_labels: list[str]
) -> type[forms.Form]:
    """A form for one form version: registry-sourced fields show the registry's value, locked
    ones read-only (the service puts the registry value back whatever is posted)."""
    fields: dict[str, forms.Field] = {}
    for item in definition:
        kwargs: dict[str, Any] = {
            "label": data_label(item["label"]),
            "required": item["required"],
            "help_text": item.get("help", ""),
        }
        source = item.get("prefill")
        if source and registry.get(source):
            kwargs["initial"] = registry[source]
            kwargs["disabled"] = item["locked"]
        if item["type"] == "choice":
            choices = [(value, data_label(label)) for value, label in item["choices"]]
            field: forms.Field = forms.ChoiceField(choices=[("", "—"), *choices], **kwargs)
        elif item["type"] == "commune":
            field = searchable(
                forms.ChoiceField(choices=[("", _("— Chọn xã, phường —")), *commune_names().items()], **kwargs)
            )
        elif item["type"] == "textarea":
            field = forms.CharField(
                max_length=item.get("max_length"), widget=forms.Textarea(attrs={"rows": 3}), **kwargs
            )
        elif item["type"] == "date":
            field = WrittenDateField(**kwargs)
        else:
            attrs = {}
            if item["type"] == "number":
                attrs["inputmode"] = "decimal"
            field = forms.CharField(max_length=item.get("max_length"), widget=forms.TextInput(attrs=attrs), **kwargs)
        field.prefilled = bool(kwargs.get("initial"))  # type: ignore[attr-defined]
        fields[item["name"]] = field
    return type("DossierForm", (forms.Form,), {**fields, **attachment_fields(attachment_labels)})


class WrittenDateField(forms.CharField):
    """A procedure's date as people write it (dd/mm/yyyy, or mm/yyyy, yyyy where the day is not
    known), kept as the ISO date the form definition stores."""

    def __init__(self, **kwargs: Any):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(max_length=10, widget=forms.TextInput(attrs=attrs), **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return written_date(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        stored = stored_date(text)
        if stored is None:
            raise forms.ValidationError(_("Ngày phải viết dd/mm/yyyy (hoặc mm/yyyy, yyyy nếu không rõ ngày)."))
        return stored


def attachment_fields(labels: list[str]) -> dict[str, forms.FileField]:
    """One optional file input per document the procedure lists, and one for anything else."""
    accept = {"accept": "application/pdf,image/jpeg,image/png"}
    fields = {
        f"file_{index}": forms.FileField(label=label, required=False, widget=forms.ClearableFileInput(attrs=accept))
        for index, label in enumerate([*labels, _("Giấy tờ khác")])
    }
    return fields


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 — Rất hài lòng")),
            (4, _("4 — Hài lòng")),
            (3, _("3 — Bình thường")),
            (2, _("2 — Không hài lòng")),
            (1, _("1 — Rất không hài lòng")),
        ],
    )
    comment = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Nội dung bổ sung"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40, help_text=_("Ví dụ: 000.00.20.H48-261122-0001"))
    id_last4 = forms.RegexField(
        label=_("4 số cuối số định danh của người nộp"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do, nội dung"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Số ngày làm việc gia hạn"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Lý do gia hạn"), max_length=2000)


class ApologyForm(forms.Form):
    new_due_on = day_field(label=_("Hẹn lại ngày"))
    reason = forms.CharField(label=_("Lý do chậm"), max_length=2000)


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ"), required=False, max_length=40)
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("open", _("Đang giải quyết")), ("", _("Tất cả")), *Dossier.Status.choices],
    )
    due = forms.ChoiceField(
        label=_("Hạn"),
        required=False,
        choices=[("", _("Tất cả")), ("overdue", _("Quá hạn")), ("soon", _("Sắp đến hạn"))],
    )
    mine = forms.BooleanField(label=_("Hồ sơ giao cho tôi"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = Procedure.objects.filter(active=True).order_by("code").values_list("code", "name")
        self.fields["procedure"].choices = [("", _("Tất cả")), *[(c, f"{c} · {n}") for c, n in codes]]
