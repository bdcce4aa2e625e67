from django.contrib import admin

from congan.core.admin import ReadOnlyInline
from congan.eservices.models import (
    CalendarDay,
    Complaint,
    Dossier,
    DossierAttachment,
    DossierEvent,
    DossierStat,
    Procedure,
    ProcedureForm,
)


class ProcedureFormInline(admin.TabularInline):
    model = ProcedureForm
    fields = ("version", "fields", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False  # submitted dossiers keep the version they used

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "level", "handling_unit_kind", "processing_days", "fee_online", "active")
    list_filter = ("field", "level", "handling_unit_kind", "active")
    search_fields = ("code", "name_folded", "national_code")
    inlines = [ProcedureFormInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "working", "note")
    list_filter = ("working",)
    date_hierarchy = "date"


class DossierEventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "action", "status_from", "status_to", "actor_label", "reason")


class DossierAttachmentInline(ReadOnlyInline):
    model = DossierAttachment
    fields = ("label", "original_name", "content_type", "size", "sha256", "uploaded_at")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change through the services (transitions with guards and audit)."""

    list_display = ("code", "procedure", "unit", "status", "submitted_at", "due_on", "online")
    list_filter = ("status", "online", "procedure__field")
    search_fields = ("code",)
    date_hierarchy = "submitted_at"
    list_select_related = ("procedure", "unit")
    inlines = [DossierAttachmentInline, DossierEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Dossier._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Answers go through the officer's dossier page (scope, audit, notice); here to overview."""

    list_display = ("dossier", "unit", "status", "created_at", "answered_at")
    list_filter = ("status",)
    search_fields = ("dossier__code",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Complaint._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DossierStat)
class DossierStatAdmin(admin.ModelAdmin):
    """Kept by the services; rebuilt with `congan eservices_recount`."""

    list_display = ("month", "unit", "procedure", "received", "resolved", "resolved_on_time", "rating_count")
    list_filter = ("month",)
    list_select_related = ("unit", "procedure")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in DossierStat._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
