"""Online public services: the procedure catalogue (thủ tục hành chính) and versioned forms."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel


class Procedure(BaseModel):
    """Thủ tục hành chính — one administrative procedure the police handle (domain §4)."""

    class Field(models.TextChoices):
        IDENTITY = "can_cuoc", _("Căn cước")
        RESIDENCE = "cu_tru", _("Cư trú")
        VEHICLE = "dang_ky_xe", _("Đăng ký, quản lý phương tiện")
        IMMIGRATION = "xuat_nhap_canh", _("Xuất nhập cảnh")
        JUDICIAL_RECORD = "ly_lich_tu_phap", _("Lý lịch tư pháp")
        DRIVING_LICENCE = "giay_phep_lai_xe", _("Giấy phép lái xe")
        FIRE_SAFETY = "pccc", _("Phòng cháy, chữa cháy")

    class Level(models.TextChoices):
        FULL = "toan_trinh", _("Toàn trình")
        PARTIAL = "mot_phan", _("Một phần")

    class HandlingUnit(models.TextChoices):
        COMMUNE = "commune", _("Công an cấp xã")
        PROVINCE = "province", _("Phòng nghiệp vụ Công an tỉnh")

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    national_code = models.CharField(_("mã trên Cổng DVC quốc gia"), max_length=40, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=300)
    name_folded = models.CharField(max_length=300, editable=False)
    field = models.CharField(_("lĩnh vực"), max_length=20, choices=Field.choices, db_index=True)
    level = models.CharField(_("mức độ"), max_length=12, choices=Level.choices)
    handling_unit_kind = models.CharField(_("cơ quan giải quyết"), max_length=10, choices=HandlingUnit.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), null=True, blank=True, help_text=_("Để trống nếu giải quyết ngay.")
    )
    processing_note = models.CharField(_("ghi chú thời hạn"), max_length=300, blank=True)
    can_pause = models.BooleanField(_("được tạm dừng chờ bổ sung"), default=True)
    can_extend = models.BooleanField(_("được gia hạn"), default=False)
    fee_in_person = models.PositiveIntegerField(_("lệ phí trực tiếp (đồng)"), null=True, blank=True)
    fee_online = models.PositiveIntegerField(_("lệ phí trực tuyến (đồng)"), null=True, blank=True)
    fee_note = models.CharField(_("ghi chú lệ phí"), max_length=300, blank=True)
    required_attachments = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    result_type = models.CharField(_("kết quả"), max_length=200)
    retention_years = models.PositiveSmallIntegerField(_("thời hạn lưu trữ (năm)"), default=10)
    account_level = models.PositiveSmallIntegerField(
        _("mức tài khoản định danh cần có"), default=2, choices=[(1, _("Mức 1")), (2, _("Mức 2"))]
    )
    allows_guardian = models.BooleanField(
        _("cho phép nộp thay"),
        default=False,
        help_text=_("Cha, mẹ, người giám hộ hoặc chủ hộ được nộp cho trẻ em, người phụ thuộc cùng hộ."),
    )
    unverified = models.JSONField(
        _("giá trị chưa xác minh"),
        default=list,
        blank=True,
        help_text=_("Tên các trường có giá trị chưa đối chiếu với văn bản gốc."),
    )
    sources = models.TextField(_("nguồn"), blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def current_form(self) -> ProcedureForm | None:
        return self.forms.order_by("-version").first()


class ProcedureForm(models.Model):
    """Mẫu tờ khai — one version of a procedure's form. A dossier keeps the version it was
    submitted with; a new version never changes submitted dossiers."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="forms")
    version = models.PositiveIntegerField(_("phiên bản"))
    fields = models.JSONField(_("các trường"), default=list)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu tờ khai")
        verbose_name_plural = _("mẫu tờ khai")
        ordering = ["procedure", "-version"]
        constraints = [models.UniqueConstraint(fields=["procedure", "version"], name="procedure_form_version_once")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"


class CalendarDay(models.Model):
    """Ngày nghỉ, ngày làm bù — a date the province sets apart from the national calendar: an
    extra day off (working=False) or a Saturday/Sunday worked in exchange (working=True).
    Public holidays, Tết and the Government's own swaps come from the ``holidays`` package."""

    date = models.DateField(_("ngày"), unique=True)
    working = models.BooleanField(_("là ngày làm việc"), default=False)
    note = models.CharField(_("ghi chú"), max_length=200)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.note}"


