from django.contrib import admin

from congan.alerts.models import Alert, Subscription


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Read-only: alerts are composed and approved through the workflow pages (two-person rule)."""

    list_display = ("identifier", "headline", "msg_type", "state", "unit", "sent", "expires")
    list_filter = ("state", "msg_type", "category", "cap_status")
    search_fields = ("identifier", "headline", "event")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("channel", "recipient", "commune_code", "status", "confirmed_at", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("recipient", "commune_code")
    readonly_fields = ("token", "confirm_code_hash", "confirm_attempts", "confirmed_at", "citizen")
    fields = ("channel", "recipient", "commune_code", "latitude", "longitude", "status", *readonly_fields)
