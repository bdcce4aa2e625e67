from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congan.core.errors import ApplicationError
from congan.population.accounts import citizen_confirm_level2
from congan.population.models import (
    CitizenAccount,
    Household,
    ImportBatch,
    PartnerPolicy,
    Resident,
    ResidentChange,
)


class ResidentChangeInline(admin.TabularInline):
    model = ResidentChange
    fields = ("changed_at", "field", "old_value", "new_value", "changed_by", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Browsing only: changes go through the officer pages and imports, which keep field history."""

    list_display = ("personal_id", "full_name", "birth_year", "sex", "current_commune", "unit", "status")
    list_filter = ("sex", "status", "partner_lookup_locked")
    search_fields = ("personal_id", "full_name_folded")
    list_select_related = ("unit",)
    inlines = [ResidentChangeInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Resident._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MemberInline(admin.TabularInline):
    model = Resident
    fk_name = "household"
    fields = ("personal_id", "full_name", "relationship", "birth_year")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("code", "head", "address_commune", "unit")
    search_fields = ("code", "head__full_name_folded", "head__personal_id")
    readonly_fields = ("code", "head", "unit", "address_commune", "address_street")
    inlines = [MemberInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartnerPolicy)
class PartnerPolicyAdmin(admin.ModelAdmin):
    list_display = ("api_key", "operations", "overrides_citizen_lock")
    autocomplete_fields = ()


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "source_agency",
        "file_name",
        "status",
        "created_count",
        "updated_count",
        "rejected_count",
    )
    list_filter = ("status", "source_agency")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ImportBatch._meta.fields] + ["reject_report"]

    @admin.display(description=_("báo cáo từ chối"))
    def reject_report(self, obj: ImportBatch) -> str:
        # A batch may reject millions of rows: link to the streamed CSV instead of an inline.
        url = reverse("population:import_rejects_csv", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải CSV"))

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CitizenAccount)
class CitizenAccountAdmin(admin.ModelAdmin):
    """Read-only but for deactivation; level 2 goes through the confirmation service (scope, audit)."""

    list_display = ("resident", "level", "phone", "created_at", "last_login_at", "locked_until", "active")
    list_filter = ("level", "active")
    search_fields = ("resident__personal_id",)
    fields = (
        "resident",
        "phone",
        "level",
        "level2_confirmed_at",
        "level2_confirmed_by",
        "failed_logins",
        "locked_until",
        "last_login_at",
        "active",
    )
    readonly_fields = tuple(name for name in fields if name != "active")
    actions = ["confirm_level2"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Xác nhận mức 2 (đã đối chiếu thẻ căn cước)"), permissions=["confirm"])
    def confirm_level2(self, request, queryset) -> None:
        done = 0
        for account in queryset:
            try:
                citizen_confirm_level2(by=request.user, account_id=account.pk, card_checked=str(_("Thẻ căn cước")))
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{account}: {exc.message}", messages.WARNING)
        self.message_user(request, _("Đã xác nhận %(n)s tài khoản.") % {"n": done})

    def has_confirm_permission(self, request) -> bool:
        return request.user.has_perm("population.confirm_citizen_account")
