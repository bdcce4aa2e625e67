from django.contrib import admin

from congan.core.admin import ReadOnlyAdmin
from congan.traffic.models import Camera, Evidence, LookupCount, Vehicle, ViolationEvent, ViolationStep, ViolationType


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "road", "unit", "speed_limit_kmh", "last_seen_at", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "road")
    raw_id_fields = ("unit", "device_key")
    readonly_fields = ("last_seen_at",)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    """Plates are stored in canonical form; new vehicles go through the registration service."""

    list_display = (
        "plate",
        "plate_colour",
        "kind",
        "brand",
        "owner",
        "owner_organisation",
        "status",
        "registration_warning",
    )
    list_filter = ("kind", "plate_colour", "status", "registration_warning")
    search_fields = ("plate",)
    raw_id_fields = ("owner",)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    """The fine tables: an amended decree is a new row with a new start date, not an edit."""

    list_display = (
        "code",
        "title",
        "vehicle_class",
        "fine_min",
        "fine_max",
        "licence_points",
        "valid_from",
        "valid_to",
    )
    list_filter = ("vehicle_class", "decree")
    search_fields = ("code", "title")


class ViolationStepInline(admin.TabularInline):
    model = ViolationStep
    extra = 0
    can_delete = False
    fields = ("at", "action", "status_from", "status_to", "reason", "by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = ("file", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ViolationEvent)
class ViolationEventAdmin(ReadOnlyAdmin):
    """Events come from the cameras through the ingestion API; review has its own pages (every step
    is a service with its checks and audit record), so the admin only reads."""

    list_display = ("occurred_at", "camera", "plate", "plate_read", "violation_type", "status", "notice_number")
    list_filter = ("status", "vehicle_kind", "outcome")
    search_fields = ("plate", "plate_read", "idempotency_key", "notice_number")
    list_select_related = ("camera", "violation_type")
    exclude = ("notice_token",)
    inlines = [EvidenceInline, ViolationStepInline]


@admin.register(LookupCount)
class LookupCountAdmin(ReadOnlyAdmin):
    """Public plate lookups per day (in a few rows per day; the statistics page adds them up)."""

    list_display = ("day", "shard", "lookups")
    date_hierarchy = "day"
