"""Official documents (văn bản hành chính, Decree 30/2020/NĐ-CP): document types, the number series
of each register, and the register of incoming documents (sổ đăng ký văn bản đến)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel
from congan.documents.symbols import number_and_symbol


class Urgency(models.IntegerChoices):
    """Độ khẩn. Integers as edXML's Priority (0 thường … 3 hỏa tốc), so the most urgent sort first."""

    NORMAL = 0, _("Thường")
    URGENT = 1, _("Khẩn")
    VERY_URGENT = 2, _("Thượng khẩn")
    FLASH = 3, _("Hỏa tốc")


class Classification(models.IntegerChoices):
    """Độ mật (Luật Bảo vệ bí mật nhà nước 29/2018/QH14). The same levels as an officer's clearance
    (org.Clearance): an officer reads a classified entry when clearance >= classification."""

    NORMAL = 0, _("Thường")
    SECRET = 1, _("Mật")
    TOP_SECRET = 2, _("Tối mật")
    ULTRA_SECRET = 3, _("Tuyệt mật")


class DocumentType(models.Model):
    """Tên loại văn bản — a document type of Decree 30/2020, Appendix III (data/document_types.json).

    A công văn has no abbreviation: its symbol is the issuer's alone (``05/CAT-PV01``)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản có tên loại")
        LETTER = "letter", _("Công văn")
        COPY = "copy", _("Bản sao")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=5, blank=True)
    name = models.CharField(_("tên loại"), max_length=100)
    kind = models.CharField(_("nhóm"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["abbreviation"], condition=~Q(abbreviation=""), name="doctype_abbr_once"),
            models.CheckConstraint(
                condition=Q(kind="letter", abbreviation="") | (~Q(kind="letter") & ~Q(abbreviation="")),
                name="doctype_letter_has_no_abbr",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class NumberSeries(models.Model):
    """Dãy số của một sổ — the last number taken in one series: per unit and year, the incoming
    register ("số đến", continuous through the year), the outgoing one per document type, the
    internal one; secret documents have series of their own. Numbers are taken by
    ``numbering.number_take`` with the row locked, in the transaction that writes the document."""

    class Book(models.TextChoices):
        INCOMING = "incoming", _("Văn bản đến")
        OUTGOING = "outgoing", _("Văn bản đi")
        INTERNAL = "internal", _("Văn bản nội bộ")
        COPY = "copy", _("Bản sao")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    book = models.CharField(_("sổ"), max_length=10, choices=Book.choices)
    series = models.CharField(_("dãy"), max_length=40, blank=True, help_text=_("Mã loại văn bản (sổ văn bản đi)."))
    secret = models.BooleanField(_("văn bản mật"), default=False)
    last = models.PositiveBigIntegerField(_("số đã cấp cuối cùng"), default=0)

    class Meta:
        verbose_name = _("dãy số văn bản")
        verbose_name_plural = _("dãy số văn bản")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "book", "series", "secret"], name="number_series_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.book} {self.series} {self.last}"


# After registration an entry moves on (Decree 30, Art. 24): a leader's directive (bút phê), handling,
# done. Every one of these is in the register and numbered.
REGISTERED_STATUSES = ("registered", "directed", "in_progress", "done")


def incoming_file_path(instance: IncomingDocument, filename: str) -> str:
    return f"documents/incoming/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class IncomingDocument(BaseModel):
    """Văn bản đến — one entry of a unit's incoming register (Decree 30/2020, Appendix IV §VI: the
    ten columns), received first (by hand, or from another system through the API) and registered
    by the records clerk (văn thư), who takes its arrival number then and not before.

    A classified entry (Mật and above) is metadata only: the platform is networked, so it refuses
    any file of it (Law 29/2018, domain-vietnam.md §5)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Chờ đăng ký")
        REGISTERED = "registered", _("Đã đăng ký")
        DIRECTED = "directed", _("Đã có ý kiến chỉ đạo")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        DONE = "done", _("Đã xử lý xong")

    class Channel(models.TextChoices):
        PAPER = "paper", _("Bản giấy")
        ELECTRONIC = "electronic", _("Văn bản điện tử")
        SYSTEM = "system", _("Hệ thống khác gửi qua API")
        EDXML = "edxml", _("Liên thông edXML")
        PLATFORM = "platform", _("Từ đơn vị trong hệ thống")

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="incoming_documents", verbose_name=_("đơn vị nhận")
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(_("hình thức nhận"), max_length=12, choices=Channel.choices, default=Channel.PAPER)
    # (1) Ngày đến, (2) Số đến: the number is null until the entry is registered.
    received_on = models.DateField(_("ngày đến"))
    year = models.PositiveSmallIntegerField(_("năm của sổ"), null=True, blank=True)
    arrival_number = models.PositiveBigIntegerField(_("số đến"), null=True, blank=True)
    secret = models.BooleanField(_("sổ văn bản mật"), default=False, editable=False)
    # (3) Tác giả
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=200)
    issuer_agency_id = models.CharField(_("mã định danh cơ quan ban hành"), max_length=35, blank=True)
    # (4) Số, ký hiệu
    number = models.PositiveBigIntegerField(_("số văn bản"), null=True, blank=True)
    notation = models.CharField(_("ký hiệu"), max_length=30, blank=True)
    # (5) Ngày tháng văn bản
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    # (6) Tên loại và trích yếu nội dung
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại văn bản")
    )
    subject = models.CharField(_("trích yếu nội dung"), max_length=500)
    # (7) Đơn vị hoặc người nhận, (8) Ngày chuyển, (9) Ký nhận
    recipient_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị nhận xử lý"),
    )
    recipient_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận xử lý"),
    )
    handed_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ký nhận"),
    )
    acknowledged_at = models.DateTimeField(_("ký nhận lúc"), null=True, blank=True)
    # (10) Ghi chú
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    urgency = models.PositiveSmallIntegerField(_("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NORMAL
    )
    file = models.FileField(_("tệp văn bản"), upload_to=incoming_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    file_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    duplicate_confirmed = models.BooleanField(_("đã xác nhận không trùng"), default=False)
    registered_at = models.DateTimeField(_("đăng ký lúc"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đăng ký"),
    )
    # The idempotency key of an entry received through the API, and whose it is (the key's client).
    client_token = models.CharField(_("khóa chống gửi trùng"), max_length=64, blank=True)
    # Sent inside the platform (văn bản đi of another unit), and withdrawn when that one is recalled:
    # the entry leaves the registers and lists, its metadata and timeline stay.
    source_outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("văn bản đi gốc"),
    )
    withdrawn_at = models.DateTimeField(_("bị thu hồi lúc"), null=True, blank=True)
    # An electronic copy (bản sao điện tử) another unit of the platform made and sent.
    source_copy = models.ForeignKey(
        "documents.DocumentCopy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_entries",
        verbose_name=_("bản sao gốc"),
    )
    # An optional access list (ordinary entries): when ``restricted``, only these see it.
    restricted = models.BooleanField(_("giới hạn người xem"), default=False)
    allowed_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("cán bộ được xem")
    )
    allowed_units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name=_("đơn vị được xem"))
    key_owner = models.CharField(max_length=80, blank=True, editable=False)
    issuer_folded = models.CharField(max_length=200, editable=False, db_index=True)
    search_folded = models.TextField(editable=False)
    # The register's first sort key, kept by the database itself (no write path to forget): the
    # urgency while nobody has acknowledged the document, 0 after. Indexed with the rest of the
    # register's order, so a page of a million-entry register is read in order, never sorted.
    pending_urgency = models.GeneratedField(
        expression=Case(
            When(acknowledged_at__isnull=True, then=F("urgency")), default=Value(0), output_field=models.IntegerField()
        ),
        output_field=models.IntegerField(),
        db_persist=True,
        verbose_name=_("độ khẩn chờ ký nhận"),
    )

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-received_on", "-arrival_number"]
        indexes = [
            models.Index(fields=["unit", "status", "received_on"], name="incoming_unit_day"),
            models.Index(fields=["unit", "number", "notation"], name="incoming_duplicate_key"),
            # The register page's order within one unit's book (selectors.urgent_pending_first): the
            # registered entries whatever their handling step (registered, directed, in progress,
            # done), so that the page reads the index in order instead of sorting four statuses.
            models.Index(
                fields=["unit", "secret", "-pending_urgency", "-received_on", "-arrival_number", "-id"],
                condition=~Q(status="received"),
                name="incoming_register_order",
            ),
            # The dashboard's counts of what nobody has acknowledged yet (a small part of a register).
            models.Index(
                fields=["unit", "status", "urgency"],
                condition=Q(acknowledged_at__isnull=True),
                name="incoming_unacknowledged",
            ),
            models.Index(
                fields=["recipient_unit"], condition=Q(acknowledged_at__isnull=True), name="incoming_unit_to_sign"
            ),
            models.Index(
                fields=["recipient_officer"],
                condition=Q(acknowledged_at__isnull=True),
                name="incoming_officer_to_sign",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "secret", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="incoming_arrival_number_once",
            ),
            models.UniqueConstraint(
                fields=["key_owner", "client_token"], condition=~Q(client_token=""), name="incoming_token_once"
            ),
            models.CheckConstraint(
                condition=Q(status="received", arrival_number__isnull=True, year__isnull=True)
                | (~Q(status="received") & Q(arrival_number__isnull=False, year__isnull=False)),
                name="incoming_numbered_when_registered",
            ),
            models.CheckConstraint(
                condition=Q(secret=True, classification__gt=0) | Q(secret=False, classification=0),
                name="incoming_secret_series",
            ),
            models.CheckConstraint(condition=Q(classification=0) | Q(file=""), name="incoming_secret_has_no_file"),
        ]

    def __str__(self) -> str:
        return self.number_symbol or self.subject[:60]

    @property
    def number_symbol(self) -> str:
        """Số, ký hiệu as written on the document: ``15/QĐ-CAT-PV01``."""
        return number_and_symbol(self.number, self.notation)

    @property
    def arrival_display(self) -> str:
        """The arrival number as written on the stamp: ``05`` (empty before registration)."""
        return f"{self.arrival_number:02d}" if self.arrival_number is not None else ""

    @property
    def is_registered(self) -> bool:
        """In the register: registered, and whatever handling followed (directed, in progress, done)."""
        return self.status in REGISTERED_STATUSES

    @property
    def is_urgent(self) -> bool:
        return self.urgency > Urgency.NORMAL

    @property
    def is_classified(self) -> bool:
        return self.classification > Classification.NORMAL


