from django.contrib import admin
from django.http import HttpRequest

from congan.core.models import ApiClient, ApiKey, AuditEvent, Notification, PushSubscription


class ReadOnlyInline(admin.TabularInline):
    """A history shown inside its parent's admin page: rows change only through the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows shown for overview only: they are written by the services (workflow, rules, audit)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is never edited or deleted, the admin included."""

    list_display = (
        "seq",
        "occurred_at",
        "actor_type",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "ip",
    )
    list_filter = ("actor_type", "action")
    search_fields = ("actor_label", "action", "target_id", "request_id")
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = (
        "name",
        "prefix",
        "scopes",
        "rate_limit_per_minute",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        # Keys are issued on the key management page, which shows the secret once.
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_name", "contact_email", "active")
    list_filter = ("active",)
    search_fields = ("name", "contact_name")
    inlines = [ApiKeyInline]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: messages are written by services and delivered by the outbox task."""

    list_display = ("created_at", "channel", "recipient", "subject", "status", "attempts", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("recipient", "subject", "key")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Browsers subscribed to web push; written by the subscription API, ended by the push service.
    An administrator may end one by hand (the browser then receives nothing more)."""

    list_display = ("created_at", "__str__", "ended_at")
    list_filter = (("ended_at", admin.EmptyFieldListFilter),)
    readonly_fields = ("endpoint", "p256dh", "auth", "token", "created_at", "updated_at")
    search_fields = ("endpoint", "token")

    def has_add_permission(self, request) -> bool:
        return False
