from django.contrib import admin

from congan.eservices.models import CalendarDay, Dossier, Procedure, ProcedureForm


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


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change through the services (transitions with guards and audit)."""

    list_display = ("code", "procedure", "unit", "status", "submitted_at", "due_on")
    list_filter = ("status", "procedure__field")
    search_fields = ("code",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Dossier._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
