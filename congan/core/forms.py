from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congan.core.apikeys import SCOPES
from congan.core.errors import ApplicationError, RateLimited
from congan.core.models import ApiClient

# Days as people write them here (07/12/2026; also 07-12-2026, 07.12.2026), and the ISO of machines
# and older links. Never month first: 05/01/2027 is the fifth of January.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DayInput(forms.DateInput):
    """A day typed as dd/mm/yyyy. Not the browser's date picker: it shows the day in the browser's
    own locale (mm/dd/yyyy in many), which people here misread."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": "10"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


def day_field(**kwargs: Any) -> forms.DateField:
    """A date field read and shown as dd/mm/yyyy (DayInput)."""
    return forms.DateField(input_formats=DATE_INPUT_FORMATS, widget=DayInput(), **kwargs)


def searchable(field: forms.Field) -> forms.Field:
    """A long list (communes, countries) gets a search box in the browser (static/congan/js/app.js)
    that matches names without their diacritics, đ as d; the plain select works without it."""
    field.widget.attrs["data-searchable"] = _("Gõ để tìm, không dấu cũng được")
    return field


def add_error_details(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a service's error on the form: each detail on its field (or above the form when the
    field is not on it), the message alone when there are no details."""
    if isinstance(exc, RateLimited):  # its details hold the Retry-After, not a field's errors
        form.add_error(None, str(exc.message))
        return
    details = exc.details if isinstance(exc.details, dict) else {}
    for field, errors in details.items():
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(field if field in form.fields else None, str(error))
    if not details:
        form.add_error(None, str(exc.message))


def error_text(exc: ApplicationError) -> str:
    """The error's message followed by each detail, for a flash message."""
    details = exc.details if isinstance(exc.details, dict) else {}
    problems = [str(message) for errors in details.values() if isinstance(errors, list) for message in errors]
    return " ".join([str(exc.message), *problems])


def run_with_message(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service call from a POST-and-redirect view: a success message, or the error's text."""
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, done)
    return True


def report_bulk(request: HttpRequest, result: Any, *, done: str, refused: str) -> None:
    """Messages for a bulk action (congan.core.bulk.BulkResult): how many were done (``done`` with
    %(n)d), then each record left as it was (``refused`` with %(id)d and %(why)s)."""
    if result.done:
        messages.success(request, done % {"n": len(result.done)})
    for pk, why in result.refused:
        messages.warning(request, refused % {"id": pk, "why": why})


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Chủ thể"), required=False)
    action = forms.CharField(label=_("Hành động"), required=False)
    target_type = forms.CharField(label=_("Loại đối tượng"), required=False)
    target_id = forms.CharField(label=_("Mã đối tượng"), required=False)
    date_from = day_field(label=_("Từ ngày"), required=False)
    date_to = day_field(label=_("Đến ngày"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["name", "contact_name", "contact_email", "contact_phone"]


class ApiKeyForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Đối tác"), queryset=ApiClient.objects.filter(active=True))
    name = forms.CharField(label=_("Tên khóa"), max_length=100, help_text=_("Ví dụ: Máy chủ xác thực của ngân hàng."))
    scopes = forms.MultipleChoiceField(label=_("Phạm vi"), widget=forms.CheckboxSelectMultiple, required=True)
    rate_limit_per_minute = forms.IntegerField(
        label=_("Giới hạn yêu cầu/phút"), min_value=1, max_value=100000, initial=600
    )
    expires_at = forms.DateTimeField(
        label=_("Hết hạn lúc"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(name, f"{name} — {desc}") for name, desc in sorted(SCOPES.items())]
