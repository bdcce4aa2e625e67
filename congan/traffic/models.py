"""Traffic cameras with their heartbeats, and registered vehicles with their owners."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel
from congan.traffic.plates import PlateColour


class Camera(BaseModel):
    """Camera giao thông, an ninh — where it looks, who owns it, and when it last spoke."""

    class Kind(models.TextChoices):
        SPEED = "speed", _("Đo tốc độ")
        RED_LIGHT = "red_light", _("Vượt đèn đỏ")
        ANPR = "anpr", _("Nhận dạng biển số")
        SURVEILLANCE = "surveillance", _("Giám sát an ninh, trật tự")

    code = models.CharField(_("mã camera"), max_length=32, unique=True)
    name = models.CharField(_("tên, vị trí"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6)
    direction_degrees = models.PositiveSmallIntegerField(_("hướng quan sát (độ, 0 = bắc)"), null=True, blank=True)
    road = models.CharField(_("tuyến đường"), max_length=200, blank=True)
    commune_code = models.CharField(_("mã xã, phường"), max_length=5, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="cameras", verbose_name=_("đơn vị quản lý")
    )
    speed_limit_kmh = models.PositiveSmallIntegerField(_("tốc độ tối đa (km/h)"), null=True, blank=True)
    installed_on = models.DateField(_("ngày lắp đặt"), null=True, blank=True)
    active = models.BooleanField(_("đang sử dụng"), default=True)
    last_seen_at = models.DateTimeField(_("tín hiệu gần nhất"), null=True, blank=True)
    device_key = models.OneToOneField(
        "core.ApiKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera",
        verbose_name=_("khóa API của camera"),
    )

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("camera")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def online(self) -> bool:
        if self.last_seen_at is None:
            return False
        return timezone.now() - self.last_seen_at <= dt.timedelta(seconds=settings.TRAFFIC_CAMERA_OFFLINE_AFTER_SECONDS)


class CameraUptimeHour(models.Model):
    """Heartbeats of one camera in one clock hour: uptime reports need no row per heartbeat."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="uptime_hours")
    hour = models.DateTimeField()
    beats = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["camera", "hour"], name="camera_uptime_hour_once")]
        indexes = [models.Index(fields=["hour"], name="camera_uptime_hour")]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.hour:%Y-%m-%d %H}h: {self.beats}"


