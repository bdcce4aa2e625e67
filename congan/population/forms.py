from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.forms import day_field, searchable
from congan.core.text import meaningful
from congan.org.selectors import commune_names
from congan.population import household_rules, labels
from congan.population.importing.fields import CellError, clean_phone
from congan.population.models import Relationship, Resident
from congan.population.vocabularies import ethnicities, nationalities, religions

# Stored in Vietnamese (the audit log's language), shown in the reader's (congan.core.labels).
PURPOSES = [("", _("— Chọn lý do —")), *[(purpose, _(purpose)) for purpose in labels.CHOSEN_PURPOSES]]


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Họ tên hoặc số định danh"), required=False, max_length=150)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1880, max_value=2100)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)

    def __init__(self, *args, communes: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("Tất cả")), *communes]


PURPOSE_DETAIL_MINIMUM = 5  # "CT01 7", "TB 2026": a record's number is enough


class PurposeForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Lý do tra cứu"), choices=PURPOSES, error_messages={"required": _("Phải nêu lý do tra cứu.")}
    )
    detail = forms.CharField(
        label=_("Nội dung cụ thể"),
        max_length=400,
        help_text=_("Ví dụ: số hồ sơ, số tin báo. Lý do được ghi vào nhật ký kiểm toán và công dân có thể xem."),
        error_messages={"required": _("Ghi rõ hồ sơ, tin báo hoặc vụ việc cần tra cứu.")},
    )

    def clean_detail(self) -> str:
        detail = self.cleaned_data["detail"].strip()
        if not meaningful(detail, PURPOSE_DETAIL_MINIMUM):
            raise forms.ValidationError(
                _("Ghi rõ hồ sơ, tin báo hoặc vụ việc (ít nhất %(n)d chữ hoặc số).") % {"n": PURPOSE_DETAIL_MINIMUM}
            )
        return detail

    def clean(self):
        cleaned = super().clean()
        cleaned["purpose"] = " — ".join(part for part in (cleaned.get("preset"), cleaned.get("detail")) if part)
        return cleaned


class ImportUploadForm(forms.Form):
    source_agency = forms.CharField(
        label=_("Cơ quan cung cấp"),
        max_length=120,
        help_text=_("Ví dụ: Bảo hiểm xã hội tỉnh, Sở Y tế, nhà mạng. Ghi vào nguồn của từng giá trị."),
    )
    file = forms.FileField(
        label=_("Tệp dữ liệu"), help_text=_("CSV (UTF-8), Excel .xlsx hoặc JSON Lines; dòng đầu là tên cột.")
    )
    mapping = forms.FileField(
        label=_("Tệp ánh xạ cột (không bắt buộc)"),
        required=False,
        help_text=_('JSON hoặc TOML: {"columns": {"cột nguồn": "trường"}}. Bỏ trống nếu cột đã đúng tên.'),
    )


