from django.contrib import admin

from congan.eservices.models import CalendarDay, Procedure, ProcedureForm


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
