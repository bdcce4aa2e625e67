"""Lưu trữ điện tử — digitised records: the scanned files officers hand in (each an archive item,
read by OCR into pages of text), the archival dossiers (hồ sơ) that hold them in order, and the
retention schedule that says how long each kind of dossier is kept (decision 0033)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel
from congan.core.text import fold


class RetentionSchedule(BaseModel):
    """Thời hạn bảo quản — how long dossiers of one record type are kept: permanently (vĩnh viễn)
    or a number of years counted from the year after the dossier closes. Kept as data: the operator
    adds the types of their own records schedule."""

    record_type = models.CharField(_("loại hồ sơ"), max_length=200, unique=True)
    years = models.PositiveSmallIntegerField(
        _("số năm bảo quản"), null=True, blank=True, help_text=_("Để trống nếu bảo quản vĩnh viễn.")
    )
    note = models.CharField(_("căn cứ, ghi chú"), max_length=300, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("thời hạn bảo quản")
        verbose_name_plural = _("bảng thời hạn bảo quản")
        ordering = ["record_type"]
        constraints = [
            models.CheckConstraint(condition=Q(years__isnull=True) | Q(years__gte=1), name="retention_years_positive")
        ]

    def __str__(self) -> str:
        return f"{self.record_type} ({self.period_label})"

    @property
    def is_permanent(self) -> bool:
        return self.years is None

    @property
    def period_label(self) -> str:
        if self.years is None:
            return str(_("vĩnh viễn"))
        return str(_("%(years)d năm") % {"years": self.years})


class Dossier(BaseModel):
    """Hồ sơ lưu trữ — an archival dossier: a file code of Decree 30 Appendix VI (FileCode: the
    agency's identifier, the year, the dossier's notation), a title, the period its records cover,
    its retention, where the paper original is kept, and its items in order."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="archive_dossiers", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm hình thành hồ sơ"))
    notation = models.CharField(
        _("số và ký hiệu hồ sơ"), max_length=20, help_text=_("Ví dụ 01.TH hoặc 12-HS (tối đa 20 ký tự).")
    )
    file_code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, default="")
    period_start = models.DateField(_("thời gian bắt đầu"), null=True, blank=True)
    period_end = models.DateField(_("thời gian kết thúc"), null=True, blank=True)
    retention = models.ForeignKey(
        RetentionSchedule, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thời hạn bảo quản")
    )
    physical_location = models.CharField(
        _("nơi lưu bản giấy"), max_length=200, blank=True, help_text=_("Kho, giá, hộp của bản gốc giấy.")
    )
    created_by = models.ForeignKey(
        "org.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người lập")
    )

    class Meta:
        verbose_name = _("hồ sơ lưu trữ")
        verbose_name_plural = _("hồ sơ lưu trữ")
        ordering = ["-year", "file_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="archive_dossier_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_code} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title_folded = fold(self.title)[:500]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)

    @property
    def due_year(self) -> int | None:
        """The last year the dossier must be kept (None: permanently). Decree 30 counts the
        retention from the year after the dossier's work ends."""
        if self.retention.years is None:
            return None
        closed = self.period_end.year if self.period_end else self.year
        return closed + self.retention.years


def file_code_of(agency_code: str, year: int, notation: str) -> str:
    """FileCode of Appendix VI: OrganId, FileCatalog (the year) and FileNotation, joined by dots."""
    return ".".join(part for part in (agency_code, str(year), notation) if part)