class CitizenLookupsForm(forms.Form):
    """What a citizen types from their identity card to see who looked them up."""

    personal_id = forms.RegexField(
        label=_("Số định danh cá nhân"),
        regex=r"^\s*[0-9]{12}\s*$",
        max_length=20,
        error_messages={"invalid": _("Số định danh cá nhân phải gồm đúng 12 chữ số.")},
    )
    full_name = forms.CharField(label=_("Họ, chữ đệm và tên"), max_length=150)
    birth_date = forms.DateField(
        label=_("Ngày sinh"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy")
    )
    id_card_issued_on = forms.DateField(
        label=_("Ngày cấp thẻ căn cước"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy")
    )


EDITABLE_FIELDS = (
    "full_name",
    "other_names",
    "birth_month",
    "birth_day",
    "birth_registration_place",
    "hometown",
    "ethnicity",
    "religion",
    "nationality",
    "permanent_commune",
    "permanent_street",
    "temporary_commune",
    "temporary_street",
    "current_commune",
    "current_street",
    "id_card_number",
    "id_card_issued_on",
    "id_card_expires_on",
    "id_card_authority",
    "phone",
    "email",
    "status",
)


class ResidentEditForm(forms.ModelForm):
    """The officer's edit form. Saving goes through services.resident_update (field history);
    the ID number, sex and birth year follow the identity document and are not edited here."""

    reason = forms.CharField(
        label=_("Căn cứ cập nhật"),
        max_length=200,
        help_text=_("Ví dụ: số hồ sơ, giấy tờ công dân xuất trình. Ghi vào lịch sử thay đổi."),
    )

    class Meta:
        model = Resident
        fields = EDITABLE_FIELDS

    id_card_issued_on = day_field(label=_("Ngày cấp"), required=False)
    id_card_expires_on = day_field(label=_("Có giá trị đến"), required=False)
    birth_month = forms.IntegerField(label=_("Tháng sinh"), required=False, min_value=1, max_value=12)
    birth_day = forms.IntegerField(label=_("Ngày sinh"), required=False, min_value=1, max_value=31)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Picked from their lists; a value recorded before the lists existed stays selectable, so
        # an unrelated change does not fail on it.
        self._pick("ethnicity", [(name, name) for name in ethnicities()])
        self._pick("religion", [(name, name) for name in religions()])
        for name in ("permanent_commune", "temporary_commune", "current_commune"):
            self._pick(name, list(commune_names().items()), label=lambda code: code)
        self._pick("nationality", nationalities(), required=True)

    def _pick(self, name: str, choices: list[tuple[str, str]], label: Any = None, required: bool = False) -> None:
        field = self.fields[name]
        current = getattr(self.instance, name, "") or ""
        if current and current not in {value for value, _label in choices}:
            choices = [*choices, (current, label(current) if label else current)]
        self.fields[name] = forms.ChoiceField(
            label=field.label,
            required=required,
            choices=choices if required else [("", _("— Chọn —")), *choices],
            help_text=field.help_text,
        )
        if len(choices) > 20:
            searchable(self.fields[name])

    def clean_phone(self) -> str:
        return _clean_with(clean_phone, self.cleaned_data.get("phone", ""))

    def clean_id_card_issued_on(self) -> dt.date | None:
        issued = self.cleaned_data.get("id_card_issued_on")
        if issued and issued > timezone.localdate():
            raise forms.ValidationError(_("Ngày cấp không thể ở tương lai."))
        if issued and issued.year < self.instance.birth_year:
            raise forms.ValidationError(_("Ngày cấp không thể trước năm sinh."))
        return issued

    def clean(self):
        cleaned = super().clean()
        month, day = cleaned.get("birth_month"), cleaned.get("birth_day")
        if day and not month:
            self.add_error("birth_month", _("Có ngày sinh thì phải có tháng sinh."))
        elif day and month and not _is_date(self.instance.birth_year, month, day):
            self.add_error(
                "birth_day",
                _("Tháng %(month)d năm %(year)d không có ngày %(day)d.")
                % {"month": month, "year": self.instance.birth_year, "day": day},
            )
        issued, expires = cleaned.get("id_card_issued_on"), cleaned.get("id_card_expires_on")
        if issued and expires and expires <= issued:
            self.add_error("id_card_expires_on", _("Ngày hết hạn phải sau ngày cấp."))
        return cleaned

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS}


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except (ValueError, TypeError):
        return False
    return True


def _clean_with(cleaner, value: str) -> str:
    if not value:
        return value
    try:
        return cleaner(value)
    except CellError as exc:
        raise forms.ValidationError(exc.reason) from None


class HouseholdChangeForm(forms.Form):
    effective_date = day_field(label=_("Ngày hiệu lực"))

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["effective_date"].initial = timezone.localdate()
        members = [(str(m.pk), f"{m.full_name} ({m.personal_id})") for m in household.members.order_by("birth_year")]
        self.member_choices = members
        self.others = [(pk, label) for pk, label in members if int(pk) != household.head_id]

    def clean_effective_date(self) -> dt.date:
        day = self.cleaned_data["effective_date"]
        for message in household_rules.effective_date_errors(day, []).get("effective_date", []):
            raise forms.ValidationError(message)
        return day


class AddMemberForm(HouseholdChangeForm):
    personal_id = forms.RegexField(
        label=_("Số định danh của người nhập hộ"),
        regex=r"^[0-9]{12}$",
        error_messages={"invalid": _("Số định danh cá nhân phải gồm đúng 12 chữ số.")},
    )
    relationship = forms.ChoiceField(
        label=_("Quan hệ với chủ hộ"), choices=[c for c in Relationship.choices if c[0] != Relationship.HEAD]
    )
    field_order = ["personal_id", "relationship", "effective_date"]


class RemoveMemberForm(HouseholdChangeForm):
    member = forms.ChoiceField(label=_("Thành viên"))
    field_order = ["member", "effective_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = self.others


NEW_RELATIONSHIP_CHOICES = [("", "—"), *[c for c in Relationship.choices if c[0] != Relationship.HEAD]]


def stated_relationships(cleaned_data: dict[str, Any]) -> dict[int, str]:
    """Member's pk → the relationship to the new head, from a form of ``_RestatesRelationships``."""
    return {
        int(name.removeprefix("relationship_")): value
        for name, value in cleaned_data.items()
        if name.startswith("relationship_") and value
    }


class _RestatesRelationships(HouseholdChangeForm):
    """A change that gives some members a new head asks, for each of them, their relationship to
    the new head: one select per member, required of those the change concerns (``clean``)."""

    def add_relationship_fields(self, members: list[tuple[str, str]]) -> None:
        for pk, label in members:
            self.fields[f"relationship_{pk}"] = forms.ChoiceField(
                label=_("Quan hệ của %(member)s với chủ hộ mới") % {"member": label},
                choices=NEW_RELATIONSHIP_CHOICES,
                required=False,
            )

    def require_relationships(self, concerned: list[str]) -> None:
        for pk in concerned:
            if not self.cleaned_data.get(f"relationship_{pk}"):
                self.add_error(f"relationship_{pk}", _("Chọn quan hệ với chủ hộ mới."))


class ChangeHeadForm(_RestatesRelationships):
    new_head = forms.ChoiceField(label=_("Chủ hộ mới"))
    field_order = ["new_head", "effective_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"].choices = self.others
        self.add_relationship_fields(self.member_choices)

    def clean(self):
        cleaned = super().clean()
        new_head = cleaned.get("new_head")
        if new_head:
            self.require_relationships([pk for pk, _label in self.member_choices if pk != new_head])
        return cleaned


class SplitForm(_RestatesRelationships):
    members = forms.MultipleChoiceField(label=_("Thành viên tách sang hộ mới"), widget=forms.CheckboxSelectMultiple)
    new_head = forms.ChoiceField(label=_("Chủ hộ của hộ mới"))
    address_street = forms.CharField(
        label=_("Địa chỉ hộ mới"), max_length=300, required=False, help_text=_("Để trống nếu cùng địa chỉ.")
    )
    field_order = ["members", "new_head", "address_street", "effective_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = self.others
        self.fields["new_head"].choices = self.others
        self.add_relationship_fields(self.others)

    def clean(self):
        cleaned = super().clean()
        new_head, members = cleaned.get("new_head"), cleaned.get("members") or []
        if new_head and new_head not in members:
            self.add_error("new_head", _("Chủ hộ mới phải nằm trong danh sách tách hộ."))
        elif new_head:
            self.require_relationships([pk for pk in members if pk != new_head])
        return cleaned


def _personal_id_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Số định danh cá nhân"),
        regex=r"^\s*[0-9]{12}\s*$",
        max_length=20,
        error_messages={"invalid": _("Số định danh cá nhân phải gồm đúng 12 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )


class _NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 10 ký tự, không toàn chữ số, không chứa số định danh."),
    )
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("Hai lần nhập mật khẩu không giống nhau."))
        return cleaned


class CitizenRegisterForm(_NewPasswordForm):
    personal_id = _personal_id_field()
    full_name = forms.CharField(label=_("Họ, chữ đệm và tên"), max_length=150, help_text=_("Như trên thẻ căn cước."))
    birth_date = forms.DateField(
        label=_("Ngày sinh"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy")
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Nhận mã đặt lại mật khẩu và thông báo hồ sơ."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    field_order = ["personal_id", "full_name", "birth_date", "phone", "password", "password_again"]


class CitizenLoginForm(forms.Form):
    personal_id = _personal_id_field()
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CitizenResetRequestForm(forms.Form):
    personal_id = _personal_id_field()
    phone = forms.CharField(label=_("Số điện thoại đã đăng ký"), max_length=20)


class CitizenResetConfirmForm(_NewPasswordForm):
    personal_id = _personal_id_field()
    code = forms.RegexField(
        label=_("Mã xác nhận"),
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=10,
        error_messages={"invalid": _("Mã gồm 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["personal_id", "code", "password", "password_again"]


class Level2ConfirmForm(forms.Form):
    card_checked = forms.CharField(
        label=_("Giấy tờ đã đối chiếu"),
        max_length=200,
        initial=_("Thẻ căn cước gắn chip"),
        help_text=_("Chỉ xác nhận khi công dân có mặt và giấy tờ khớp với CSDL dân cư."),
    )
