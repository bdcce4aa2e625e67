from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.alerts.models import Alert, CapStatus, Category, Certainty, ResponseType, Severity, Subscription, Urgency
from congan.alerts.services import CONTENT_FIELDS

_DATETIME: dict[str, Any] = {
    "required": False,
    "input_formats": ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


class AlertForm(forms.Form):
    """Compose or edit a warning; the area is drawn on the map (hidden fields) or chosen by commune."""

    cap_status = forms.ChoiceField(label=_("Tính chất"), choices=CapStatus.choices, initial=CapStatus.ACTUAL)
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=Category.choices)
    event = forms.CharField(
        label=_("Sự kiện"), max_length=120, help_text=_("Ví dụ: Cháy rừng, Lừa đảo qua điện thoại, Đua xe trái phép")
    )
    urgency = forms.ChoiceField(
        label=_("Mức khẩn"),
        choices=Urgency.choices,
        help_text=_("Khuyến cáo phòng ngừa (thủ đoạn lừa đảo, an toàn PCCC): chọn Sắp tới hoặc Chưa rõ."),
    )
    severity = forms.ChoiceField(label=_("Mức nghiêm trọng"), choices=Severity.choices)
    certainty = forms.ChoiceField(label=_("Mức chắc chắn"), choices=Certainty.choices)
    response_type = forms.ChoiceField(label=_("Hành động khuyến nghị"), choices=ResponseType.choices)
    headline = forms.CharField(label=_("Tiêu đề"), max_length=160)
    description = forms.CharField(label=_("Nội dung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    instruction = forms.CharField(
        label=_("Hướng dẫn người dân"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    headline_en = forms.CharField(label=_("Tiêu đề (tiếng Anh, không bắt buộc)"), max_length=160, required=False)
    description_en = forms.CharField(
        label=_("Nội dung (tiếng Anh)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    instruction_en = forms.CharField(
        label=_("Hướng dẫn (tiếng Anh)"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    effective = forms.DateTimeField(label=_("Hiệu lực từ"), **_DATETIME)
    onset = forms.DateTimeField(label=_("Bắt đầu"), **_DATETIME)
    expires = forms.DateTimeField(label=_("Hết hiệu lực"), **_DATETIME)
    area_desc = forms.CharField(label=_("Mô tả khu vực"), max_length=300)
    commune_codes = forms.MultipleChoiceField(
        label=_("Xã, phường"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Để trống nếu đã vẽ khu vực: hệ thống tự chọn các xã, phường trong khu vực."),
    )
    polygon = forms.CharField(required=False, widget=forms.HiddenInput)
    circle_latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    circle_longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    circle_radius_km = forms.FloatField(
        label=_("Bán kính vòng tròn (km)"), required=False, min_value=0.05, max_value=100
    )

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["commune_codes"].choices = communes

    @staticmethod
    def initial_from(alert: Alert) -> dict[str, Any]:
        initial = {name: getattr(alert, name) for name in CONTENT_FIELDS}
        initial["polygon"] = json.dumps(alert.polygon) if alert.polygon else ""
        initial["cap_status"] = alert.cap_status
        return initial


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


# Channels a person subscribes on with a contact and a confirmation code (web push subscribes from
# the browser itself, through the API).
CONTACT_CHANNELS = [(c.value, c.label) for c in (Subscription.Channel.SMS, Subscription.Channel.EMAIL)]


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Nhận qua"), choices=CONTACT_CHANNELS, widget=forms.RadioSelect, initial=Subscription.Channel.SMS
    )
    recipient = forms.CharField(label=_("Số điện thoại hoặc địa chỉ thư điện tử"), max_length=254)
    commune_codes = forms.MultipleChoiceField(
        label=_("Xã, phường muốn nhận cảnh báo"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["commune_codes"].choices = communes


class ConfirmForm(forms.Form):
    channel = forms.ChoiceField(choices=CONTACT_CHANNELS, widget=forms.HiddenInput)
    recipient = forms.CharField(max_length=254, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Mã xác nhận"), max_length=6, min_length=6)
