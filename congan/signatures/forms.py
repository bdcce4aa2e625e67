from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VerifyForm(forms.Form):
    pdf = forms.FileField(
        label=gettext_lazy("Tệp PDF đã ký"),
        help_text=gettext_lazy("Tệp được kiểm tra rồi bỏ đi, không lưu lại."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        limit = settings.SIGNING_MAX_PDF_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn: tối đa %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
            )
        data = upload.read()
        if data.lstrip()[:5] != b"%PDF-":
            raise forms.ValidationError(_("Tệp không phải PDF."), code="not_pdf")
        return data
