"""Admin for the documents module: the document types (Appendix III) are edited here, audited;
incoming and outgoing documents and number series are shown read-only (written by the services,
audited there), classified entries and those behind an access list never (their reading is audited
on the register's pages)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from congan.core.admin import ReadOnlyAdmin
from congan.core.audit import audit_record
from congan.core.scoping import scope_to_viewer
from congan.documents.models import (
    DocumentCopy,
    DocumentType,
    IncomingDocument,
    NumberSeries,
    OutgoingAttachment,
    OutgoingDelivery,
    OutgoingDocument,
    RegisterClosure,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    """A type is retired (``active`` off), never deleted: registered documents keep theirs."""

    list_display = ("name", "abbreviation", "kind", "order", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "abbreviation", "code")
    ordering = ("order", "name")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="documents.type.change" if change else "documents.type.add",
            target=obj,
            details={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(ReadOnlyAdmin):
    list_display = ("received_on", "arrival_number", "unit", "issuer_name", "number_symbol", "subject", "status")
    list_filter = ("status", "urgency", "channel", "document_type")
    search_fields = ("notation", "subject", "issuer_name")
    date_hierarchy = "received_on"
    raw_id_fields = ("unit", "recipient_unit", "recipient_officer", "acknowledged_by", "registered_by")
    exclude = ("search_folded", "issuer_folded", "key_owner")

    def get_queryset(self, request: HttpRequest) -> QuerySet[IncomingDocument]:
        documents = super().get_queryset(request).filter(classification=0, restricted=False)
        return scope_to_viewer(documents.select_related("unit", "document_type"), viewer=request.user)


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "book", "series", "secret", "last")
    list_filter = ("book", "year", "secret")
    raw_id_fields = ("unit",)


class OutgoingDeliveryInline(admin.TabularInline):
    model = OutgoingDelivery
    fields = ("name", "address", "unit", "delivered_at", "registered_at", "arrival_number", "acknowledged_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class OutgoingAttachmentInline(admin.TabularInline):
    model = OutgoingAttachment
    fields = ("order", "title", "file_sha256", "issued_sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnlyAdmin):
    """Outgoing documents, read-only (the workflow writes them, audited); classified ones and those
    behind an access list are not listed here."""

    list_display = ("issued_on", "number_symbol", "unit", "subject", "status", "signer")
    list_filter = ("status", "urgency", "document_type")
    search_fields = ("notation", "subject")
    raw_id_fields = ("unit", "drafted_by", "signer", "approved_by", "issued_by", "recalled_by")
    exclude = ("search_folded", "allowed_officers", "allowed_units")
    inlines = [OutgoingDeliveryInline, OutgoingAttachmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutgoingDocument]:
        documents = super().get_queryset(request).filter(classification=0, restricted=False)
        return scope_to_viewer(documents.select_related("unit", "document_type", "signer"), viewer=request.user)


@admin.register(RegisterClosure)
class RegisterClosureAdmin(ReadOnlyAdmin):
    """Closed periods are made by the clerk's "Khóa sổ" (audited), never edited here."""

    list_display = (
        "unit",
        "book",
        "period_from",
        "period_to",
        "entries",
        "closed_by",
        "closed_at",
        "signed_by",
        "signed_at",
        "file_sha256",
    )
    list_filter = ("book", "year")
    raw_id_fields = ("unit", "closed_by", "signed_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegisterClosure]:
        closures = super().get_queryset(request).filter(book=RegisterClosure.Book.ORDINARY)
        return scope_to_viewer(closures.select_related("unit", "closed_by"), viewer=request.user)


@admin.register(DocumentCopy)
class DocumentCopyAdmin(ReadOnlyAdmin):
    """Electronic copies, read-only: made by the clerk's "Sao văn bản" (numbered, signed, audited)."""

    list_display = ("copied_on", "number_symbol", "form", "unit", "original_number_symbol", "subject", "copied_by")
    list_filter = ("form", "origin", "year")
    search_fields = ("notation", "subject", "original_number_symbol", "original_issuer")
    date_hierarchy = "copied_on"
    raw_id_fields = ("unit", "source_outgoing", "source_incoming", "copied_by")
    exclude = ("search_folded",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[DocumentCopy]:
        copies = super().get_queryset(request).exclude(source_outgoing__restricted=True)
        copies = copies.exclude(source_incoming__restricted=True)
        return scope_to_viewer(copies.select_related("unit", "copied_by"), viewer=request.user)