class Vehicle(BaseModel):
    """Phương tiện đã đăng ký — its plate (canonical form and colour) and its owner."""

    class Kind(models.TextChoices):
        CAR = "car", _("Ô tô con")
        MOTORBIKE = "motorbike", _("Mô tô, xe gắn máy")
        E_BIKE = "e_bike", _("Xe máy điện")
        TRUCK = "truck", _("Ô tô tải")
        BUS = "bus", _("Ô tô khách")
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang lưu hành")
        DEREGISTERED = "deregistered", _("Đã thu hồi đăng ký")

    plate = models.CharField(_("biển số (dạng chuẩn)"), max_length=12, db_index=True)
    plate_colour = models.CharField(
        _("màu biển"), max_length=10, choices=PlateColour.choices, default=PlateColour.WHITE
    )
    kind = models.CharField(_("loại phương tiện"), max_length=10, choices=Kind.choices)
    brand = models.CharField(_("nhãn hiệu"), max_length=60, blank=True)
    model_name = models.CharField(_("số loại"), max_length=60, blank=True)
    body_colour = models.CharField(_("màu sơn"), max_length=40, blank=True)
    registered_on = models.DateField(_("ngày đăng ký"), null=True, blank=True)
    owner = models.ForeignKey(
        "population.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("chủ xe (công dân)"),
    )
    owner_organisation = models.CharField(_("chủ xe (tổ chức)"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    registration_warning = models.BooleanField(
        _("cảnh báo đăng kiểm"),
        default=False,
        help_text=_("Quá 20 ngày kể từ ngày gửi thông báo vi phạm mà chưa đến giải quyết (Thông tư 73/2024, Điều 24)."),
    )

    class Meta:
        verbose_name = _("phương tiện")
        verbose_name_plural = _("phương tiện")
        ordering = ["plate"]
        constraints = [
            models.UniqueConstraint(
                fields=["plate", "plate_colour"], condition=models.Q(status="active"), name="vehicle_plate_in_use_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(owner__isnull=True, owner_organisation=""), name="vehicle_has_an_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.plate


class ViolationType(models.Model):
    """Hành vi vi phạm — one row of the fine tables, valid for a date range (decrees get amended)."""

    class VehicleClass(models.TextChoices):
        CAR = "car", _("Ô tô")
        MOTORBIKE = "motorbike", _("Mô tô, xe gắn máy")

    code = models.CharField(_("mã"), max_length=40, help_text=_("Nghị định · điều · khoản · điểm, ví dụ 16824.6.9.b"))
    title = models.CharField(_("hành vi vi phạm"), max_length=300)
    decree = models.CharField(_("nghị định"), max_length=40)
    article = models.PositiveSmallIntegerField(_("điều"))
    clause = models.PositiveSmallIntegerField(_("khoản"))
    point = models.CharField(_("điểm"), max_length=4)
    vehicle_class = models.CharField(_("loại xe"), max_length=10, choices=VehicleClass.choices)
    fine_min = models.PositiveIntegerField(_("mức phạt tối thiểu (đồng)"))
    fine_max = models.PositiveIntegerField(_("mức phạt tối đa (đồng)"))
    licence_points = models.PositiveSmallIntegerField(_("điểm trừ giấy phép lái xe"), default=0)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("loại vi phạm")
        verbose_name_plural = _("loại vi phạm")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="violation_type_version_once"),
            models.CheckConstraint(condition=models.Q(fine_min__lte=models.F("fine_max")), name="violation_fine_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


OPEN_NOTICE_STATUSES = ("notice_issued", "contested", "forwarded")  # a notice is out and unresolved
NOTICE_STATUSES = (*OPEN_NOTICE_STATUSES, "paid", "closed")  # a notice was sent (public in the lookup)


class ViolationEvent(BaseModel):
    """Sự kiện vi phạm — what a camera detected, and its way through review to a paid or closed case.

    detected → verified → notice_issued → paid | contested | forwarded → closed
    detected | verified → dismissed
    """

    class Status(models.TextChoices):
        DETECTED = "detected", _("Mới phát hiện")
        DUPLICATE = "duplicate", _("Trùng sự kiện khác")
        VERIFIED = "verified", _("Đã xác minh")
        DISMISSED = "dismissed", _("Đã loại bỏ")
        NOTICE_ISSUED = "notice_issued", _("Đã gửi thông báo")
        PAID = "paid", _("Đã nộp phạt")
        CONTESTED = "contested", _("Đang khiếu nại")
        FORWARDED = "forwarded", _("Đã chuyển công an nơi cư trú")
        CLOSED = "closed", _("Đã kết thúc")

    class Outcome(models.TextChoices):
        PENALISED = "penalised", _("Đã xử phạt")
        WITHDRAWN = "withdrawn", _("Hủy thông báo vi phạm")

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="events", verbose_name=_("camera"))
    occurred_at = models.DateTimeField(_("thời điểm vi phạm"))
    plate_read = models.CharField(_("biển số camera đọc"), max_length=20, blank=True)
    plate = models.CharField(
        _("biển số (dạng chuẩn)"),
        max_length=12,
        blank=True,
        help_text=_("Để trống khi không đọc được: cán bộ nhập khi xét duyệt."),
    )
    read_confidence = models.FloatField(_("độ tin cậy khi đọc biển"), null=True, blank=True)
    vehicle_kind = models.CharField(_("loại phương tiện"), max_length=10, choices=Vehicle.Kind.choices)
    violation_type = models.ForeignKey(
        ViolationType, on_delete=models.PROTECT, related_name="events", verbose_name=_("loại vi phạm")
    )
    measured_speed_kmh = models.PositiveSmallIntegerField(_("tốc độ đo được (km/h)"), null=True, blank=True)
    speed_limit_kmh = models.PositiveSmallIntegerField(_("tốc độ cho phép (km/h)"), null=True, blank=True)
    evidence_urls = models.JSONField(_("ảnh, video chứng cứ"), default=list, blank=True)
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=64)
    status = models.CharField(_("trạng thái"), max_length=14, choices=Status.choices, default=Status.DETECTED)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("trùng với")
    )
    # Review: the vehicle and its owner as the registry had them on the day of verification.
    vehicle = models.ForeignKey(
        Vehicle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("phương tiện"),
    )
    owner = models.ForeignKey(
        "population.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="traffic_violations",
        verbose_name=_("chủ xe (công dân)"),
    )
    owner_organisation = models.CharField(_("chủ xe (tổ chức)"), max_length=200, blank=True)
    owner_identified_at = models.DateTimeField(_("xác định chủ xe lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ xét duyệt"),
    )
    reviewed_at = models.DateTimeField(_("xét duyệt lúc"), null=True, blank=True)
    dismissal_reason = models.CharField(_("lý do loại bỏ"), max_length=500, blank=True)
    # Notice (Form 03) and resolution.
    notice_number = models.CharField(_("số thông báo"), max_length=24, unique=True, null=True, blank=True)
    notice_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    notice_issued_at = models.DateTimeField(_("gửi thông báo lúc"), null=True, blank=True)
    resolving_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nơi giải quyết")
    )
    paid_at = models.DateTimeField(_("nộp phạt lúc"), null=True, blank=True)
    fine_amount = models.PositiveIntegerField(_("số tiền phạt (đồng)"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    registration_warning_at = models.DateTimeField(_("cảnh báo đăng kiểm lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện vi phạm")
        verbose_name_plural = _("sự kiện vi phạm")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["camera", "idempotency_key"], name="violation_event_once_per_key"),
        ]
        permissions = [
            ("review_violationevent", _("Xét duyệt vi phạm do camera phát hiện")),
            ("issue_notice", _("Gửi thông báo vi phạm")),
            ("resolve_violationevent", _("Ghi nhận giải quyết vi phạm (nộp phạt, khiếu nại, chuyển, kết thúc)")),
        ]
        indexes = [
            models.Index(fields=["plate", "occurred_at"], name="violation_event_plate"),
            models.Index(fields=["status", "occurred_at"], name="violation_event_status"),
            models.Index(fields=["status", "notice_issued_at"], name="violation_event_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.plate or self.plate_read} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def identify_due(self) -> dt.datetime:
        """Circular 73/2024 Art. 24(1): the owner is identified within 10 days of detection."""
        return self.occurred_at + dt.timedelta(days=settings.TRAFFIC_IDENTIFY_OWNER_DAYS)

    @property
    def owner_label(self) -> str:
        return self.owner.full_name if self.owner_id else self.owner_organisation


STEP_LABELS = {
    "verify": _("Xác minh"),
    "dismiss": _("Loại bỏ"),
    "issue_notice": _("Gửi thông báo vi phạm"),
    "record_payment": _("Ghi nhận nộp phạt"),
    "contest": _("Ghi nhận khiếu nại"),
    "forward": _("Chuyển công an nơi cư trú"),
    "close": _("Kết thúc vụ việc"),
}


class ViolationStep(models.Model):
    """One step of a violation's review, for the officer's timeline (the audit chain has the rest)."""

    event = models.ForeignKey(ViolationEvent, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    status_from = models.CharField(max_length=14)
    status_to = models.CharField(max_length=14)
    reason = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.action}"

    @property
    def label(self) -> str:
        return STEP_LABELS.get(self.action, self.action)

    @property
    def status_label(self) -> str:
        return ViolationEvent.Status(self.status_to).label


class Evidence(models.Model):
    """Ảnh chứng cứ — an image uploaded with an event, with its SHA-256 for integrity."""

    event = models.ForeignKey(ViolationEvent, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to="traffic/evidence/%Y/%m/", max_length=200)
    token = models.CharField(max_length=32, unique=True, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ảnh chứng cứ")
        verbose_name_plural = _("ảnh chứng cứ")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.sha256[:12]}"


class LookupCount(models.Model):
    """Public plate lookups per day, counted and never tied to who looked or which plate. Spread
    over a few rows (shards) per day so that concurrent lookups do not queue on one row lock."""

    day = models.DateField()
    shard = models.PositiveSmallIntegerField(default=0)
    lookups = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "shard"], name="lookup_count_once")]

    def __str__(self) -> str:
        return f"{self.day}/{self.shard}: {self.lookups}"