class DocumentEvent(models.Model):
    """One step on an incoming document's timeline (received, registered, handed over, acknowledged)."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    note = models.CharField(max_length=500, blank=True)
    actor_label = models.CharField(max_length=200)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bước xử lý văn bản")
        verbose_name_plural = _("quá trình xử lý văn bản")
        ordering = ["document", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.action}"

    def action_display(self) -> str:
        return str(STEP_LABELS.get(self.action, self.action))


STEP_LABELS = {
    "receive": _("Tiếp nhận"),
    "register": _("Vào sổ văn bản đến"),
    "duplicate_confirmed": _("Xác nhận không trùng"),
    "hand_over": _("Chuyển xử lý"),
    "acknowledge": _("Ký nhận"),
    "directed": _("Lãnh đạo cho ý kiến chỉ đạo (bút phê)"),
    "in_progress": _("Bắt đầu xử lý"),
    "done": _("Xử lý xong"),
    "recall": _("Thu hồi"),
    "access": _("Đặt danh sách người xem"),
    "copy": _("Sao văn bản"),
}


# --- outgoing documents (văn bản đi) ---------------------------------------------------------------


def outgoing_file_path(instance: models.Model, filename: str) -> str:
    suffix = ".docx" if filename.lower().endswith(".docx") else ".pdf"
    return f"documents/outgoing/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class OutgoingDocument(BaseModel):
    """Văn bản đi — a document a unit drafts, has reviewed and approved, signed by its leader, and
    issues: the number is taken from the unit's outgoing series of the type for the year (a secret
    series for classified ones) when it is issued, never earlier (Decree 30/2020, Articles 15–16).

    Issued, it is sent inside the platform as an incoming entry of each recipient unit (the same
    PDF bytes) and to outside addresses through the notification outbox; the issuing unit's leader
    may recall it, which freezes it and withdraws the recipients' entries. A classified document is
    metadata only: no body, no file, no PDF (Law 29/2018, domain-vietnam.md §5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        IN_REVIEW = "in_review", _("Đang trình duyệt")
        APPROVED = "approved", _("Đã duyệt nội dung")
        SIGNED = "signed", _("Đã ký duyệt, chờ phát hành")
        ISSUED = "issued", _("Đã phát hành")
        RECALLED = "recalled", _("Đã thu hồi")

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="outgoing_documents", verbose_name=_("đơn vị ban hành")
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại văn bản")
    )
    subject = models.CharField(_("trích yếu nội dung"), max_length=500)
    urgency = models.PositiveSmallIntegerField(_("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NORMAL
    )
    secret = models.BooleanField(_("sổ văn bản mật"), default=False, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người soạn thảo")
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ký"),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    signed_at = models.DateTimeField(_("ký duyệt lúc"), null=True, blank=True)
    # Số, ký hiệu and date: empty until the document is issued.
    year = models.PositiveSmallIntegerField(_("năm của sổ"), null=True, blank=True)
    number = models.PositiveBigIntegerField(_("số văn bản"), null=True, blank=True)
    notation = models.CharField(_("ký hiệu"), max_length=30, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(_("bản phát hành (PDF)"), upload_to=outgoing_file_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    signature_box = models.JSONField(_("ô chữ ký"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recall_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)
    # An optional access list (ordinary documents): when ``restricted``, only these see it.
    restricted = models.BooleanField(_("giới hạn người xem"), default=False)
    allowed_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("cán bộ được xem")
    )
    allowed_units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name=_("đơn vị được xem"))
    search_folded = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-issued_on", "-number", "-pk"]
        permissions = [
            ("sign_outgoingdocument", _("Duyệt và ký văn bản đi")),
            ("issue_outgoingdocument", _("Cấp số, phát hành văn bản đi")),
            ("recall_outgoingdocument", _("Thu hồi văn bản đi")),
        ]
        indexes = [models.Index(fields=["unit", "status", "issued_on"], name="outgoing_unit_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "document_type", "secret", "number"],
                condition=Q(number__isnull=False),
                name="outgoing_number_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "approved", "signed"], number__isnull=True)
                | Q(status__in=["issued", "recalled"], number__isnull=False, year__isnull=False),
                name="outgoing_numbered_when_issued",
            ),
            models.CheckConstraint(
                condition=Q(secret=True, classification__gt=0) | Q(secret=False, classification=0),
                name="outgoing_secret_series",
            ),
            models.CheckConstraint(condition=Q(classification=0) | Q(pdf=""), name="outgoing_secret_has_no_pdf"),
        ]

    def __str__(self) -> str:
        return self.number_symbol or self.subject[:60]

    @property
    def number_symbol(self) -> str:
        return number_and_symbol(self.number, self.notation) if self.number is not None else ""

    @property
    def is_urgent(self) -> bool:
        return self.urgency > Urgency.NORMAL

    @property
    def is_classified(self) -> bool:
        return self.classification > Classification.NORMAL

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.RECALLED)


class OutgoingVersion(models.Model):
    """One version of a draft: its text and/or an uploaded PDF or DOCX (none for a classified one)."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    body = models.TextField(_("nội dung"), blank=True)
    file = models.FileField(_("tệp dự thảo"), upload_to=outgoing_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản dự thảo")
        verbose_name_plural = _("phiên bản dự thảo")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_once")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class OutgoingComment(models.Model):
    """Góp ý on one version of a draft."""

    version = models.ForeignKey(OutgoingVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("góp ý"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("góp ý dự thảo")
        verbose_name_plural = _("góp ý dự thảo")
        ordering = ["version", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.version_id} {self.author_id}"


class OutgoingDelivery(models.Model):
    """Nơi nhận — one recipient of an outgoing document: a unit of the platform (which receives it
    as an incoming entry) or an outside address (name, e-mail or agency identifier), and what came
    back: delivered, registered (with the receiver's arrival number), acknowledged."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("nơi nhận"), max_length=200)
    address = models.CharField(_("địa chỉ thư điện tử hoặc mã định danh"), max_length=254, blank=True)
    incoming = models.OneToOneField(
        IncomingDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="delivery"
    )
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    registered_at = models.DateTimeField(_("vào sổ lúc"), null=True, blank=True)
    arrival_number = models.PositiveBigIntegerField(_("số đến"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("ký nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nơi nhận văn bản đi")
        verbose_name_plural = _("nơi nhận văn bản đi")
        ordering = ["document", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=False) | ~Q(address=""), name="delivery_has_recipient"),
            models.UniqueConstraint(
                fields=["document", "unit"], condition=Q(unit__isnull=False), name="delivery_unit_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def inside(self) -> bool:
        return self.unit_id is not None


class OutgoingEvent(models.Model):
    """One step on an outgoing document's timeline."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    note = models.CharField(max_length=500, blank=True)
    actor_label = models.CharField(max_length=200)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bước xử lý văn bản đi")
        verbose_name_plural = _("quá trình xử lý văn bản đi")
        ordering = ["document", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.action}"

    def action_display(self) -> str:
        return str(OUTGOING_STEP_LABELS.get(self.action, self.action))


OUTGOING_STEP_LABELS = {
    "draft": _("Tạo dự thảo"),
    "version": _("Thêm phiên bản dự thảo"),
    "comment": _("Góp ý"),
    "submit": _("Trình duyệt"),
    "return": _("Trả lại để sửa"),
    "approve": _("Duyệt nội dung"),
    "sign": _("Ký duyệt"),
    "issue": _("Cấp số, phát hành"),
    "deliver": _("Gửi đến nơi nhận"),
    "registered": _("Nơi nhận đã vào sổ"),
    "acknowledged": _("Nơi nhận đã ký nhận"),
    "recall": _("Thu hồi"),
    "access": _("Đặt danh sách người xem"),
    "copy": _("Sao văn bản"),
    "attach": _("Thêm phụ lục, tài liệu kèm theo"),
    "detach": _("Bỏ phụ lục, tài liệu kèm theo"),
}


def closure_file_path(instance: RegisterClosure, filename: str) -> str:
    return f"documents/registers/{instance.year}/{uuid.uuid4().hex}.pdf"


class RegisterClosure(models.Model):
    """Khóa sổ — a period of a unit's incoming register closed by the records clerk: its PDF (the
    Appendix IV layout, every entry of the period) is stored with its SHA-256, and no entry dated
    inside the period is registered or handed over any more. The stored PDF is what the head of
    the unit signs (``file``: the signing step replaces or adds the signed copy there)."""

    class Book(models.TextChoices):
        ORDINARY = "ordinary", _("Sổ văn bản đến")
        SECRET = "secret", _("Sổ văn bản mật đến")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    book = models.CharField(_("sổ"), max_length=10, choices=Book.choices, default=Book.ORDINARY)
    year = models.PositiveSmallIntegerField(_("năm"))
    period_from = models.DateField(_("từ ngày"))
    period_to = models.DateField(_("đến ngày"))
    entries = models.PositiveIntegerField(_("số văn bản"), default=0)
    first_number = models.PositiveBigIntegerField(_("từ số"), null=True, blank=True)
    last_number = models.PositiveBigIntegerField(_("đến số"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người khóa sổ")
    )
    closed_at = models.DateTimeField(_("khóa lúc"), default=timezone.now)
    file = models.FileField(_("sổ in (PDF)"), upload_to=closure_file_path, max_length=200)
    file_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    # Where the head of the unit signs (the empty space under "THỦ TRƯỞNG ĐƠN VỊ"), noted when the
    # PDF was drawn; the signed PDF replaces ``file`` and the unsigned one's SHA-256 is kept.
    signature_box = models.JSONField(_("ô chữ ký"), null=True, blank=True)
    unsigned_sha256 = models.CharField(_("mã băm SHA-256 bản chưa ký"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ký sổ"),
    )

    class Meta:
        verbose_name = _("kỳ khóa sổ")
        verbose_name_plural = _("kỳ khóa sổ")
        ordering = ["-period_to", "-pk"]
        permissions = [("sign_registerclosure", _("Ký sổ văn bản đến đã khóa"))]
        indexes = [models.Index(fields=["unit", "book", "period_to"], name="register_closure_period")]
        constraints = [
            models.CheckConstraint(condition=Q(period_from__lte=F("period_to")), name="register_closure_order"),
            models.UniqueConstraint(fields=["unit", "book", "period_from"], name="register_closure_once"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, unsigned_sha256="")
                | Q(signed_at__isnull=False, signed_by__isnull=False) & ~Q(unsigned_sha256=""),
                name="register_closure_signed_keeps_unsigned_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.book} {self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


# --- attachments in separate files (phụ lục, tài liệu kèm theo) -------------------------------------


def attachment_file_path(instance: models.Model, filename: str) -> str:
    return f"documents/attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class OutgoingAttachment(models.Model):
    """Phụ lục, tài liệu kèm theo ở tệp riêng — a PDF issued with an outgoing document in a file of
    its own (Decree 30, Appendix I, II.8.b and III.1.d). At issue the records clerk's step signs
    each one with the unit's signature alone, at the top right of its first page, with the
    document's number and symbol and the signing time (``issued``); the draft file stays as it was
    uploaded. The recipients receive the issued file with the document."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tên phụ lục, tài liệu"), max_length=300)
    file = models.FileField(_("tệp (PDF)"), upload_to=attachment_file_path, max_length=200)
    file_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    issued = models.FileField(_("tệp phát hành"), upload_to=attachment_file_path, max_length=200, blank=True)
    issued_sha256 = models.CharField(_("mã băm SHA-256 tệp phát hành"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phụ lục văn bản đi")
        verbose_name_plural = _("phụ lục văn bản đi")
        ordering = ["document", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "order"], name="outgoing_attachment_order_once")]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> models.fields.files.FieldFile:
        """The file a reader gets: the issued one once the document is issued, else the draft."""
        return self.issued if self.issued else self.file

    @property
    def current_sha256(self) -> str:
        return self.issued_sha256 if self.issued else self.file_sha256


class IncomingAttachment(models.Model):
    """A separate-file attachment received with an incoming entry (the sender's issued bytes)."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tên phụ lục, tài liệu"), max_length=300)
    file = models.FileField(_("tệp (PDF)"), upload_to=attachment_file_path, max_length=200)
    file_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    source = models.ForeignKey(OutgoingAttachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("phụ lục văn bản đến")
        verbose_name_plural = _("phụ lục văn bản đến")
        ordering = ["document", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "order"], name="incoming_attachment_order_once")]

    def __str__(self) -> str:
        return self.title


# --- electronic copies (bản sao điện tử) -----------------------------------------------------------


def copy_file_path(instance: models.Model, filename: str) -> str:
    return f"documents/copies/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class DocumentCopy(BaseModel):
    """Bản sao điện tử — a SAO Y, SAO LỤC or TRÍCH SAO the records clerk (văn thư) makes of an
    outgoing document the unit issued, of an incoming document in the unit's register, or of a
    paper original (sao y from paper: the clerk uploads its scan, a colour PDF of at least
    200 dpi). Decree 30/2020, Articles 25–27 and Appendix I Part II.I.

    The copy takes the next number of the unit's copy series for the year (one series for the three
    forms: ``03/SY-CAT-PV01``), and carries the unit's signature alone at the top right of its first
    page: no image, the copy form, the copying unit and the signing time (ISO 8601, +07:00). A
    trích sao holds a page range of the original. Classified documents are never copied here."""

    class Form(models.TextChoices):
        SAO_Y = "sao_y", _("Sao y")
        SAO_LUC = "sao_luc", _("Sao lục")
        TRICH_SAO = "trich_sao", _("Trích sao")

    class Origin(models.TextChoices):
        OUTGOING = "outgoing", _("Văn bản đi của đơn vị")
        INCOMING = "incoming", _("Văn bản đến của đơn vị")
        PAPER = "paper", _("Bản giấy (số hóa)")

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="document_copies", verbose_name=_("đơn vị sao")
    )
    form = models.CharField(_("hình thức sao"), max_length=10, choices=Form.choices)
    origin = models.CharField(_("bản được sao"), max_length=10, choices=Origin.choices)
    source_outgoing = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="electronic_copies",
        verbose_name=_("văn bản đi được sao"),
    )
    source_incoming = models.ForeignKey(
        IncomingDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="electronic_copies",
        verbose_name=_("văn bản đến được sao"),
    )
    # The original as it reads (taken from the source, typed by the clerk for a paper one).
    original_number_symbol = models.CharField(_("số, ký hiệu bản gốc"), max_length=45, blank=True)
    original_issuer = models.CharField(_("cơ quan ban hành bản gốc"), max_length=200)
    original_issued_on = models.DateField(_("ngày văn bản gốc"), null=True, blank=True)
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại văn bản gốc")
    )
    subject = models.CharField(_("trích yếu nội dung"), max_length=500)
    page_from = models.PositiveIntegerField(_("từ trang"), null=True, blank=True)
    page_to = models.PositiveIntegerField(_("đến trang"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), default=0)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveBigIntegerField(_("số bản sao"))
    notation = models.CharField(_("ký hiệu"), max_length=30)
    copied_on = models.DateField(_("ngày sao"))
    copied_at = models.DateTimeField(_("sao lúc"))
    copied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người sao")
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    file = models.FileField(_("bản sao (PDF)"), upload_to=copy_file_path, max_length=200)
    file_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    source_sha256 = models.CharField(_("mã băm SHA-256 bản được sao"), max_length=64)
    search_folded = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("bản sao điện tử")
        verbose_name_plural = _("bản sao điện tử")
        ordering = ["-copied_at", "-pk"]
        indexes = [models.Index(fields=["unit", "copied_on"], name="document_copy_unit_day")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="document_copy_number_once"),
            models.CheckConstraint(
                condition=Q(origin="outgoing", source_outgoing__isnull=False, source_incoming__isnull=True)
                | Q(origin="incoming", source_incoming__isnull=False, source_outgoing__isnull=True)
                | Q(origin="paper", source_incoming__isnull=True, source_outgoing__isnull=True),
                name="document_copy_one_source",
            ),
            models.CheckConstraint(
                condition=Q(
                    form="trich_sao", page_from__isnull=False, page_to__isnull=False, page_from__lte=F("page_to")
                )
                | (~Q(form="trich_sao") & Q(page_from__isnull=True, page_to__isnull=True)),
                name="document_copy_extract_has_pages",
            ),
            models.CheckConstraint(condition=~Q(origin="paper") | Q(form="sao_y"), name="document_copy_paper_is_sao_y"),
        ]

    def __str__(self) -> str:
        return self.number_symbol

    @property
    def number_symbol(self) -> str:
        """``03/SY-CAT-PV01``."""
        return number_and_symbol(self.number, self.notation)

    @property
    def source(self) -> OutgoingDocument | IncomingDocument | None:
        return self.source_outgoing or self.source_incoming

    @property
    def pages_display(self) -> str:
        """``3–5`` for an extract, else the page count."""
        if self.page_from is not None and self.page_to is not None:
            return f"{self.page_from}–{self.page_to}" if self.page_to != self.page_from else str(self.page_from)
        return str(self.pages)


# The abbreviation of each form (Appendix III) is the copy type's, looked up by these codes.
COPY_TYPE_CODES = {
    DocumentCopy.Form.SAO_Y: "ban-sao-y",
    DocumentCopy.Form.SAO_LUC: "ban-sao-luc",
    DocumentCopy.Form.TRICH_SAO: "ban-trich-sao",
}
