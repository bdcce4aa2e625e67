from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congan.population.models import (
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
