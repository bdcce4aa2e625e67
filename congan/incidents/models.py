"""Reports (tin báo) from citizens and officers: kinds as a hierarchical code list, routing rules,
the report with its location, media and timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.crypto import EncryptedTextField
from congan.core.models import BaseModel
from congan.incidents import histogram


class Priority(models.TextChoices):
    URGENT = "urgent", _("Khẩn cấp")
    HIGH = "high", _("Cao")
    NORMAL = "normal", _("Thường")


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}

# The largest id a row can have (a 64-bit integer on every engine): a larger number names no row,
# and reaching the database with it is an overflow error there, not an empty answer.
MAX_ID = 2**63 - 1


class ReportKind(models.Model):
    """Loại tin báo — a node of the hierarchical code list (e.g. CHAY → CHAY.NHA)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    default_priority = models.CharField(_("mức ưu tiên mặc định"), max_length=8, choices=Priority.choices)
    unit_kinds = models.JSONField(
        _("loại tổ công tác phù hợp"), default=list, blank=True, help_text=_("Để trống: dùng của loại cha.")
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    public_listing = models.BooleanField(
        _("công khai trong danh sách Open311"),
        default=False,
        help_text=_("Phản ánh, giao thông, cháy nổ: có. Tố giác, tin báo tội phạm, gây rối: không bao giờ."),
    )

    class Meta:
        verbose_name = _("loại tin báo")
        verbose_name_plural = _("loại tin báo")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def suitable_unit_kinds(self) -> list[str]:
        node: ReportKind | None = self
        while node is not None:
            if node.unit_kinds:
                return list(node.unit_kinds)
            node = node.parent
        return ["patrol"]


class RoutingRule(models.Model):
    """Which province department receives reports of a kind (and of its sub-kinds), besides the
    commune police of the place."""

    kind = models.OneToOneField(ReportKind, on_delete=models.CASCADE, related_name="routing", verbose_name=_("loại"))
    department = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("phòng nghiệp vụ nhận tin")
    )

    class Meta:
        verbose_name = _("quy tắc chuyển tin")
        verbose_name_plural = _("quy tắc chuyển tin")

    def __str__(self) -> str:
        return f"{self.kind.code} → {self.department}"


class Report(BaseModel):
    """Tin báo — one report of a crime, a fire, an accident or a public-order problem."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mới tiếp nhận")
        TRIAGED = "triaged", _("Đã phân loại")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        RESOLVED = "resolved", _("Đã xử lý xong")
        CLOSED = "closed", _("Đã đóng")
        MERGED = "merged", _("Đã gộp vào tin khác")

    class Channel(models.TextChoices):
        WEB = "web", _("Trang web")
        APP = "app", _("Ứng dụng (API)")
        HOTLINE = "hotline", _("Đường dây nóng 113")
        OPEN311 = "open311", _("Open311")

    tracking_code = models.CharField(_("mã theo dõi"), max_length=16, unique=True)
    kind = models.ForeignKey(ReportKind, on_delete=models.PROTECT, related_name="reports", verbose_name=_("loại"))
    description = models.TextField(_("nội dung"), max_length=5000)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    commune_code = models.CharField(_("mã xã, phường"), max_length=5, blank=True)
    # Routed by the nearest commune police seat (no boundary holds the point): may be the neighbour.
    commune_approximate = models.BooleanField(_("xã, phường xác định gần đúng"), default=False)
    occurred_at = models.DateTimeField(_("thời điểm xảy ra"), null=True, blank=True)
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    # Encrypted at rest: shown to handling officers only (and every view audited), never searched.
    reporter_name = EncryptedTextField(_("người báo tin"), blank=True)
    reporter_phone = EncryptedTextField(_("điện thoại người báo tin"), blank=True)
    reporter = models.ForeignKey(
        "population.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("công dân báo tin (đã định danh)"),
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    priority = models.CharField(_("mức ưu tiên"), max_length=8, choices=Priority.choices)
    priority_rank = models.PositiveSmallIntegerField(editable=False)  # 0 urgent … 2 normal: the queue's order
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("Công an xã, phường")
    )
    department = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("phòng nghiệp vụ")
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("điều động lúc"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("trùng với tin"),
    )
    client_token = models.CharField(_("khóa chống gửi trùng"), max_length=64, unique=True)
    # Accepted by the quick path (incidents.intake): the receive entry and its audit record are
    # written right after, in a batch, by another process; until then the flag is set and the row
    # keeps the request's address and id for that audit record (cleared when it is written).
    intake_pending = models.BooleanField(_("chờ ghi nhận tiếp nhận"), default=False, editable=False)
    intake_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    intake_request_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("tin báo")
        verbose_name_plural = _("tin báo")
        ordering = ["priority_rank", "received_at"]
        permissions = [
            ("dispatch_report", _("Điều động tổ công tác")),
            ("triage_report", _("Phân loại, xử lý tin báo")),
            ("view_reporter", _("Xem thông tin người báo tin")),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "priority_rank", "received_at"], name="report_unit_queue"),
            models.Index(fields=["department", "status", "priority_rank", "received_at"], name="report_dept_queue"),
            models.Index(fields=["kind", "received_at"], name="report_kind_recent"),
            models.Index(fields=["id"], condition=models.Q(intake_pending=True), name="report_intake_pending"),
            # The open reports, however many closed ones there are (the response-time page's counts).
            models.Index(
                fields=["received_at"],
                condition=models.Q(status__in=("received", "triaged", "in_progress")),
                name="report_open_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def save(self, *args, **kwargs) -> None:
        self.priority_rank = PRIORITY_RANK[self.priority]
        super().save(*args, **kwargs)


def media_path(instance: ReportMedia, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class ReportMedia(models.Model):
    """Ảnh, video — evidence attached to a report: its SHA-256, and the EXIF time and position."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("tệp"), upload_to=media_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    taken_at = models.CharField(_("thời điểm chụp (EXIF)"), max_length=40, blank=True)
    exif_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    exif_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ảnh, video tin báo")
        verbose_name_plural = _("ảnh, video tin báo")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def taken_at_display(self) -> str:
        """EXIF writes ``2026:12:05 14:03:22``; people read ``05/12/2026 14:03``."""
        date, _sep, time = self.taken_at.partition(" ")
        parts = date.split(":")
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            return self.taken_at
        return f"{parts[2]}/{parts[1]}/{parts[0]} {time[:5]}".strip()