def original_path(instance: ArchiveItem, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"archive/originals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix[:5]}"


def archive_copy_path(instance: ArchiveItem, filename: str) -> str:
    return f"archive/pdfa/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ItemStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    PROCESSING = "processing", _("Đang nhận dạng")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class ItemSource(models.TextChoices):
    UPLOAD = "upload", _("Tải lên trên trang")
    API = "api", _("Gửi qua API")
    FOLDER = "folder", _("Thư mục máy quét")
    DEMO = "demo", _("Dữ liệu mẫu")


class ArchiveItem(BaseModel):
    """Tài liệu số hóa — one scanned file: the original kept unchanged with its SHA-256, and once
    read, the PDF/A archive copy with a text layer and the text of each page. An item belongs to
    a dossier once an officer files it there."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="archive_items", verbose_name=_("đơn vị")
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("hồ sơ")
    )
    position = models.PositiveIntegerField(_("thứ tự trong hồ sơ"), null=True, blank=True)
    title = models.CharField(_("tên tài liệu"), max_length=300)
    source = models.CharField(_("nguồn"), max_length=10, choices=ItemSource.choices, default=ItemSource.UPLOAD)
    original = models.FileField(_("tệp gốc"), upload_to=original_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    original_sha256 = models.CharField(_("SHA-256 tệp gốc"), max_length=64, db_index=True)
    original_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    content_type = models.CharField(_("kiểu tệp"), max_length=60, blank=True)
    archive_copy = models.FileField(_("bản lưu trữ PDF/A"), upload_to=archive_copy_path, max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.QUEUED)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), default=0)
    pages_done = models.PositiveIntegerField(_("số trang đã nhận dạng"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần xử lý"), default=0)
    lease_expires_at = models.DateTimeField(_("hạn giữ việc"), null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    processed_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    mean_confidence = models.FloatField(_("độ tin cậy trung bình"), null=True, blank=True)
    # Metadata an officer confirmed (from the suggestions or typed).
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "org.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    key_owner = models.CharField(max_length=40, blank=True, editable=False)
    client_token = models.CharField(_("khóa chống gửi trùng"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("tài liệu số hóa")
        verbose_name_plural = _("tài liệu số hóa")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="archive_item_claim")]
        constraints = [
            models.UniqueConstraint(
                fields=["key_owner", "client_token"], condition=~Q(client_token=""), name="archive_item_idempotency"
            ),
            models.UniqueConstraint(
                fields=["dossier", "position"], condition=Q(dossier__isnull=False), name="archive_item_dossier_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("archive:item", args=[self.pk])

    @property
    def progress_percent(self) -> int:
        if self.status == ItemStatus.DONE:
            return 100
        if not self.page_count:
            return 0
        return min(100, round(100 * self.pages_done / self.page_count))

    @property
    def is_finished(self) -> bool:
        return self.status in (ItemStatus.DONE, ItemStatus.FAILED)


class ArchivePage(models.Model):
    """Trang tài liệu — one page of an item: the text recognised on it (or corrected by an
    officer), the mean confidence of its words, its language, and whether it needs a reader's eye."""

    item = models.ForeignKey(ArchiveItem, on_delete=models.CASCADE, related_name="pages", verbose_name=_("tài liệu"))
    number = models.PositiveIntegerField(_("trang số"))
    text = models.TextField(_("nội dung"), blank=True)
    text_folded = models.TextField(editable=False, default="")
    confidence = models.FloatField(_("độ tin cậy (%)"), default=0)
    word_count = models.PositiveIntegerField(_("số từ"), default=0)
    language = models.CharField(_("ngôn ngữ"), max_length=20, blank=True)
    needs_review = models.BooleanField(_("cần soát lại"), default=False)
    corrected = models.BooleanField(_("đã sửa"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("trang tài liệu")
        verbose_name_plural = _("trang tài liệu")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="archive_page_number_unique")]

    def __str__(self) -> str:
        return f"{self.item} — {_('trang')} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_folded = fold(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_folded"}
        super().save(*args, **kwargs)


class PageVersion(models.Model):
    """Phiên bản nội dung trang — a text the page had before an officer corrected it: kept with who
    replaced it and when (the recognised text is the first version)."""

    page = models.ForeignKey(ArchivePage, on_delete=models.CASCADE, related_name="versions", verbose_name=_("trang"))
    text = models.TextField(_("nội dung trước khi sửa"), blank=True)
    was_recognised = models.BooleanField(_("là nội dung nhận dạng"), default=False)
    replaced_by = models.ForeignKey(
        "org.Officer", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("người sửa")
    )
    replaced_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phiên bản nội dung trang")
        verbose_name_plural = _("phiên bản nội dung trang")
        ordering = ["page", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page} @ {self.replaced_at:%d/%m/%Y %H:%M}"


class SuggestionKind(models.TextChoices):
    NUMBER_SYMBOL = "number_symbol", _("Số, ký hiệu văn bản")
    DATE = "date", _("Ngày tháng")
    ISSUER = "issuer", _("Cơ quan ban hành")
    PERSONAL_ID = "personal_id", _("Số định danh cá nhân")
    PLATE = "plate", _("Biển số xe")


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Đề xuất")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REJECTED = "rejected", _("Đã bỏ qua")


class MetadataSuggestion(models.Model):
    """Thông tin gợi ý — a value rules found in an item's text (a number and symbol, a date, an
    issuer, a personal ID number, a plate), which an officer confirms or sets aside."""

    item = models.ForeignKey(
        ArchiveItem, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("tài liệu")
    )
    page_number = models.PositiveIntegerField(_("trang"))
    kind = models.CharField(_("loại"), max_length=20, choices=SuggestionKind.choices)
    value = models.CharField(_("giá trị"), max_length=200)
    display = models.CharField(_("hiển thị"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.SUGGESTED
    )
    decided_by = models.ForeignKey(
        "org.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    decided_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông tin gợi ý")
        verbose_name_plural = _("thông tin gợi ý")
        ordering = ["item", "kind", "page_number", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "kind", "value"], name="archive_suggestion_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display}"
