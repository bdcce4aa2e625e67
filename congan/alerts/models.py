"""Public warnings (cảnh báo) as OASIS CAP 1.2 messages, and the citizens who subscribe to them.

An alert is composed by one officer and published only when a second officer approves it (the
two-person rule). Updates and cancellations are new messages that reference the earlier one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel


class MsgType(models.TextChoices):
    ALERT = "Alert", _("Cảnh báo mới")
    UPDATE = "Update", _("Cập nhật")
    CANCEL = "Cancel", _("Hủy bỏ")


class CapStatus(models.TextChoices):
    ACTUAL = "Actual", _("Thật")
    EXERCISE = "Exercise", _("Diễn tập")
    TEST = "Test", _("Thử nghiệm kỹ thuật")


class Category(models.TextChoices):
    SECURITY = "Security", _("An ninh, trật tự")
    SAFETY = "Safety", _("An toàn chung (phương thức, thủ đoạn phạm tội)")
    FIRE = "Fire", _("Cháy, nổ")
    RESCUE = "Rescue", _("Cứu nạn, cứu hộ")
    TRANSPORT = "Transport", _("Giao thông")
    GEO = "Geo", _("Địa chất (động đất, sạt lở)")
    MET = "Met", _("Thời tiết, bão lũ")
    HEALTH = "Health", _("Y tế, dịch bệnh")
    ENV = "Env", _("Môi trường")
    INFRA = "Infra", _("Hạ tầng (điện, nước, viễn thông)")
    CBRNE = "CBRNE", _("Hóa chất, sinh học, phóng xạ, hạt nhân, chất nổ")
    OTHER = "Other", _("Khác")


class ResponseType(models.TextChoices):
    SHELTER = "Shelter", _("Trú ẩn tại chỗ")
    EVACUATE = "Evacuate", _("Sơ tán")
    PREPARE = "Prepare", _("Chuẩn bị")
    EXECUTE = "Execute", _("Thực hiện theo hướng dẫn")
    AVOID = "Avoid", _("Tránh khu vực")
    MONITOR = "Monitor", _("Theo dõi thông tin")
    ASSESS = "Assess", _("Đánh giá tình hình")
    ALL_CLEAR = "AllClear", _("Đã an toàn")
    NONE = "None", _("Không cần hành động")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Ngay lập tức")
    EXPECTED = "Expected", _("Trong giờ tới")
    FUTURE = "Future", _("Sắp tới")
    PAST = "Past", _("Đã qua")
    UNKNOWN = "Unknown", _("Chưa rõ")


class Severity(models.TextChoices):
    EXTREME = "Extreme", _("Cực kỳ nghiêm trọng")
    SEVERE = "Severe", _("Nghiêm trọng")
    MODERATE = "Moderate", _("Trung bình")
    MINOR = "Minor", _("Nhẹ")
    UNKNOWN = "Unknown", _("Chưa rõ")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("Đã xảy ra")
    LIKELY = "Likely", _("Nhiều khả năng")
    POSSIBLE = "Possible", _("Có thể")
    UNLIKELY = "Unlikely", _("Ít khả năng")
    UNKNOWN = "Unknown", _("Chưa rõ")


class Alert(BaseModel):
    """Cảnh báo — one CAP message (Alert, Update or Cancel) and its approval workflow."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ phê duyệt")
        PUBLISHED = "published", _("Đã phát hành")
        SUPERSEDED = "superseded", _("Đã được cập nhật")
        CANCELLED = "cancelled", _("Đã hủy")

    identifier = models.CharField(_("mã bản tin"), max_length=80, unique=True)
    msg_type = models.CharField(_("loại bản tin"), max_length=8, choices=MsgType.choices, default=MsgType.ALERT)
    cap_status = models.CharField(_("tính chất"), max_length=8, choices=CapStatus.choices, default=CapStatus.ACTUAL)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    references = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("bản tin được tham chiếu"),
    )
    category = models.CharField(_("lĩnh vực"), max_length=10, choices=Category.choices)
    event = models.CharField(_("sự kiện"), max_length=120)
    response_type = models.CharField(_("hành động khuyến nghị"), max_length=10, choices=ResponseType.choices)
    urgency = models.CharField(_("mức khẩn"), max_length=10, choices=Urgency.choices)
    severity = models.CharField(_("mức nghiêm trọng"), max_length=10, choices=Severity.choices)
    certainty = models.CharField(_("mức chắc chắn"), max_length=10, choices=Certainty.choices)
    headline = models.CharField(_("tiêu đề"), max_length=160)
    description = models.TextField(_("nội dung"))
    instruction = models.TextField(_("hướng dẫn người dân"), blank=True)
    headline_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=160, blank=True)
    description_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)
    instruction_en = models.TextField(_("hướng dẫn (tiếng Anh)"), blank=True)
    effective = models.DateTimeField(_("hiệu lực từ"), null=True, blank=True)
    onset = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    expires = models.DateTimeField(_("hết hiệu lực"), null=True, blank=True, db_index=True)
    area_desc = models.CharField(_("mô tả khu vực"), max_length=300)
    polygon = models.JSONField(_("đa giác [[vĩ độ, kinh độ], …]"), default=list, blank=True)
    circle_latitude = models.FloatField(_("tâm vòng tròn: vĩ độ"), null=True, blank=True)
    circle_longitude = models.FloatField(_("tâm vòng tròn: kinh độ"), null=True, blank=True)
    circle_radius_km = models.FloatField(_("bán kính (km)"), null=True, blank=True)
    commune_codes = models.JSONField(_("xã, phường"), default=list, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị phát hành"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người soạn")
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa gần nhất"),
    )
    submitted_at = models.DateTimeField(_("trình duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phê duyệt"),
    )
    sent = models.DateTimeField(_("phát hành lúc"), null=True, blank=True, db_index=True)
    return_reason = models.CharField(_("lý do trả lại"), max_length=500, blank=True)
    fanout_done_at = models.DateTimeField(_("đã gửi tới người đăng ký lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        ordering = ["-sent", "-created_at"]
        permissions = [
            ("compose_alert", _("Soạn cảnh báo, khuyến cáo")),
            ("approve_alert", _("Phê duyệt phát hành cảnh báo")),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} · {self.headline}"

    @property
    def has_circle(self) -> bool:
        return None not in (self.circle_latitude, self.circle_longitude, self.circle_radius_km)

    @property
    def is_in_force(self) -> bool:
        now = timezone.now()
        return (
            self.state == self.State.PUBLISHED
            and self.msg_type != MsgType.CANCEL
            and (self.expires is None or self.expires > now)
        )

    @property
    def is_advisory(self) -> bool:
        """A standing warning (crime methods, fire safety) rather than an emergency."""
        return self.urgency in (Urgency.FUTURE, Urgency.UNKNOWN)


class Subscription(BaseModel):
    """Đăng ký nhận cảnh báo — one contact on one channel for one commune (or for a shared location)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Tin nhắn SMS")
        EMAIL = "email", _("Thư điện tử")
        WEBPUSH = "webpush", _("Thông báo trên trình duyệt")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        ACTIVE = "active", _("Đang nhận")
        ENDED = "ended", _("Đã hủy đăng ký")

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("số điện thoại, thư điện tử hoặc mã đăng ký thông báo đẩy"), max_length=254)
    commune_code = models.CharField(
        _("xã, phường"), max_length=5, blank=True, db_index=True, help_text=_("Để trống khi đăng ký theo vị trí.")
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    token = models.CharField(_("mã quản lý đăng ký"), max_length=43, unique=True)
    confirm_code_hash = models.CharField(max_length=64, blank=True)
    confirm_attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    citizen = models.ForeignKey(
        "population.CitizenAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_subscriptions",
        verbose_name=_("tài khoản công dân"),
    )

    class Meta:
        verbose_name = _("đăng ký nhận cảnh báo")
        verbose_name_plural = _("đăng ký nhận cảnh báo")
        constraints = [
            models.UniqueConstraint(fields=["channel", "recipient", "commune_code"], name="subscription_once"),
        ]
        indexes = [models.Index(fields=["status", "commune_code"], name="subscription_active_commune")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.recipient} → {self.commune_code or 'vị trí'}"