class ReportEvent(models.Model):
    """One step of a report's timeline; ``public`` steps show on the citizen's tracking page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    status_to = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    actor_label = models.CharField(max_length=200)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bước xử lý tin báo")
        verbose_name_plural = _("quá trình xử lý tin báo")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    def action_display(self) -> str:
        """The step in words: its own name, or the status a status change moved to."""
        if self.action in STEP_LABELS:
            return str(STEP_LABELS[self.action])
        if self.action in Report.Status.values:
            return str(Report.Status(self.action).label)
        return self.action

    def status_display(self) -> str:
        return str(Report.Status(self.status_to).label) if self.status_to in Report.Status.values else self.status_to


# The timeline's steps (ReportEvent.action) as people read them; a status change is named by its status.
STEP_LABELS = {
    "receive": _("Tiếp nhận"),
    "triage": _("Phân loại"),
    "dispatch": _("Điều động lực lượng"),
    "dispatch_units": _("Tổ được điều động"),
    "on_scene": _("Có mặt tại hiện trường"),
    "unit_acknowledge": _("Tổ nhận lệnh"),
    "unit_en_route": _("Tổ đang di chuyển"),
    "unit_clear": _("Tổ hoàn thành nhiệm vụ"),
    "merge": _("Gộp vào tin khác"),
    "merged_in": _("Nhận tin trùng gộp vào"),
    "locate": _("Xác định vị trí"),
    "transfer": _("Chuyển đơn vị xử lý"),
}


class PatrolUnit(BaseModel):
    """Tổ công tác — a patrol (363), traffic, fire or rescue team that can be dispatched."""

    class Kind(models.TextChoices):
        PATROL = "patrol", _("Tuần tra 363")
        TRAFFIC = "traffic", _("Cảnh sát giao thông")
        FIRE = "fire", _("Chữa cháy, cứu nạn")
        RAPID = "rapid", _("Cảnh sát cơ động")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Sẵn sàng")
        DISPATCHED = "dispatched", _("Được điều động")
        EN_ROUTE = "en_route", _("Đang di chuyển")
        ON_SCENE = "on_scene", _("Có mặt tại hiện trường")
        OUT_OF_SERVICE = "out_of_service", _("Ngừng hoạt động")

    call_sign = models.CharField(_("hô hiệu"), max_length=40, unique=True)
    kind = models.CharField(_("loại tổ"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="patrol_units", verbose_name=_("đơn vị quản lý")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="patrol_units", verbose_name=_("cán bộ trong tổ")
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    position_at = models.DateTimeField(_("cập nhật vị trí lúc"), null=True, blank=True)
    device_key = models.OneToOneField(
        "core.ApiKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_unit",
        verbose_name=_("khóa API của thiết bị"),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tổ công tác")
        verbose_name_plural = _("tổ công tác")
        ordering = ["call_sign"]
        indexes = [models.Index(fields=["status", "kind"], name="patrol_unit_ready")]

    def __str__(self) -> str:
        return self.call_sign


class Assignment(models.Model):
    """Điều động — one unit sent to one report, with the standard timestamps of its response."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    patrol_unit = models.ForeignKey(PatrolUnit, on_delete=models.PROTECT, related_name="assignments")
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    estimated_seconds = models.PositiveIntegerField(_("thời gian đến dự kiến (giây)"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("điều động lúc"))
    acknowledged_at = models.DateTimeField(_("nhận lệnh lúc"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("xuất phát lúc"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("điều động")
        verbose_name_plural = _("điều động")
        ordering = ["report", "dispatched_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patrol_unit"], condition=models.Q(cleared_at__isnull=True), name="one_open_assignment_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} ← {self.patrol_unit_id}"


# --- incremental aggregates of the response-time page (congan.incidents.aggregates) --------------


class ReportStat(models.Model):
    """Số liệu tổng hợp tin báo — reports per commune unit, department, kind family and month of
    receipt (local time), kept by the services in the transaction of each write.

    ``department`` is the id of the department unit the report was routed to, 0 when none (a key
    column must not be NULL: see congan.core.tallies); with ``unit`` it keeps the page's unit scope
    exact (the report's commune or department in the viewer's subtree)."""

    TALLY_KEY = ("unit", "department", "family", "month")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    department = models.BigIntegerField(default=0)
    family = models.ForeignKey(ReportKind, on_delete=models.CASCADE, related_name="+")  # the kind's parent, or itself
    month = models.DateField()  # the first day of the month of received_at, in local time
    reports = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp tin báo")
        verbose_name_plural = _("số liệu tổng hợp tin báo")
        constraints = [
            models.UniqueConstraint(fields=["unit", "department", "family", "month"], name="report_stat_once")
        ]
        indexes = [models.Index(fields=["month"], name="report_stat_month")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.department}/{self.family_id} {self.month:%Y-%m}: {self.reports}"


class ReportIntervalStat(models.Model):
    """Biểu đồ tần suất thời gian phản ứng — for one commune unit, department, kind family, month of
    receipt and standard interval, how many reports' intervals fell in each fixed log-spaced bucket
    (columns b00…b77, congan.incidents.histogram), from which the page reads P50 and P90."""

    class Interval(models.TextChoices):
        PROCESSING = "processing", _("Xử lý tin")
        TURNOUT = "turnout", _("Xuất phát")
        TRAVEL = "travel", _("Di chuyển")
        RESPONSE = "response", _("Phản ứng")
        TOTAL = "total", _("Toàn bộ")

    TALLY_KEY = ("unit", "department", "family", "month", "interval")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    department = models.BigIntegerField(default=0)
    family = models.ForeignKey(ReportKind, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    interval = models.CharField(max_length=10, choices=Interval.choices)

    class Meta:
        verbose_name = _("biểu đồ tần suất thời gian phản ứng")
        verbose_name_plural = _("biểu đồ tần suất thời gian phản ứng")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "department", "family", "month", "interval"], name="report_interval_stat_once"
            )
        ]
        indexes = [models.Index(fields=["month"], name="report_interval_stat_month")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.department}/{self.family_id} {self.month:%Y-%m} {self.interval}"


for _column in histogram.COLUMNS:  # one counter per bucket
    ReportIntervalStat.add_to_class(_column, models.IntegerField(default=0))


class ReportHeatCell(models.Model):
    """Ô bản đồ mật độ — reports with a map point per commune unit, department, month of receipt and
    grid cell of HEAT_CELL_DEGREES (row = ⌊latitude / size⌋, col = ⌊longitude / size⌋)."""

    TALLY_KEY = ("unit", "department", "month", "row", "col")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    department = models.BigIntegerField(default=0)
    month = models.DateField()
    row = models.IntegerField()
    col = models.IntegerField()
    reports = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ô bản đồ mật độ tin báo")
        verbose_name_plural = _("ô bản đồ mật độ tin báo")
        constraints = [
            models.UniqueConstraint(fields=["unit", "department", "month", "row", "col"], name="report_heat_cell_once")
        ]
        indexes = [models.Index(fields=["month"], name="report_heat_cell_month")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.department} {self.month:%Y-%m} ({self.row}, {self.col}): {self.reports}"
