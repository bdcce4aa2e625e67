from django.contrib import admin, messages
from django.shortcuts import redirect
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
)


class NoPersonalData:
    """Admin pages of the registry show what an administrator needs to look after the data (which
    unit holds a record, its status, whether the citizen locked partner lookups, when it changed)
    and no personal data: no name, ID number, birth date, phone or address, and no search by them
    (a search would tell whether a person is in the registry). A record's own page sends to the
    officer page, which asks for a purpose and is audited (congan.population.purpose_gate) and
    needs the officer's role and unit. Changes go through the officer pages and imports (field
    history), so nothing is added or deleted here."""

    officer_page = ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(reverse(self.officer_page, args=[int(object_id)]))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(NoPersonalData, admin.ModelAdmin):
    """Residents by record number, unit and status (see NoPersonalData)."""

    officer_page = "population:resident_profile"
    list_display = ("record", "unit", "status", "partner_lookup_locked", "updated_at")
    list_display_links = None
    list_filter = ("status", "partner_lookup_locked", ("unit", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("unit",)
    show_full_result_count = False

    @admin.display(description=_("hồ sơ"), ordering="pk")
    def record(self, obj: Resident) -> str:
        url = reverse(self.officer_page, args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Hồ sơ số %(n)s") % {"n": obj.pk})

    def get_queryset(self, request):
        return super().get_queryset(request).only("pk", "unit", "status", "partner_lookup_locked", "updated_at")


@admin.register(Household)
class HouseholdAdmin(NoPersonalData, admin.ModelAdmin):
    """Households by register number and unit; no head, members or street (see NoPersonalData)."""

    officer_page = "population:household_detail"
    list_display = ("household", "address_commune", "unit")
    list_display_links = None
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("unit",)
    search_fields = ("=code",)

    @admin.display(description=_("số hộ"), ordering="code")
    def household(self, obj: Household) -> str:
        return format_html('<a href="{}">{}</a>', reverse(self.officer_page, args=[obj.pk]), obj.code)


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
    """Read-only but for deactivation; level 2 goes through the confirmation service (scope, audit).
    The account is shown by its masked ID number (as on its audit events), never the name, full ID
    number or phone; an administrator who holds the ID number can find the account (exact match) to
    deactivate it."""

    list_display = ("masked_id", "level", "created_at", "last_login_at", "locked_until", "active")
    list_filter = ("level", "active")
    list_select_related = ("resident",)
    search_fields = ("=resident__personal_id",)
    fields = (
        "masked_id",
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

    @admin.display(description=_("số định danh (che)"))
    def masked_id(self, obj: CitizenAccount) -> str:
        return f"******{obj.resident.personal_id[-6:]}"

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
