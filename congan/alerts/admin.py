from django.contrib import admin

from congan.alerts.models import Alert, Subscription
from congan.core.admin import ReadOnlyAdmin


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    """Read-only: alerts are composed and approved through the workflow pages (two-person rule)."""

    list_display = ("identifier", "headline", "msg_type", "state", "unit", "sent", "expires")
    list_filter = ("state", "msg_type", "category", "cap_status")
    search_fields = ("identifier", "headline", "event")
    date_hierarchy = "created_at"


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("channel", "recipient", "commune_code", "status", "confirmed_at", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("recipient", "commune_code")
    readonly_fields = ("token", "confirm_code_hash", "confirm_attempts", "confirmed_at", "citizen")
    fields = ("channel", "recipient", "commune_code", "latitude", "longitude", "status", *readonly_fields)
