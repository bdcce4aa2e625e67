"""Online public services: the procedure catalogue (thủ tục hành chính) and versioned forms."""

from __future__ import annotations

from django.db import models
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
    unverified = models.JSONField(
        _("giá trị chưa xác minh"), default=list, blank=True,
        help_text=_("Tên các trường có giá trị chưa đối chiếu với văn bản gốc."),
    )  # fmt: skip
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
    submitted_at = models.DateTimeField(_("nộp lúc"))
    due_on = models.DateField(_("hạn giải quyết"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "client_token"], name="dossier_submitted_once"),
        ]
        indexes = [models.Index(fields=["unit", "status", "-submitted_at"], name="dossier_unit_inbox")]

    def __str__(self) -> str:
        return self.code


class DossierCounter(models.Model):
    """The day's sequence number per agency code (the XXXX of the dossier code)."""

    agency_code = models.CharField(max_length=13)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="dossier_counter_once")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last}"