class Dossier(BaseModel):
    """Hồ sơ — one application for a procedure, filled in with a fixed form version."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Đã nộp")
        RECEIVED = "received", _("Đã tiếp nhận")
        REJECTED_AT_INTAKE = "rejected_intake", _("Từ chối tiếp nhận")
        PROCESSING = "processing", _("Đang xử lý")
        WAITING_CITIZEN = "waiting", _("Chờ bổ sung")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", _("Từ chối giải quyết")
        RETURNED = "returned", _("Đã trả kết quả")

    code = models.CharField(_("số hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    form = models.ForeignKey(ProcedureForm, on_delete=models.PROTECT, related_name="dossiers")
    applicant = models.ForeignKey(
        "population.Resident", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("người nộp")
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    data = models.JSONField(_("nội dung tờ khai"), default=dict)
    prefilled = models.JSONField(_("trường lấy từ CSDL dân cư"), default=list)
    online = models.BooleanField(_("nộp trực tuyến"), default=True)
    client_token = models.CharField(_("mã chống nộp trùng"), max_length=64)
    # Whose idempotency key ``client_token`` is: the citizen whose account submitted (the guardian
    # when submitting for a dependant), else the applicant. Another submitter's key is another key.
    key_owner = models.ForeignKey(
        "population.Resident",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (key_owner, client_token) constraint's index serves it
        verbose_name=_("chủ mã chống nộp trùng"),
    )
    submitted_at = models.DateTimeField(_("nộp lúc"))
    due_on = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "population.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nộp thay (cha, mẹ, người giám hộ)"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ xử lý"),
    )
    received_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    paused_since = models.DateField(_("tạm dừng từ"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("số ngày gia hạn"), default=0)
    decided_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    decision_note = models.TextField(_("lý do, ghi chú quyết định"), blank=True)
    result_number = models.CharField(_("số kết quả"), max_length=60, blank=True)
    verify_token = models.CharField(_("mã xác minh kết quả"), max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["key_owner", "client_token"], name="dossier_submitted_once_per_owner"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "-submitted_at"], name="dossier_unit_inbox"),
            models.Index(fields=["applicant", "-submitted_at"], name="dossier_applicant_recent"),
        ]
        permissions = [
            ("receive_dossier", _("Tiếp nhận, trả kết quả hồ sơ")),
            ("process_dossier", _("Xử lý hồ sơ (yêu cầu bổ sung, gia hạn, xin lỗi)")),
            ("decide_dossier", _("Phê duyệt hoặc từ chối giải quyết hồ sơ")),
        ]

    def __str__(self) -> str:
        return self.code

    OPEN_STATUSES = frozenset({"submitted", "received", "processing", "waiting"})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_due_soon(self) -> bool:
        """Open, running, and due within two days (inbox highlight)."""
        today = timezone.localdate()
        return bool(
            self.is_open
            and self.due_on
            and self.paused_since is None
            and today <= self.due_on <= today + datetime.timedelta(days=2)
        )

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_on and self.paused_since is None and self.due_on < timezone.localdate())


class DossierCounter(models.Model):
    """The day's sequence number per agency code (the XXXX of the dossier code)."""

    agency_code = models.CharField(max_length=13)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="dossier_counter_once")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last}"


