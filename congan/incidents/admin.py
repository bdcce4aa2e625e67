from django.contrib import admin
from django.db import transaction

from congan.core.admin import ReadOnlyInline
from congan.incidents import aggregates
from congan.incidents.models import Report, ReportEvent, ReportKind, ReportMedia, RoutingRule


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "default_priority", "active")
    list_filter = ("default_priority", "active")
    search_fields = ("code", "name")

    def save_model(self, request, obj, form, change) -> None:
        """A kind moved under another parent moves its reports to another family in the statistics."""
        if not (change and "parent" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            report_ids = list(Report.objects.filter(kind=obj).values_list("pk", flat=True))
            with aggregates.kept(*report_ids):
                super().save_model(request, obj, form, change)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "department")
    autocomplete_fields = ("kind",)


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ("at", "action", "status_to", "actor_label", "note", "public")


class ReportMediaInline(ReadOnlyInline):
    model = ReportMedia
    fields = ("original_name", "content_type", "size", "sha256", "taken_at", "exif_latitude", "exif_longitude")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only overview: reports change through the officer pages (scope, audit, timeline). The
    reporter's identity is not shown here: it is read on the report page, where it is audited."""

    list_display = ("tracking_code", "kind", "priority", "status", "unit", "received_at", "channel")
    list_filter = ("status", "priority", "channel", "kind", "intake_pending")
    search_fields = ("tracking_code",)
    date_hierarchy = "received_at"
    exclude = ("reporter_name", "reporter_phone", "reporter", "intake_ip")
    inlines = [ReportMediaInline, ReportEventInline]

    def get_readonly_fields(self, request, obj=None):
        hidden = {"reporter_name", "reporter_phone", "reporter", "intake_ip"}
        return [field.name for field in Report._meta.fields if field.name not in hidden]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an accepted report is a record: it is closed or merged, never deleted
