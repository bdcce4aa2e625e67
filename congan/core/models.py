"""Shared kernel models: the base model, the audit chain and partner API keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Nhật ký kiểm toán — one append-only, hash-chained audit event.

    ``hash`` = SHA-256(prev_hash || canonical JSON of the event); ``seq`` orders the chain.
    Rows are never updated or deleted by the application (the admin is read-only).
    """

    class ActorType(models.TextChoices):
        OFFICER = "officer", _("Cán bộ")
        API_KEY = "api_key", _("Khóa API đối tác")
        CITIZEN = "citizen", _("Công dân")
        ANONYMOUS = "anonymous", _("Ẩn danh")
        SYSTEM = "system", _("Hệ thống")

    seq = models.BigIntegerField(_("số thứ tự"), unique=True)
    occurred_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor_type = models.CharField(_("loại chủ thể"), max_length=16, choices=ActorType.choices)
    actor_id = models.CharField(_("mã chủ thể"), max_length=64, blank=True, db_index=True)
    actor_label = models.CharField(_("chủ thể"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True, db_index=True)
    purpose = models.CharField(_("mục đích"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    prev_hash = models.CharField(_("băm trước"), max_length=64)
    hash = models.CharField(_("băm"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("sự kiện kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        permissions = [("view_audit_log", _("Xem nhật ký kiểm toán"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_label}"

    @property
    def target_display(self) -> str:
        """ "eservices.dossier #12"; the type alone when the event names no one object."""
        return f"{self.target_type} #{self.target_id}" if self.target_id else self.target_type

    @property
    def actor_display(self) -> str:
        """ "Cán bộ: tiepnhan"; the platform itself is just "Hệ thống" (its label is the word system)."""
        kind = self.get_actor_type_display()
        if self.actor_type == self.ActorType.SYSTEM or not self.actor_label:
            return kind
        return f"{kind}: {self.actor_label}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain (locked by every writer)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("đầu chuỗi kiểm toán")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditJournalMark(models.Model):
    """How far one process's local audit journal is chained: its events up to byte ``position`` are
    on the chain. Moved in the transaction that chains them, so a journal left by a killed process
    is replayed from exactly there (congan.core.audit.journal)."""

    name = models.CharField(max_length=200, primary_key=True)
    position = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("mốc nhật ký kiểm toán cục bộ")

    def __str__(self) -> str:
        return f"{self.name} @{self.position}"


class ApiClient(BaseModel):
    """Đối tác kết nối — a partner agency's system that calls the API with keys."""

    name = models.CharField(_("tên cơ quan, tổ chức"), max_length=200, unique=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=200, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đối tác API")
        verbose_name_plural = _("đối tác API")
        ordering = ["name"]
        permissions = [("manage_api_keys", _("Quản lý khóa API đối tác"))]

    def __str__(self) -> str:
        return self.name


class ApiKey(BaseModel):
    """Khóa API — shown once at creation, stored as a SHA-256 digest, with scopes and a rate limit."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="keys", verbose_name=_("đối tác"))
    name = models.CharField(_("tên khóa"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12, unique=True)
    digest = models.CharField(_("mã băm"), max_length=64, unique=True)
    scopes = models.JSONField(_("phạm vi"), default=list, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("giới hạn yêu cầu/phút"), default=600)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client} · {self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now) and self.client.active


class Notification(BaseModel):
    """Hộp thư đi — one message to a citizen or officer, kept until delivered (outbox pattern):
    services write it in their transaction; a background task delivers it through the channel's
    backend and records the outcome, retrying a few times."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")
        WEBPUSH = "webpush", _("Thông báo trên trình duyệt")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        DELIVERED = "delivered", _("Đã đến người nhận")
        FAILED = "failed", _("Gửi không được")

    key = models.CharField(_("khóa chống trùng"), max_length=120, unique=True)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), default=timezone.now, db_index=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến người nhận lúc"), null=True, blank=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["target_type", "target_id", "status"], name="notification_target"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.subject or self.body[:40]}"


class PushSubscription(BaseModel):
    """Đăng ký thông báo đẩy — one browser's Web Push subscription (RFC 8030): where to post and the
    keys to encrypt for it (RFC 8291). Notifications on the web push channel name it by ``token``;
    the push service answering 404/410 ends it."""

    endpoint = models.URLField(_("địa chỉ dịch vụ đẩy"), max_length=1000, unique=True)
    p256dh = models.CharField(_("khóa công khai của trình duyệt"), max_length=100)
    auth = models.CharField(_("khóa xác thực"), max_length=40)
    token = models.CharField(_("mã đăng ký"), max_length=43, unique=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký thông báo đẩy")
        verbose_name_plural = _("đăng ký thông báo đẩy")

    def __str__(self) -> str:
        return self.endpoint.split("/")[2] if "//" in self.endpoint else self.endpoint


class RateCounter(models.Model):
    """Bộ đếm giới hạn truy cập — one rate-limit window or spent one-time proof, shared by every
    server process (congan.core.limits). Rows are written by one upsert statement each and pruned
    once expired; on PostgreSQL the table is UNLOGGED (a crash forgets counters, never events)."""

    bucket = models.CharField(primary_key=True, max_length=100)
    hits = models.IntegerField(default=0)
    expires_ms = models.BigIntegerField(db_index=True)  # Unix time in milliseconds

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")

    def __str__(self) -> str:
        return f"{self.bucket}: {self.hits}"
