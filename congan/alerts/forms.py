from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congan.alerts.models import Alert, CapStatus, Category, Certainty, ResponseType, Severity, Subscription, Urgency
from congan.alerts.services import CONTENT_FIELDS
from congan.alerts.validators import RADIUS_MAX_KM, RADIUS_MIN_KM, REQUIRED, TEXT_LIMITS
from congan.core.forms import searchable

_DATETIME: dict[str, Any] = {
    "required": False,
    "input_formats": ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


def _choice(label: Any, choices: Any, **extra: Any) -> forms.CharField:
    """A select whose value the service checks (one rule and one message for the page and the API)."""
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices), **extra)


def _text(name: str, label: Any, *, rows: int | None = None, **extra: Any) -> forms.CharField:
    """A text field sized from the service's limit, which the service checks."""
    attrs = {"maxlength": TEXT_LIMITS[name], **({"rows": rows} if rows else {})}
    if name in REQUIRED:
        attrs["required"] = True
    widget = forms.Textarea(attrs=attrs) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=False, widget=widget, **extra)


class CommuneCodesField(forms.MultipleChoiceField):
    """The communes to choose from; which codes exist is the service's rule, not the list's."""

    def valid_value(self, value: Any) -> bool:
        return True


class AlertForm(forms.Form):
    """Compose or edit a warning; the area is drawn on the map (hidden fields) or chosen by commune.

    The form only reads the values; congan.alerts.validators, run by the service, decides what is
    allowed, and its errors come back on the fields (the API answers the same messages)."""

    cap_status = _choice(_("Tính chất"), CapStatus.choices, initial=CapStatus.ACTUAL)
    category = _choice(_("Lĩnh vực"), Category.choices)
    event = _text("event", _("Sự kiện"), help_text=_("Ví dụ: Cháy rừng, Lừa đảo qua điện thoại, Đua xe trái phép"))
    urgency = _choice(
        _("Mức khẩn"),
        Urgency.choices,
        help_text=_("Khuyến cáo phòng ngừa (thủ đoạn lừa đảo, an toàn PCCC): chọn Sắp tới hoặc Chưa rõ."),
        initial=Urgency.FUTURE,
    )
    # A new warning starts at the mildest sensible values: raising them is the composer's decision.
    severity = _choice(_("Mức nghiêm trọng"), Severity.choices, initial=Severity.MINOR)
    certainty = _choice(_("Mức chắc chắn"), Certainty.choices, initial=Certainty.POSSIBLE)
    response_type = _choice(_("Hành động khuyến nghị"), ResponseType.choices, initial=ResponseType.MONITOR)
    headline = _text("headline", _("Tiêu đề"))
    description = _text("description", _("Nội dung"), rows=5)
    instruction = _text("instruction", _("Hướng dẫn người dân"), rows=3)
    headline_en = _text("headline_en", _("Tiêu đề (tiếng Anh, không bắt buộc)"))
    description_en = _text("description_en", _("Nội dung (tiếng Anh)"), rows=3)
    instruction_en = _text("instruction_en", _("Hướng dẫn (tiếng Anh)"), rows=2)
    effective = forms.DateTimeField(label=_("Hiệu lực từ"), **_DATETIME)
    onset = forms.DateTimeField(label=_("Bắt đầu"), **_DATETIME)
    expires = forms.DateTimeField(label=_("Hết hiệu lực"), **_DATETIME)
    area_desc = _text("area_desc", _("Mô tả khu vực"))
    commune_codes = CommuneCodesField(
        label=_("Xã, phường"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Để trống nếu đã vẽ khu vực: hệ thống tự chọn các xã, phường trong khu vực."),
    )
    polygon = forms.CharField(required=False, widget=forms.HiddenInput)
    circle_latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    circle_longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    circle_radius_km = forms.FloatField(
        label=_("Bán kính vòng tròn (km)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": RADIUS_MIN_KM, "max": RADIUS_MAX_KM, "step": "any"}),
    )

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["commune_codes"].choices = communes
        searchable(self.fields["commune_codes"])

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
    commune_codes = CommuneCodesField(
        label=_("Xã, phường muốn nhận cảnh báo"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["commune_codes"].choices = communes
        searchable(self.fields["commune_codes"])


class ConfirmForm(forms.Form):
    channel = forms.ChoiceField(choices=CONTACT_CHANNELS, widget=forms.HiddenInput)
    recipient = forms.CharField(max_length=254, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Mã xác nhận"), max_length=6, min_length=6)
