"""Forms of the exchange pages: uploading a packet file, a recall request, its answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class PacketUploadForm(forms.Form):
    packet = forms.FileField(
        label=_("Tệp gói tin (.edxml hoặc .xml)"),
        help_text=_("Gói tin văn bản vào sổ chờ đăng ký; gói tin trạng thái ghi vào văn bản đã gửi."),
    )

    def clean_packet(self) -> Any:
        upload = self.cleaned_data["packet"]
        name = (upload.name or "").lower()
        if not name.endswith((".edxml", ".xml")):
            raise forms.ValidationError(_("Chỉ nhận tệp .edxml hoặc .xml."))
        limit = settings.EXCHANGE_ENVELOPE_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(_("Tệp lớn hơn %(max)s.") % {"max": filesizeformat(limit)})
        return upload


class RecallRequestForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=500, min_length=5)


class RecallAnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Trả lời"),
        choices=[("1", _("Đồng ý thu hồi")), ("0", _("Từ chối thu hồi"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
