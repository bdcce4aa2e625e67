from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.core.forms import searchable
from congan.incidents.models import Priority


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại sự việc"))
    description = forms.CharField(
        label=_("Mô tả sự việc"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Chuyện gì đã xảy ra, ở đâu, có ai bị thương không, đối tượng, phương tiện…"),
    )
    commune_code = forms.ChoiceField(
        label=_("Xã, phường nơi xảy ra"),
        required=False,
        help_text=_("Có thể để trống nếu đã đánh dấu vị trí trên bản đồ: hệ thống tự xác định xã, phường."),
    )
    address = forms.CharField(label=_("Địa chỉ, địa điểm cụ thể"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Vĩ độ"), required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        label=_("Kinh độ"), required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    occurred_at = forms.DateTimeField(
        label=_("Thời điểm xảy ra"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    media = forms.FileField(
        label=_("Ảnh hoặc video (không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,video/mp4,video/webm"}),
    )
    anonymous = forms.BooleanField(label=_("Báo tin ẩn danh (không để lại thông tin liên hệ)"), required=False)
    reporter_name = forms.CharField(label=_("Họ tên người báo tin"), max_length=150, required=False)
    reporter_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Chỉ cán bộ xử lý tin báo được xem; để liên hệ khi cần xác minh."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], communes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— Chọn loại —")), *kinds]
        self.fields["commune_code"].choices = [("", _("— Theo vị trí trên bản đồ —")), *communes]
        searchable(self.fields["commune_code"])


class DuplicatesQuery(forms.Form):
    """The duplicates hint's query: finite coordinates on the globe (NaN, infinities and numbers
    out of range are field errors, as in every form)."""

    kind = forms.CharField(max_length=40, required=False)
    latitude = forms.DecimalField(required=False, min_value=-90, max_value=90)
    longitude = forms.DecimalField(required=False, min_value=-180, max_value=180)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã theo dõi tin báo"), max_length=16)


class TriageForm(forms.Form):
    priority = forms.ChoiceField(label=_("Mức ưu tiên"), choices=Priority.choices)
    kind = forms.ChoiceField(label=_("Loại"), required=False)
    note = forms.CharField(label=_("Ghi chú nội bộ"), max_length=2000, required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— Giữ nguyên —")), *kinds]