def attachment_path(instance: DossierAttachment, filename: str) -> str:
    # A random name: the citizen's file name (often their own name) stays in the database only.
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class DossierAttachment(models.Model):
    """Thành phần hồ sơ — one file attached to a dossier (image or PDF by default)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    label = models.CharField(_("giấy tờ"), max_length=300)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.label}"


EVENT_LABELS = {
    "submit": _("Nộp hồ sơ"),
    "receive": _("Tiếp nhận"),
    "reject_intake": _("Từ chối tiếp nhận"),
    "start": _("Bắt đầu xử lý"),
    "request_supplement": _("Yêu cầu bổ sung"),
    "resume": _("Tiếp tục xử lý"),
    "supplement": _("Công dân bổ sung hồ sơ"),
    "approve": _("Phê duyệt"),
    "refuse": _("Từ chối giải quyết"),
    "return_result": _("Trả kết quả"),
    "assign": _("Giao xử lý"),
    "extend": _("Gia hạn"),
    "apology": _("Thư xin lỗi, hẹn lại ngày trả"),
    "rate": _("Đánh giá"),
    "complaint": _("Phản ánh, kiến nghị"),
    "complaint_answer": _("Trả lời phản ánh"),
}


class DossierEvent(models.Model):
    """Quá trình xử lý — one step of a dossier's timeline (also recorded in the audit trail)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    action = models.CharField(_("thao tác"), max_length=40)
    status_from = models.CharField(_("từ trạng thái"), max_length=16, blank=True)
    status_to = models.CharField(_("sang trạng thái"), max_length=16, blank=True)
    actor_label = models.CharField(_("người thực hiện"), max_length=200)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("lý do, nội dung"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("quá trình xử lý hồ sơ")
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def status_to_label(self) -> str:
        return str(Dossier.Status(self.status_to).label) if self.status_to in Dossier.Status.values else ""


class DossierPause(models.Model):
    """Tạm dừng — the clock stops while the dossier waits for the citizen's supplement."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.TextField(_("nội dung yêu cầu bổ sung"))

    class Meta:
        verbose_name = _("tạm dừng chờ bổ sung")
        verbose_name_plural = _("tạm dừng chờ bổ sung")
        ordering = ["dossier", "started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.started_on}–{self.ended_on or ''}"


class ApologyLetter(models.Model):
    """Thư xin lỗi — issued when a dossier will be returned late, with the new date."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    reason = models.TextField(_("lý do chậm"))
    old_due_on = models.DateField(_("hạn cũ"))
    new_due_on = models.DateField(_("hẹn lại ngày"))
    issued_at = models.DateTimeField(_("phát hành lúc"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("thư xin lỗi")
        verbose_name_plural = _("thư xin lỗi")
        ordering = ["dossier", "issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_on}"


class DossierRating(models.Model):
    """Đánh giá mức độ hài lòng — once per dossier, after the result."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("điểm"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("ý kiến"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("đánh giá lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"


class Complaint(BaseModel):
    """Phản ánh, kiến nghị — a citizen's complaint about a dossier's handling."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ trả lời")
        ANSWERED = "answered", _("Đã trả lời")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="complaints")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    text = models.TextField(_("nội dung phản ánh"), max_length=4000)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.text[:40]}"


class DossierStat(models.Model):
    """Số liệu tổng hợp — per unit, procedure and month, kept up to date by the services (one
    row touched per transition), so a dashboard reads a few hundred rows whatever the volume."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    received = models.PositiveIntegerField(default=0)  # submitted that month
    online = models.PositiveIntegerField(default=0)
    rejected_at_intake = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)  # approved or refused that month
    resolved_on_time = models.PositiveIntegerField(default=0)
    processing_days = models.PositiveIntegerField(default=0)  # working days, summed over ``resolved``
    suspended = models.PositiveIntegerField(default=0)  # supplement requests
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)  # ratings of 4 or 5
    with_attachments = models.PositiveIntegerField(default=0)  # submitted with digital files

    class Meta:
        verbose_name = _("số liệu tổng hợp hồ sơ")
        verbose_name_plural = _("số liệu tổng hợp hồ sơ")
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "month"], name="dossier_stat_once")]
        indexes = [models.Index(fields=["month", "unit"], name="dossier_stat_month")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id}/{self.month:%Y-%m}"