class ViolationStat(models.Model):
    """Số liệu tổng hợp vi phạm — events per month (local time), camera, violation type, status and
    outcome, with their fines; kept by the services in the transaction of each write
    (congan.traffic.aggregates), so the statistics page reads these rows, not the events.

    Two parts keep the page's unit scope exact (an event counts for the viewer when its camera's
    unit or its resolving unit is in the viewer's subtree): every event counts in a row with
    ``resolver`` 0 (the camera's part), and an event with a resolving unit counts a second time in
    a row with ``resolver`` = that unit's id (the resolving unit's part). A viewer reads the
    camera's part of the cameras in their subtree, plus the resolving unit's part of the other
    cameras for the units of their subtree — each event once. The camera's part stays small
    (months × cameras × types × states); the resolving unit's part is read only for the units
    below the viewer."""

    TALLY_KEY = ("month", "camera", "resolver", "violation_type", "status", "outcome")

    month = models.DateField()  # the first day of the month of occurred_at, in local time
    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="+")
    resolver = models.BigIntegerField(default=0)  # 0: the camera's part; else the resolving unit's id
    violation_type = models.ForeignKey(ViolationType, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=14)
    outcome = models.CharField(max_length=10, blank=True)
    events = models.IntegerField(default=0)
    fines = models.BigIntegerField(default=0)  # fine_amount summed over the events (đồng)

    class Meta:
        verbose_name = _("số liệu tổng hợp vi phạm")
        verbose_name_plural = _("số liệu tổng hợp vi phạm")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "camera", "resolver", "violation_type", "status", "outcome"],
                name="violation_stat_once",
            )
        ]
        indexes = [
            models.Index(fields=["camera", "month"], name="violation_stat_camera"),
            models.Index(fields=["resolver", "month"], name="violation_stat_resolver"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.camera_id} {self.status}: {self.events}"


class ViolationHourStat(models.Model):
    """Vi phạm theo giờ — violations (duplicates left out) per month, camera and hour of the day in
    local time, in the same two parts as ViolationStat, kept like it."""

    TALLY_KEY = ("month", "camera", "resolver", "hour")

    month = models.DateField()
    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="+")
    resolver = models.BigIntegerField(default=0)
    hour = models.PositiveSmallIntegerField()
    violations = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu vi phạm theo giờ")
        verbose_name_plural = _("số liệu vi phạm theo giờ")
        constraints = [
            models.UniqueConstraint(fields=["month", "camera", "resolver", "hour"], name="violation_hour_stat_once")
        ]
        indexes = [
            models.Index(fields=["camera", "month"], name="violation_hour_stat_camera"),
            models.Index(fields=["resolver", "month"], name="violation_hour_stat_resolver"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.camera_id} {self.hour:02d}h: {self.violations}"
