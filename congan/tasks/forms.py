"""Forms of điều hành: the directive (bút phê), a task by hand, a progress report, an extension
request and its decision, completion, the dashboards' period."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.forms import day_field, searchable
from congan.core.listing import DateRangeForm
from congan.documents.models import Urgency
from congan.org.models import Officer, Unit


def assignable(viewer: Officer) -> tuple[QuerySet[Unit], QuerySet[Officer]]:
    """The units and officers a leader gives work to: their own unit and the units below it."""
    unit = viewer.unit
    if unit is None:
        return Unit.objects.none(), Officer.objects.none()
    units = Unit.objects.filter(path__startswith=unit.path, active=True).order_by("path")
    officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True).order_by("sort_name")
    return units, officers


def _default_deadline() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


class DirectiveForm(forms.Form):
    text = forms.CharField(
        label=_("Ý kiến chỉ đạo"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), required=False, empty_label=_("— Chọn —")
    )
    lead_officer = forms.ModelChoiceField(
        label=_("Cán bộ chủ trì"),
        queryset=Officer.objects.none(),
        required=False,
        empty_label=_("— Không giao đích danh —"),
        help_text=_("Giao đích danh thì đơn vị chủ trì là đơn vị của cán bộ (nếu không chọn đơn vị)."),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = day_field(label=_("Hạn xử lý"))

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units, officers = assignable(viewer)
        cast(forms.ModelChoiceField, self.fields["lead_unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["lead_officer"]).queryset = officers
        cast(forms.ModelMultipleChoiceField, self.fields["co_units"]).queryset = units
        searchable(self.fields["lead_officer"])
        self.fields["deadline"].initial = _default_deadline()


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Nội dung công việc"), max_length=300)
    description = forms.CharField(
        label=_("Yêu cầu"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignee_unit = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện"), queryset=Unit.objects.none(), required=False, empty_label=_("— Chọn —")
    )
    assignee_officer = forms.ModelChoiceField(
        label=_("Cán bộ thực hiện"),
        queryset=Officer.objects.none(),
        required=False,
        empty_label=_("— Không giao đích danh —"),
    )
    deadline = day_field(label=_("Hạn hoàn thành"))
    urgency = forms.TypedChoiceField(label=_("Độ khẩn"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units, officers = assignable(viewer)
        cast(forms.ModelChoiceField, self.fields["assignee_unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["assignee_officer"]).queryset = officers
        searchable(self.fields["assignee_officer"])
        self.fields["deadline"].initial = _default_deadline()


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung báo cáo"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
    )
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)


class ExtensionForm(forms.Form):
    new_deadline = day_field(label=_("Hạn mới đề nghị"))
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), max_length=500, required=False)


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("Kết quả xử lý"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
    )


class PeriodForm(DateRangeForm):
    """The dashboards' period: the tasks given between the two days (this month by default)."""

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("date_from") or today.replace(day=1), data.get("date_to") or today
