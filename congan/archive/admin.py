"""Admin of the archive. The retention schedule is data the administrators keep here (each change
audited). Items, pages, their versions and suggestions are shown read-only (written by the
services: the reading pipeline and the officers' pages); dossiers may be corrected here, audited.
Every list and opening of an item or dossier in the admin is audited, like the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from congan.archive.models import ArchiveItem, ArchivePage, Dossier, MetadataSuggestion, PageVersion, RetentionSchedule
from congan.core.admin import ReadOnlyAdmin, ReadOnlyInline
from congan.core.audit import audit_record
from congan.core.scoping import scope_to_viewer


class AuditedReads:
    """Audit the admin's list and change pages of a model that holds records' content."""

    audit_name = ""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        audit_record(
            actor=request.user, action=f"archive.admin.list_{self.audit_name}", target_type=f"archive.{self.audit_name}"
        )
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        audit_record(
            actor=request.user,
            action=f"archive.admin.view_{self.audit_name}",
            target_type=f"archive.{self.audit_name}",
            target_id=object_id,
        )
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(admin.ModelAdmin):
    list_display = ("record_type", "years", "active", "note")
    list_filter = ("active",)
    search_fields = ("record_type",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire a type (active off): dossiers keep theirs

    def save_model(self, request: HttpRequest, obj: RetentionSchedule, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="archive.retention.change" if change else "archive.retention.create",
            target=obj,
            details={"record_type": obj.record_type, "years": obj.years, "active": obj.active},
        )


class ItemInline(ReadOnlyInline):
    model = ArchiveItem
    fields = ("position", "title", "status", "page_count")
    readonly_fields = fields
    ordering = ("position",)


@admin.register(Dossier)
class DossierAdmin(AuditedReads, admin.ModelAdmin):
    audit_name = "dossier"
    list_display = ("file_code", "title", "year", "unit", "retention")
    list_filter = ("year", "retention")
    search_fields = ("file_code", "title")
    readonly_fields = ("file_code", "unit", "year", "notation", "created_by")
    fields = (
        "file_code",
        "unit",
        "year",
        "notation",
        "title",
        "period_start",
        "period_end",
        "retention",
        "physical_location",
        "created_by",
    )
    inlines = [ItemInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # dossiers are made on the archive's pages (file code from the unit)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dossier]:
        return scope_to_viewer(super().get_queryset(request).select_related("unit", "retention"), viewer=request.user)

    def save_model(self, request: HttpRequest, obj: Dossier, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="archive.dossier.admin_change",
            target=obj,
            unit=obj.unit,
            details={"fields": form.changed_data},
        )


class PageInline(ReadOnlyInline):
    model = ArchivePage
    fields = ("number", "confidence", "language", "needs_review", "corrected")
    readonly_fields = fields


class SuggestionInline(ReadOnlyInline):
    model = MetadataSuggestion
    fields = ("kind", "display", "page_number", "status", "decided_by")
    readonly_fields = fields


@admin.register(ArchiveItem)
class ArchiveItemAdmin(AuditedReads, ReadOnlyAdmin):
    audit_name = "item"
    list_display = ("title", "unit", "status", "page_count", "mean_confidence", "created_at")
    list_filter = ("status", "source")
    search_fields = ("title", "original_name", "original_sha256")
    date_hierarchy = "created_at"
    exclude = ("key_owner", "lease_token")
    inlines = [PageInline, SuggestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArchiveItem]:
        return scope_to_viewer(super().get_queryset(request).select_related("unit"), viewer=request.user)


@admin.register(ArchivePage)
class ArchivePageAdmin(AuditedReads, ReadOnlyAdmin):
    audit_name = "page"
    list_display = ("item", "number", "confidence", "needs_review", "corrected")
    list_filter = ("needs_review", "corrected")
    exclude = ("text_folded",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArchivePage]:
        return scope_to_viewer(
            super().get_queryset(request).select_related("item"), viewer=request.user, unit_field="item__unit"
        )


@admin.register(PageVersion)
class PageVersionAdmin(AuditedReads, ReadOnlyAdmin):
    audit_name = "pageversion"
    list_display = ("page", "replaced_by", "replaced_at", "was_recognised")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PageVersion]:
        return scope_to_viewer(
            super().get_queryset(request).select_related("page", "page__item"),
            viewer=request.user,
            unit_field="page__item__unit",
        )


@admin.register(MetadataSuggestion)
class MetadataSuggestionAdmin(AuditedReads, ReadOnlyAdmin):
    audit_name = "suggestion"
    list_display = ("item", "kind", "display", "status", "decided_by")
    list_filter = ("kind", "status")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MetadataSuggestion]:
        return scope_to_viewer(
            super().get_queryset(request).select_related("item"), viewer=request.user, unit_field="item__unit"
        )
