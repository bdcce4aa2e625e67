"""Admin for điều hành: directives are shown read-only (a leader's words are changed by no one);
a task's title, request and deadline can be corrected, audited; statuses move only through the
services. Both are scoped to the administrator's units and leave out classified documents' work."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from congan.core.admin import ReadOnlyAdmin
from congan.core.audit import audit_record
from congan.core.scoping import scope_to_viewer
from congan.tasks.models import Directive, Task

_NOT_CLASSIFIED = Q(document__isnull=True) | Q(document__classification=0)


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "document", "unit", "lead_unit", "lead_officer", "deadline", "given_by")
    list_filter = ("deadline",)
    search_fields = ("text",)
    raw_id_fields = ("document", "unit", "lead_unit", "lead_officer", "given_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Directive]:
        directives = super().get_queryset(request).filter(document__classification=0)
        return scope_to_viewer(directives.select_related("unit", "lead_unit", "document"), viewer=request.user)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "assignee_unit", "assignee_officer", "deadline", "status", "percent")
    list_filter = ("status", "role", "urgency")
    search_fields = ("title",)
    date_hierarchy = "deadline"
    fields = (
        "title",
        "description",
        "deadline",
        "unit",
        "assignee_unit",
        "assignee_officer",
        "assigned_by",
        "role",
        "urgency",
        "status",
        "percent",
        "completed_at",
        "result",
    )
    readonly_fields = (
        "unit",
        "assignee_unit",
        "assignee_officer",
        "assigned_by",
        "role",
        "urgency",
        "status",
        "percent",
        "completed_at",
        "result",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        tasks = super().get_queryset(request).filter(_NOT_CLASSIFIED)
        return scope_to_viewer(tasks.select_related("assignee_unit", "assignee_officer"), viewer=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="tasks.task.admin_change",
            target=obj,
            details={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )
