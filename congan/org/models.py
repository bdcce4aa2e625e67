"""Units (tree), officers, ranks, clearance and training records."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel
from congan.core.text import fold, vietnamese_name_sort_string

AGENCY_CODE_PATTERN = r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$"


class Unit(BaseModel):
    """Đơn vị — a node of the police organisation tree (Bộ → tỉnh → phòng/xã → đội)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ Công an")
        PROVINCE = "province", _("Công an tỉnh, thành phố")
        DEPARTMENT = "department", _("Phòng nghiệp vụ")
        COMMUNE = "commune", _("Công an xã")
        WARD = "ward", _("Công an phường")
        SPECIAL_ZONE = "special_zone", _("Công an đặc khu")
        TEAM = "team", _("Đội, tổ")

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(_("đường dẫn cây"), max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)
    area_code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=5,
        blank=True,
        help_text=_("Mã đơn vị hành chính 2025 của Cục Thống kê (tỉnh 2 số, xã 5 số)."),
        validators=[RegexValidator(r"^(\d{2}|\d{5})$", _("Mã gồm 2 hoặc 5 chữ số."))],
    )
    agency_code = models.CharField(
        _("mã định danh điện tử"),
        max_length=13,
        blank=True,
        help_text=_("Mã cơ quan theo QCVN 102:2016/BTTTT, ví dụ 000.00.00.H30; đứng đầu số hồ sơ thủ tục hành chính."),
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$", _("Dạng V1V2V3.Z1Z2.Y1Y2.MX1X2.")
            )
        ],
    )
    symbol = models.CharField(
        _("ký hiệu viết tắt"),
        max_length=20,
        blank=True,
        help_text=_(
            "Chữ viết tắt tên đơn vị trong số, ký hiệu văn bản (Nghị định 30/2020/NĐ-CP), ví dụ CAT, PV01, CAP; "
            "chữ in hoa, chữ số."
        ),
        validators=[RegexValidator(r"^[A-ZĐ0-9]+$", _("Chỉ dùng chữ in hoa (A–Z, Đ) và chữ số, không dấu cách."))],
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        permissions = [("view_all_units", _("Xem dữ liệu của mọi đơn vị"))]
        # varchar_pattern_ops lets PostgreSQL serve "path LIKE 'prefix%'" from the index.
        indexes = [models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="unit_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="unit_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)


class Rank(models.TextChoices):
    """Cấp bậc hàm trong Công an nhân dân."""

    HA_SI = "ha_si", _("Hạ sĩ")
    TRUNG_SI = "trung_si", _("Trung sĩ")
    THUONG_SI = "thuong_si", _("Thượng sĩ")
    THIEU_UY = "thieu_uy", _("Thiếu úy")
    TRUNG_UY = "trung_uy", _("Trung úy")
    THUONG_UY = "thuong_uy", _("Thượng úy")
    DAI_UY = "dai_uy", _("Đại úy")
    THIEU_TA = "thieu_ta", _("Thiếu tá")
    TRUNG_TA = "trung_ta", _("Trung tá")
    THUONG_TA = "thuong_ta", _("Thượng tá")
    DAI_TA = "dai_ta", _("Đại tá")
    THIEU_TUONG = "thieu_tuong", _("Thiếu tướng")
    TRUNG_TUONG = "trung_tuong", _("Trung tướng")
    THUONG_TUONG = "thuong_tuong", _("Thượng tướng")
    DAI_TUONG = "dai_tuong", _("Đại tướng")


class Clearance(models.IntegerChoices):
    """Mức được tiếp cận bí mật nhà nước (Luật 29/2018/QH14). Integers so levels compare."""

    NONE = 0, _("Không")
    SECRET = 1, _("Mật")
    TOP_SECRET = 2, _("Tối mật")
    ULTRA_SECRET = 3, _("Tuyệt mật")


class OfficerManager(BaseUserManager["Officer"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields) -> Officer:
        if not username:
            raise ValueError("username is required")
        officer = self.model(username=username, **fields)
        officer.set_password(password)
        officer.save(using=self._db)
        return officer

    def create_superuser(self, username: str, password: str | None = None, **fields) -> Officer:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(username, password, **fields)


class Officer(AbstractBaseUser, PermissionsMixin):
    """Cán bộ chiến sĩ — an officer, and the login account of the platform."""

    username = models.CharField(
        _("tên đăng nhập"),
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9_.-]+$", _("Chỉ dùng chữ thường không dấu, số, dấu chấm, gạch."))],
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    full_name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    sort_name = models.CharField(max_length=800, editable=False, db_index=True, default="")
    officer_number = models.CharField(_("số hiệu"), max_length=20, blank=True)
    rank = models.CharField(_("cấp bậc"), max_length=16, choices=Rank.choices, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("đơn vị"),
    )
    clearance = models.PositiveSmallIntegerField(
        _("mức tiếp cận bí mật"), choices=Clearance.choices, default=Clearance.NONE
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    objects = OfficerManager()
    # Set on the signed-in user by django_otp's OTPMiddleware (a type hint only, not a field).
    is_verified: Callable[[], bool]

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["sort_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer_number"],
                condition=~Q(officer_number=""),
                name="officer_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        self.full_name_folded = fold(self.full_name)
        self.sort_name = vietnamese_name_sort_string(self.full_name)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username

    def in_role(self, *roles: str) -> bool:
        return self.groups.filter(name__in=roles).exists()


class TrainingCourse(BaseModel):
    """Lớp tập huấn — a training course organised by a unit."""

    topic = models.CharField(_("chủ đề"), max_length=300)
    topic_folded = models.CharField(max_length=300, editable=False, db_index=True)
    description = models.TextField(_("nội dung"), blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    location = models.CharField(_("địa điểm"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="training_courses",
        verbose_name=_("đơn vị tổ chức"),
    )

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-start_date", "topic"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="training_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.topic

    def save(self, *args, **kwargs) -> None:
        self.topic_folded = fold(self.topic)
        super().save(*args, **kwargs)


class TrainingAttendance(BaseModel):
    """Kết quả tham gia tập huấn của một cán bộ."""

    class Result(models.TextChoices):
        REGISTERED = "registered", _("Đã đăng ký")
        ATTENDED = "attended", _("Đã tham gia")
        PASSED = "passed", _("Đạt")
        FAILED = "failed", _("Không đạt")
        ABSENT = "absent", _("Vắng")

    course = models.ForeignKey(
        TrainingCourse, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("lớp")
    )
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("cán bộ"))
    result = models.CharField(_("kết quả"), max_length=16, choices=Result.choices, default=Result.REGISTERED)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lượt tham gia tập huấn")
        verbose_name_plural = _("lượt tham gia tập huấn")
        constraints = [models.UniqueConstraint(fields=["course", "officer"], name="attendance_once_per_course")]

    def __str__(self) -> str:
        return f"{self.officer} · {self.course}"


class CommuneBoundary(models.Model):
    """Ranh giới xã, phường — a commune's polygon (GeoJSON, longitude first), imported from the
    province's file by ``congan geo import-boundaries``; its box narrows the candidates of a
    point before the exact test."""

    area_code = models.CharField(_("mã xã, phường"), max_length=5, unique=True)
    name = models.CharField(_("tên trong tệp"), max_length=200, blank=True)
    geometry = models.JSONField(_("ranh giới (GeoJSON)"))
    min_latitude = models.FloatField()
    max_latitude = models.FloatField()
    min_longitude = models.FloatField()
    max_longitude = models.FloatField()
    source = models.CharField(_("nguồn"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("ranh giới xã, phường")
        verbose_name_plural = _("ranh giới xã, phường")
        indexes = [models.Index(fields=["min_latitude", "max_latitude"], name="boundary_latitudes")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.name}"
