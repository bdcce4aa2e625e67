"""Forms of the archive pages: scans to upload (one or many), a page's corrected text, filing an
item in a dossier, a dossier."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.archive.models import Dossier, RetentionSchedule
from congan.core.forms import day_field
from congan.core.labels import data_label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): cleaned into a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ScanUploadForm(forms.Form):
    scans = MultipleFileField(
        label=_("Tệp scan (PDF, JPEG, PNG, TIFF)"),
        help_text=_("Chọn một hoặc nhiều tệp; mỗi tệp thành một tài liệu, được nhận dạng chữ trong nền."),
    )


class PageTextForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trang"), widget=forms.Textarea(attrs={"rows": 16}), required=False, max_length=100_000
    )
    note = forms.CharField(label=_("Ghi chú sửa"), max_length=300, required=False)


class FileIntoDossierForm(forms.Form):
    dossier = forms.ModelChoiceField(
        label=_("Hồ sơ"), queryset=Dossier.objects.none(), required=False, empty_label=_("— Không thuộc hồ sơ nào —")
    )

    def __init__(self, *args: Any, dossiers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers  # type: ignore[attr-defined]


class DossierForm(forms.Form):
    year = forms.IntegerField(label=_("Năm hình thành hồ sơ"), min_value=1900, max_value=2100)
    notation = forms.CharField(
        label=_("Số và ký hiệu hồ sơ"),
        max_length=20,
        help_text=_("Ví dụ 01.TH; mã hồ sơ = mã định danh đơn vị.năm.số và ký hiệu."),
    )
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=500)
    retention = forms.ModelChoiceField(label=_("Thời hạn bảo quản"), queryset=RetentionSchedule.objects.none())
    period_start = day_field(label=_("Thời gian bắt đầu"), required=False)
    period_end = day_field(label=_("Thời gian kết thúc"), required=False)
    physical_location = forms.CharField(label=_("Nơi lưu bản giấy"), max_length=200, required=False)

    def __init__(self, *args: Any, schedules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retention"].queryset = schedules  # type: ignore[attr-defined]
        self.fields["retention"].label_from_instance = lambda s: f"{data_label(s.record_type)} ({s.period_label})"  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year

    @classmethod
    def initial_of(cls, dossier: Dossier) -> dict[str, Any]:
        return {
            "year": dossier.year,
            "notation": dossier.notation,
            "title": dossier.title,
            "retention": dossier.retention_id,
            "period_start": dossier.period_start,
            "period_end": dossier.period_end,
            "physical_location": dossier.physical_location,
        }
