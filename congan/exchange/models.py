"""Liên thông văn bản — the edXML packets (QCVN 102:2016/BTTTT) a unit sent and received: each
envelope with the status packets that answered it, kept as the files that travelled."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congan.core.models import BaseModel
from congan.core.text import fold


class Direction(models.TextChoices):
    IN = "in", _("Nhận")
    OUT = "out", _("Gửi")


class StatusCode(models.TextChoices):
    """Mã trạng thái of a status packet (edxml.StatusCode; the source of each is in decision 0029)."""

    RECEIVED = "01", _("Đã đến")
    REFUSED = "02", _("Từ chối tiếp nhận")
    REGISTERED = "03", _("Đã tiếp nhận, vào sổ")
    ASSIGNED = "04", _("Đã phân công xử lý")
    IN_PROGRESS = "05", _("Đang xử lý")
    DONE = "06", _("Hoàn thành")
    RECALL_REQUESTED = "13", _("Đề nghị thu hồi")
    RECALL_ACCEPTED = "15", _("Đồng ý thu hồi")
    RECALL_REFUSED = "16", _("Từ chối thu hồi")


def envelope_path(instance: ExchangeMessage, filename: str) -> str:
    return f"exchange/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.edxml"


class ExchangeMessage(BaseModel):
    """Gói tin edXML — one envelope a unit sent (``out``) or received (``in``), the document it
    concerns (an incoming register entry, or for now a reference text of an outgoing document),
    and what was found reading it (warnings)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="exchange_messages", verbose_name=_("đơn vị")
    )
    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=300)
    from_agency_id = models.CharField(_("mã định danh nơi gửi"), max_length=35)
    from_name = models.CharField(_("nơi gửi"), max_length=200)
    recipients = models.JSONField(_("nơi nhận"), default=list, help_text=_("[{organ_id, name}]"))
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500)
    business_doc_type = models.PositiveSmallIntegerField(_("loại gói tin"), default=0)
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_messages",
        verbose_name=_("văn bản đến"),
    )
    # Until the outgoing register exists (issue 18, the outgoing part): what the sender said it is.
    outgoing_ref = models.CharField(_("văn bản đi"), max_length=100, blank=True)
    envelope = models.FileField(_("tệp gói tin"), upload_to=envelope_path, max_length=200)
    envelope_sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    envelope_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    signed = models.BooleanField(_("có chữ ký số gói tin"), default=False)
    signer_subject = models.CharField(_("người ký gói tin"), max_length=300, blank=True)
    warnings = models.JSONField(_("cảnh báo"), default=list)
    last_status = models.CharField(_("trạng thái mới nhất"), max_length=2, choices=StatusCode.choices, blank=True)
    client_token = models.CharField(_("khóa chống gửi trùng"), max_length=64, blank=True)
    key_owner = models.CharField(max_length=80, blank=True, editable=False)
    search_folded = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("gói tin liên thông")
        verbose_name_plural = _("gói tin liên thông")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "direction", "created_at"], name="exchange_unit_day"),
            models.Index(fields=["document_id"], name="exchange_document_id"),
        ]
        constraints = [
            # The same envelope (its DocumentId from the same sender) is taken once per unit.
            models.UniqueConstraint(
                fields=["unit", "from_agency_id", "document_id"],
                condition=Q(direction="in"),
                name="exchange_in_once",
            ),
            models.UniqueConstraint(
                fields=["key_owner", "client_token"], condition=~Q(client_token=""), name="exchange_token_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.number_symbol or self.document_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_folded = message_folded(self.subject, self.number_symbol, self.from_name)
        super().save(*args, **kwargs)


def message_folded(*texts: str) -> str:
    """What the exchange log's search box matches: subject, number and symbol, sender, folded."""
    return fold(" ".join(texts))


class ExchangeStatus(models.Model):
    """Trạng thái xử lý — one status packet about a message: sent (``out``) when our register
    acts on a document that came in through edXML, received (``in``) from the other side."""

    message = models.ForeignKey(ExchangeMessage, on_delete=models.CASCADE, related_name="statuses")
    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    code = models.CharField(_("mã trạng thái"), max_length=2, choices=StatusCode.choices)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    at = models.DateTimeField(_("thời điểm"))
    staff = models.CharField(_("người xử lý"), max_length=200, blank=True)
    packet = models.TextField(_("gói tin trạng thái"))
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("trạng thái liên thông")
        verbose_name_plural = _("trạng thái liên thông")
        ordering = ["message", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "direction", "code", "at"], name="exchange_status_once")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.direction} {self.code}"
