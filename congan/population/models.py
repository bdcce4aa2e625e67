"""Residents, households, residence history, enrichment provenance, partner policies, imports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import ApiKey, BaseModel
from congan.org.models import Unit
from congan.population import vocabularies

personal_id_validator = RegexValidator(r"^[0-9]{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))
commune_code_validator = RegexValidator(r"^[0-9]{5}$", _("Mã xã gồm 5 chữ số."))


def nationality_validator(value: str) -> None:
    if not vocabularies.is_nationality(value):
        raise ValidationError(_("Quốc tịch không có trong danh mục quốc gia."), code="nationality")


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Relationship(models.TextChoices):
    """Quan hệ với chủ hộ."""

    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Cha/mẹ")
    SIBLING = "sibling", _("Anh/chị/em")
    GRANDCHILD = "grandchild", _("Cháu")
    GRANDPARENT = "grandparent", _("Ông/bà")
    OTHER_RELATIVE = "relative", _("Người thân khác")
    OTHER = "other", _("Khác")


class Household(BaseModel):
    """Hộ gia đình — a household registered at one address, with a head (chủ hộ)."""

    code = models.CharField(_("số hộ"), max_length=20, unique=True)
    head = models.ForeignKey(
        "Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("chủ hộ")
    )
    address_commune = models.CharField(
        _("xã, phường"), max_length=5, validators=[commune_code_validator], db_index=True
    )
    address_street = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("đơn vị quản lý")
    )

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Resident(BaseModel):
    """Công dân — a person in the province's slice of the National Population Database.

    Birth dates may be partial (year only, or year and month): ``birth_year`` is always set,
    ``birth_month`` and ``birth_day`` only when known.
    """

    class Status(models.TextChoices):
        ALIVE = "alive", _("Còn sống")
        DECEASED = "deceased", _("Đã chết")
        EMIGRATED = "emigrated", _("Đã xuất cảnh định cư")

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, validators=[personal_id_validator])
    full_name = models.CharField(_("họ, chữ đệm và tên"), max_length=150)
    # Searched with "contains": a b-tree index would not serve it, and every write would pay for it.
    full_name_folded = models.CharField(max_length=150, editable=False)
    sort_name = models.CharField(max_length=800, editable=False, default="")
    other_names = models.CharField(_("tên gọi khác"), max_length=150, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), db_index=True)
    birth_month = models.PositiveSmallIntegerField(_("tháng sinh"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    birth_registration_place = models.CharField(_("nơi đăng ký khai sinh"), max_length=200, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=200, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    religion = models.CharField(_("tôn giáo"), max_length=60, blank=True)
    nationality = models.CharField(
        _("quốc tịch"), max_length=2, default=vocabularies.VIETNAM, validators=[nationality_validator]
    )
    permanent_commune = models.CharField(
        _("thường trú: xã, phường"), max_length=5, blank=True, validators=[commune_code_validator]
    )
    permanent_street = models.CharField(_("thường trú: địa chỉ"), max_length=300, blank=True)
    temporary_commune = models.CharField(
        _("tạm trú: xã, phường"), max_length=5, blank=True, validators=[commune_code_validator]
    )
    temporary_street = models.CharField(_("tạm trú: địa chỉ"), max_length=300, blank=True)
    current_commune = models.CharField(
        _("nơi ở hiện tại: xã, phường"), max_length=5, blank=True, validators=[commune_code_validator]
    )
    current_street = models.CharField(_("nơi ở hiện tại: địa chỉ"), max_length=300, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("hộ")
    )
    relationship = models.CharField(_("quan hệ với chủ hộ"), max_length=12, choices=Relationship.choices, blank=True)
    id_card_number = models.CharField(_("số thẻ căn cước"), max_length=12, blank=True)
    id_card_issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    id_card_expires_on = models.DateField(_("có giá trị đến"), null=True, blank=True)
    id_card_authority = models.CharField(_("nơi cấp"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.ALIVE)
    partner_lookup_locked = models.BooleanField(
        _("khóa tra cứu của đối tác"),
        default=False,
        help_text=_("Công dân yêu cầu khóa; chỉ các tra cứu pháp luật bắt buộc vẫn được phép."),
    )
    enriched = models.JSONField(
        _("trường làm giàu"),
        default=dict,
        blank=True,
        help_text=_("Giá trị do cơ quan khác cung cấp, kèm lô nhập (nguồn, thời điểm nhận)."),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="residents", verbose_name=_("đơn vị quản lý"), db_index=False
    )  # served by the (unit, sort_name) index

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = _("công dân")
        ordering = ["sort_name", "pk"]
        permissions = [
            ("view_resident_profile", _("Tra cứu hồ sơ công dân")),
            ("import_enrichment", _("Nhập dữ liệu làm giàu")),
        ]
        constraints = [
            # A constraint rather than unique=True: on PostgreSQL the field option adds a second,
            # LIKE-pattern index that exact lookups never use and every insert would maintain.
            models.UniqueConstraint(fields=["personal_id"], name="resident_personal_id_unique"),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="resident_birth_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True)
                | (Q(birth_day__gte=1, birth_day__lte=31) & Q(birth_month__isnull=False)),
                name="resident_birth_day",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "sort_name"], name="resident_unit_sort"),
            models.Index(fields=["current_commune"], name="resident_current_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id})"

    @property
    def nationality_display(self) -> str:
        return vocabularies.nationality_name(self.nationality)

    @property
    def birth_date_display(self) -> str:
        """dd/mm/yyyy, mm/yyyy or yyyy depending on what is known."""
        if self.birth_day and self.birth_month:
            return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year}"
        if self.birth_month:
            return f"{self.birth_month:02d}/{self.birth_year}"
        return str(self.birth_year)


class ResidenceRecord(BaseModel):
    """Lịch sử cư trú — one period of permanent or temporary residence."""

    class Kind(models.TextChoices):
        PERMANENT = "permanent", _("Thường trú")
        TEMPORARY = "temporary", _("Tạm trú")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="residence_history")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    commune = models.CharField(_("xã, phường"), max_length=5, validators=[commune_code_validator])
    street = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch sử cư trú")
        verbose_name_plural = _("lịch sử cư trú")
        ordering = ["resident", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.kind} {self.commune} {self.valid_from}"


class ResidentChange(models.Model):
    """Lịch sử thay đổi — one field of one resident changed: who, when, from which source."""

    # Imports write millions of these rows: no index or constraint that no query needs. The
    # (resident, -changed_at) index serves the resident lookups. Rows are written only by the
    # services and the import, from the resident row itself, and never updated; deleting a
    # resident cascades in Django. A per-row foreign-key trigger (checked at commit) would cost
    # an import as much as the inserts, so the links carry no database constraint.
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="changes", db_index=False, db_constraint=False
    )
    field = models.CharField(_("trường"), max_length=64)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    changed_at = models.DateTimeField(_("thời điểm"))
    changed_by = models.CharField(_("người thay đổi"), max_length=200, blank=True)
    source = models.CharField(_("nguồn"), max_length=120, blank=True)
    batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lô nhập"),
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("thay đổi thông tin")
        verbose_name_plural = _("lịch sử thay đổi thông tin")
        ordering = ["resident", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["resident", "-changed_at"], name="resident_change_recent")]

    def __str__(self) -> str:
        return f"{self.resident_id}.{self.field} @ {self.changed_at:%Y-%m-%d}"


class HouseholdChange(models.Model):
    """Biến động hộ — a typed change to a household with its effective date."""

    class Kind(models.TextChoices):
        ADD_MEMBER = "add_member", _("Thêm thành viên")
        REMOVE_MEMBER = "remove_member", _("Xóa thành viên")
        CHANGE_HEAD = "change_head", _("Thay đổi chủ hộ")
        SPLIT = "split", _("Tách hộ")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("loại biến động"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    resident = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("biến động hộ")
        verbose_name_plural = _("biến động hộ")
        ordering = ["household", "-effective_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.effective_date}"


class PartnerPolicy(BaseModel):
    """Chính sách chia sẻ — what one partner key may do with the registry and which fields it receives."""

    class Operation(models.TextChoices):
        VERIFY = "verify", _("Xác thực thông tin")
        VERIFY_BATCH = "verify_batch", _("Xác thực theo lô")
        READ = "read", _("Đọc thông tin công dân")

    api_key = models.OneToOneField(ApiKey, on_delete=models.CASCADE, related_name="population_policy")
    operations = models.JSONField(_("thao tác được phép"), default=list, blank=True)
    fields = models.JSONField(_("trường được nhận"), default=list, blank=True)
    legal_bases = models.JSONField(
        _("căn cứ pháp lý chấp nhận"),
        default=list,
        blank=True,
        help_text=_("Để trống: chấp nhận mọi căn cứ được khai báo."),
    )
    overrides_citizen_lock = models.BooleanField(
        _("tra cứu bắt buộc theo luật"),
        default=False,
        help_text=_("Được tra cứu cả hồ sơ công dân đã khóa (chỉ cho cơ quan luật quy định)."),
    )

    class Meta:
        verbose_name = _("chính sách chia sẻ dữ liệu")
        verbose_name_plural = _("chính sách chia sẻ dữ liệu")

    def __str__(self) -> str:
        return f"{self.api_key}"


class ImportBatch(BaseModel):
    """Lô nhập dữ liệu làm giàu — one file from a partner agency, resumable from its checkpoint."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    source_agency = models.CharField(_("cơ quan cung cấp"), max_length=120)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_path = models.CharField(_("đường dẫn lưu trữ"), max_length=500)
    file_sha256 = models.CharField(_("mã băm tệp"), max_length=64, db_index=True)
    file_format = models.CharField(_("định dạng"), max_length=8)
    mapping = models.JSONField(_("ánh xạ cột"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    checkpoint_row = models.PositiveIntegerField(_("đã xử lý đến dòng"), default=0)
    created_count = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated_count = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("không đổi"), default=0)
    rejected_count = models.PositiveIntegerField(_("bị từ chối"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(_("mã tác vụ nền"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))

    class Meta:
        verbose_name = _("lô nhập dữ liệu")
        verbose_name_plural = _("lô nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_agency} · {self.file_name}"


class ImportReject(models.Model):
    """Dòng bị từ chối — one rejected row of an import, with the field and the reason."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejects")
    row_number = models.PositiveIntegerField(_("dòng"))
    field = models.CharField(_("trường"), max_length=64, blank=True)
    reason = models.CharField(_("lý do"), max_length=500)

    class Meta:
        verbose_name = _("dòng bị từ chối")
        verbose_name_plural = _("dòng bị từ chối")
        ordering = ["batch", "row_number"]
        constraints = [models.UniqueConstraint(fields=["batch", "row_number", "field"], name="import_reject_once")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.field}"


class PartnerLookup(models.Model):
    """Tra cứu theo lô — one person looked up by a partner's batch call.

    A batch call is one hash-chained audit event whose details hold the SHA-256 of the sorted
    resident ids it looked up; these rows (same ``call_id``) are what "who viewed" lists per
    person, and ``lookups_match_audit`` proves them against the event.
    """

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )  # written in bulk from the resident rows just read; the (resident, -occurred_at) index serves reads
    occurred_at = models.DateTimeField(_("thời điểm"))
    call_id = models.CharField(_("mã lời gọi"), max_length=32, db_index=True)
    actor_label = models.CharField(_("cơ quan đối tác"), max_length=200)
    action = models.CharField(_("thao tác"), max_length=100)
    purpose = models.CharField(_("mục đích"), max_length=500)

    class Meta:
        verbose_name = _("tra cứu theo lô của đối tác")
        verbose_name_plural = _("tra cứu theo lô của đối tác")
        indexes = [models.Index(fields=["resident", "-occurred_at"], name="partner_lookup_recent")]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.resident_id}"


class CitizenAccount(BaseModel):
    """Tài khoản định danh — a citizen's own account for online public services.

    Level 1: the personal ID number, full name and date of birth matched the registry at sign-up.
    Level 2: an officer confirmed the person in front of them against their identity card.
    """

    class Level(models.IntegerChoices):
        BASIC = 1, _("Mức 1")
        VERIFIED = 2, _("Mức 2")

    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="citizen_account", verbose_name=_("công dân")
    )
    phone = models.CharField(_("điện thoại nhận mã"), max_length=20)
    password = models.CharField(_("mật khẩu (đã băm)"), max_length=128)
    level = models.PositiveSmallIntegerField(_("mức"), choices=Level.choices, default=Level.BASIC)
    level2_confirmed_at = models.DateTimeField(_("xác nhận mức 2 lúc"), null=True, blank=True)
    level2_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ xác nhận mức 2"),
    )
    failed_logins = models.PositiveSmallIntegerField(_("số lần sai mật khẩu liên tiếp"), default=0)
    locked_until = models.DateTimeField(_("tạm khóa đến"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)
    # Raised when the password changes: every session and API token issued before is void.
    credentials_version = models.PositiveIntegerField(default=1, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tài khoản định danh công dân")
        verbose_name_plural = _("tài khoản định danh công dân")
        ordering = ["-created_at"]
        permissions = [("confirm_citizen_account", _("Xác nhận tài khoản định danh mức 2"))]

    def __str__(self) -> str:  # masked: it names the account in admin titles and logs
        return f"******{self.resident.personal_id[-6:]} ({self.get_level_display()})"


class CitizenCode(models.Model):
    """Mã một lần — a one-time code sent to a citizen's phone (password reset)."""

    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="codes")
    purpose = models.CharField(max_length=20, default="password_reset")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã một lần")
        verbose_name_plural = _("mã một lần")
        indexes = [models.Index(fields=["account", "-created_at"], name="citizen_code_recent")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
