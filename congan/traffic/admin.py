from django.contrib import admin

from congan.core.admin import ReadOnlyAdmin
from congan.traffic.models import Camera, Vehicle, ViolationEvent, ViolationType


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

    list_display = ("plate", "plate_colour", "kind", "brand", "owner", "owner_organisation", "status")
    list_filter = ("kind", "plate_colour", "status")
    search_fields = ("plate",)
    raw_id_fields = ("owner",)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    """The fine tables: an amended decree is a new row with a new start date, not an edit."""

    list_display = ("code", "title", "vehicle_class", "fine_min", "fine_max", "licence_points", "valid_from",
                    "valid_to")  # fmt: skip
    list_filter = ("vehicle_class", "decree")
    search_fields = ("code", "title")


@admin.register(ViolationEvent)
class ViolationEventAdmin(ReadOnlyAdmin):
    """Events come from the cameras through the ingestion API; review has its own pages."""

    list_display = ("occurred_at", "camera", "plate", "plate_read", "violation_type", "status")
    list_filter = ("status", "vehicle_kind")
    search_fields = ("plate", "plate_read", "idempotency_key")
    list_select_related = ("camera", "violation_type")
