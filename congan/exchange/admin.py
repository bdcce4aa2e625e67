"""Admin of the exchange: packets and statuses are shown read-only (written by the services); each
opening of a packet in the admin is audited, since it shows another agency's document."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from congan.core.admin import ReadOnlyAdmin
from congan.core.audit import audit_record
from congan.core.scoping import scope_to_viewer
from congan.exchange.models import ExchangeMessage, ExchangeStatus


class StatusInline(admin.TabularInline):
    model = ExchangeStatus
    fields = ("at", "direction", "code", "description", "staff")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExchangeMessage)
class ExchangeMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "direction", "unit", "from_name", "number_symbol", "subject", "last_status")
    list_filter = ("direction", "last_status", "signed")
    search_fields = ("document_id", "number_symbol", "subject", "from_name", "from_agency_id")
    date_hierarchy = "created_at"
    raw_id_fields = ("unit", "incoming")
    exclude = ("key_owner",)
    inlines = [StatusInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExchangeMessage]:
        return scope_to_viewer(super().get_queryset(request).select_related("unit"), viewer=request.user)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        audit_record(actor=request.user, action="exchange.admin.list", target_type="exchange.exchangemessage")
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        audit_record(
            actor=request.user,
            action="exchange.admin.view",
            target_type="exchange.exchangemessage",
            target_id=object_id,
        )
        return super().change_view(request, object_id, form_url, extra_context)
