"""Điều hành — a leader's directive (bút phê) on an incoming document and the tasks it hands out,
tasks given by hand, their progress reports, extension requests and completion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel
from congan.documents.models import Urgency


class Directive(BaseModel):
    """Bút phê — what a leader writes on an incoming document: the instruction, who leads its
    handling (a unit or an officer), which units co-operate, by when."""

    document = models.ForeignKey(
        "documents.IncomingDocument", on_delete=models.PROTECT, related_name="directives", verbose_name=_("văn bản đến")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị của văn bản")
    )
    text = models.TextField(_("ý kiến chỉ đạo"))
    lead_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì")
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ chủ trì"),
    )
    co_units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name=_("đơn vị phối hợp"))
    deadline = models.DateField(_("hạn xử lý"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lãnh đạo chỉ đạo")
    )

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")
        ordering = ["document", "created_at", "pk"]
        permissions = [("give_directive", _("Cho ý kiến chỉ đạo văn bản đến, giao việc"))]

    def __str__(self) -> str:
        return self.text[:60]


class Task(BaseModel):
    """Một việc — from a directive (the lead's, or a co-operating unit's) or given by hand; done by
    its unit, or by the officer named."""

    class Status(models.TextChoices):
        NEW = "new", _("Mới giao")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Đã hủy")

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COOPERATE = "cooperate", _("Phối hợp")
        OWN = "own", _("Giao trực tiếp")

    # The unit that gave the task (the document's unit, or the assigner's): the leader's scope.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị giao"))
    title = models.CharField(_("nội dung công việc"), max_length=300)
    description = models.TextField(_("yêu cầu"), blank=True)
    directive = models.ForeignKey(
        Directive, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("chỉ đạo")
    )
    document = models.ForeignKey(
        "documents.IncomingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("văn bản đến"),
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.OWN)
    assignee_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị thực hiện")
    )
    assignee_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ thực hiện"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người giao")
    )
    deadline = models.DateField(_("hạn hoàn thành"))
    urgency = models.PositiveSmallIntegerField(_("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["assignee_unit", "status", "deadline"], name="task_assignee_open"),
            models.Index(fields=["unit", "status", "deadline"], name="task_unit_open"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False) | (~Q(status="done") & Q(completed_at=None)),
                name="task_completed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()

    @property
    def pending_extension(self) -> ExtensionRequest | None:
        return self.extensions.filter(status=ExtensionRequest.Status.PENDING).first()


class TaskReport(models.Model):
    """Báo cáo tiến độ — what the assignee did, how far along (percent)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung báo cáo"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["task", "at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="task_report_percent_at_most_100")]

    def __str__(self) -> str:
        return f"{self.percent} % — {self.text[:60]}"


class ExtensionRequest(models.Model):
    """Xin gia hạn — the assignee asks for a later deadline; whoever gave the task decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã đồng ý")
        REFUSED = "refused", _("Không đồng ý")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    asked_at = models.DateTimeField(default=timezone.now)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old_deadline = models.DateField(_("hạn cũ"))
    new_deadline = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("ý kiến"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["task", "asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(status="pending"), name="task_one_pending_extension")
        ]

    def __str__(self) -> str:
        return f"{self.new_deadline:%d/%m/%Y} ({self.get_status_display()})"


class TaskEvent(models.Model):
    """One step on a task's timeline: given, a report, an extension asked/decided, done, cancelled."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    actor_label = models.CharField(max_length=200)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"

    def action_display(self) -> str:
        return str(TASK_STEP_LABELS.get(self.action, self.action))


TASK_STEP_LABELS = {
    "assign": _("Giao việc"),
    "report": _("Báo cáo tiến độ"),
    "extension_asked": _("Xin gia hạn"),
    "extension_approved": _("Đồng ý gia hạn"),
    "extension_refused": _("Không đồng ý gia hạn"),
    "done": _("Hoàn thành"),
    "cancelled": _("Hủy việc"),
}
