from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PURPOSES = [
    ("", _("— Chọn lý do —")),
    ("Giải quyết thủ tục hành chính", _("Giải quyết thủ tục hành chính")),
    ("Xác minh tin báo, tố giác", _("Xác minh tin báo, tố giác")),
    ("Quản lý cư trú", _("Quản lý cư trú")),
    ("Điều tra, xử lý vụ việc", _("Điều tra, xử lý vụ việc")),
]


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Họ tên hoặc số định danh"), required=False, max_length=150)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1880, max_value=2100)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)

    def __init__(self, *args, communes: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("Tất cả")), *communes]


class PurposeForm(forms.Form):
    preset = forms.ChoiceField(label=_("Lý do tra cứu"), choices=PURPOSES, required=False)
    detail = forms.CharField(
        label=_("Nội dung cụ thể"), required=False, max_length=400,
        help_text=_("Ví dụ: số hồ sơ, số tin báo. Lý do được ghi vào nhật ký kiểm toán và công dân có thể xem."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        purpose = " — ".join(part for part in (cleaned.get("preset"), (cleaned.get("detail") or "").strip()) if part)
        if not purpose:
            self.add_error("preset", _("Phải nêu lý do tra cứu."))
        cleaned["purpose"] = purpose
        return cleaned


class ImportUploadForm(forms.Form):
    source_agency = forms.CharField(
        label=_("Cơ quan cung cấp"), max_length=120,
        help_text=_("Ví dụ: Bảo hiểm xã hội tỉnh, Sở Y tế, nhà mạng. Ghi vào nguồn của từng giá trị."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("Tệp dữ liệu"), help_text=_("CSV (UTF-8), Excel .xlsx hoặc JSON Lines; dòng đầu là tên cột.")
    )
    mapping = forms.FileField(
        label=_("Tệp ánh xạ cột (không bắt buộc)"), required=False,
        help_text=_("JSON hoặc TOML: {\"columns\": {\"cột nguồn\": \"trường\"}}. Bỏ trống nếu cột đã đúng tên."),
    )  # fmt: skip
