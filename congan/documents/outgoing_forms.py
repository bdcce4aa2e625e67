"""Forms of outgoing documents: the register's filters, the draft, a version, a comment, a reason
(return, recall) and the access list."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from congan.core.listing import DateRangeForm
from congan.documents import outgoing_selectors, selectors
from congan.documents.models import Classification, DocumentType, OutgoingDocument, Urgency
from congan.documents.outgoing_services import OutsideAddress
from congan.org.models import Clearance, Officer, Unit


def _choices(form: forms.BaseForm, name: str) -> Any:
    return cast(Any, form.fields[name])


class OutgoingFilterForm(DateRangeForm):
    q = forms.CharField(label=_("Tìm (trích yếu, số ký hiệu)"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *OutgoingDocument.Status.choices]
    )
    document_type = forms.TypedChoiceField(label=_("Loại văn bản"), required=False, coerce=int, empty_value=None)
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"), required=False, coerce=int, empty_value=None, choices=[("", _("Tất cả")), *Urgency.choices]
    )
    mine = forms.BooleanField(label=_("Chỉ văn bản chờ tôi duyệt, ký"), required=False)

    field_order = ["q", "status", "document_type", "urgency", "date_from", "date_to", "mine"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "document_type").choices = [
            ("", _("Tất cả")),
            *[(str(t.pk), str(t)) for t in selectors.document_types().exclude(kind=DocumentType.Kind.COPY)],
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("không dấu cũng được")})

    def filters(self, *, secret: bool) -> outgoing_selectors.OutgoingFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return outgoing_selectors.OutgoingFilters(
            status=data.get("status") or "",
            q=(data.get("q") or "").strip(),
            document_type=data.get("document_type"),
            urgency=data.get("urgency"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            secret=secret,
            mine=bool(data.get("mine")),
        )


def signer_choices(viewer: Officer) -> QuerySet[Officer]:
    """Leaders who may sign for the viewer's unit: of that unit or of a unit above it."""
    unit = viewer.unit
    if unit is None:
        return Officer.objects.none()
    segments = unit.path.split(".")[:-1]
    paths = [".".join(segments[: index + 1]) + "." for index in range(len(segments))]
    codename = "sign_outgoingdocument"
    can_sign = Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename)
    return (
        Officer.objects.filter(can_sign, is_active=True, unit__path__in=paths)
        .distinct()
        .select_related("unit")
        .order_by("sort_name")
    )


def own_units(viewer: Officer) -> QuerySet[Unit]:
    unit = viewer.unit
    return Unit.objects.filter(path__startswith=unit.path, active=True) if unit else Unit.objects.none()


def own_officers(viewer: Officer) -> QuerySet[Officer]:
    unit = viewer.unit
    if unit is None:
        return Officer.objects.none()
    return Officer.objects.filter(unit__path__startswith=unit.path, is_active=True).order_by("sort_name")


def parse_outside(text: str) -> list[OutsideAddress]:
    """One outside recipient a line: "Tên nơi nhận; địa chỉ thư điện tử hoặc mã định danh"."""
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, address = line.rpartition(";") if ";" in line else (line, "", "")
        items.append(OutsideAddress(name=name.strip(), address=address.strip()))
    return items


class OutgoingForm(forms.Form):
    """Soạn văn bản đi: the type, subject, urgency and classification, the signer, the text of the
    first version (or its file), the recipients and an optional access list."""

    document_type = forms.ModelChoiceField(
        label=_("Tên loại văn bản"), queryset=DocumentType.objects.none(), empty_label=_("— Chọn —")
    )
    subject = forms.CharField(label=_("Trích yếu nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.TypedChoiceField(label=_("Độ khẩn"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL)
    classification = forms.TypedChoiceField(
        label=_("Độ mật"), coerce=int, choices=Classification.choices, initial=Classification.NORMAL
    )
    signer = forms.ModelChoiceField(label=_("Người ký"), queryset=Officer.objects.none(), required=False)
    signer_title = forms.CharField(
        label=_("Quyền hạn, chức vụ người ký"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC (dấu / để xuống dòng). Để trống: chức vụ của người ký."),
    )
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False, help_text=_("Để trống: tên tỉnh."))
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Mỗi đoạn một dòng. Văn bản mật: để trống (chỉ lưu thông tin)."),
    )
    file = forms.FileField(
        label=_("Tệp dự thảo (PDF, DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("Nơi nhận trong hệ thống"), queryset=Unit.objects.none(), required=False
    )
    outside = forms.CharField(
        label=_("Nơi nhận bên ngoài"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng: tên nơi nhận; địa chỉ thư điện tử hoặc mã định danh cơ quan."),
    )
    restricted = forms.BooleanField(label=_("Chỉ những người, đơn vị dưới đây được xem"), required=False)
    allowed_officers = forms.ModelMultipleChoiceField(
        label=_("Cán bộ được xem"), queryset=Officer.objects.none(), required=False
    )
    allowed_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được xem"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "document_type").queryset = selectors.document_types().exclude(kind=DocumentType.Kind.COPY)
        _choices(self, "signer").queryset = signer_choices(viewer)
        _choices(self, "recipient_units").queryset = Unit.objects.filter(active=True).order_by("path")
        _choices(self, "allowed_officers").queryset = own_officers(viewer)
        _choices(self, "allowed_units").queryset = own_units(viewer)
        allowed = int(getattr(viewer, "clearance", 0) or 0)
        _choices(self, "classification").choices = [
            (value, label) for value, label in Classification.choices if value <= allowed
        ]
        if allowed < Clearance.SECRET:
            self.fields["classification"].help_text = _("Văn bản mật do người có mức tiếp cận bí mật soạn.")


class VersionForm(forms.Form):
    body = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("Tệp dự thảo (PDF, DOCX)"), required=False)
    note = forms.CharField(label=_("Ghi chú phiên bản"), max_length=500, required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Góp ý"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class AccessForm(forms.Form):
    restricted = forms.BooleanField(label=_("Chỉ những người, đơn vị dưới đây được xem"), required=False)
    allowed_officers = forms.ModelMultipleChoiceField(
        label=_("Cán bộ được xem"), queryset=Officer.objects.none(), required=False
    )
    allowed_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được xem"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, viewer: Officer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "allowed_officers").queryset = own_officers(viewer)
        _choices(self, "allowed_units").queryset = own_units(viewer)


class AttachmentForm(forms.Form):
    """Thêm phụ lục, tài liệu kèm theo ở tệp riêng (PDF), on a draft."""

    attachment_title = forms.CharField(
        label=_("Tên phụ lục, tài liệu kèm theo"),
        max_length=300,
        help_text=_("Ví dụ: Phụ lục I. Danh sách tổ công tác"),
    )
    attachment_file = forms.FileField(
        label=_("Tệp PDF"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
