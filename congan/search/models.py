"""The platform's full-text index (chỉ mục tìm kiếm toàn văn): one row per searchable unit of text
(an incoming document, an outgoing one; an archive page after the archive app plugs in), kept by
the write paths of the module that owns the record (``congan.search.services.index_upsert``), in
the same transaction.

What a row holds is what the search may show and what it needs to decide, inside the query, who
may see the row: the owning unit (unit scope), whether an access list restricts it and whom that
list names (``SearchGrant``). A classified record (Mật and above) never has a row: its metadata is
not in the index at all, so no query, count or snippet can reveal it.

The engine-specific parts are created by the migration ``0002_engine_indexes`` and are not fields:
on SQLite the FTS5 table ``search_entry_fts`` (kept by triggers), on PostgreSQL the generated
``document`` tsvector with its GIN index and a pg_trgm index on the folded title."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """Mục chỉ mục tìm kiếm — the searchable text of one record, folded, with who may see it."""

    kind = models.CharField(_("loại"), max_length=40)
    source_id = models.BigIntegerField(_("mã bản ghi gốc"))
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị quản lý"), db_index=False
    )
    day = models.DateField(_("ngày"), null=True, blank=True)
    type_code = models.CharField(_("mã loại văn bản"), max_length=40, blank=True)
    type_label = models.CharField(_("loại văn bản"), max_length=100, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=600)
    subtitle = models.CharField(_("dòng phụ"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    content = models.TextField(_("văn bản trong tệp"), blank=True)
    # The same texts folded one character for one (congan.search.text.fold_aligned): what both
    # engines index, and what a snippet is found in before it is shown with its diacritics.
    title_folded = models.CharField(max_length=600, editable=False)
    body_folded = models.TextField(editable=False, blank=True)
    content_folded = models.TextField(editable=False, blank=True)
    # The file whose text ``content`` holds: it is read again only when the file changes.
    content_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    url_name = models.CharField(_("trang xem"), max_length=100)
    restricted = models.BooleanField(_("giới hạn người xem"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        db_table = "search_entry"
        verbose_name = _("mục chỉ mục tìm kiếm")
        verbose_name_plural = _("chỉ mục tìm kiếm")
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="search_entry_once")]
        indexes = [models.Index(fields=["unit", "kind"], name="search_entry_unit_kind")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.source_id}"


class SearchGrant(models.Model):
    """Who, besides the record's units, sees a restricted entry: one officer, one unit (and the
    officers of the units below it … as the owning module's access list reads it), or whoever
    holds a permission (the records clerk who issues what was signed), for good or ``until`` a
    moment (an archive's access approved for some days). Only restricted entries have grants."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="grants")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    permission = models.CharField(max_length=100, blank=True)
    # A time-limited grant (access approved until a moment): not counted after it.
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "search_grant"
        verbose_name = _("quyền xem mục chỉ mục")
        verbose_name_plural = _("quyền xem mục chỉ mục")
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, unit__isnull=True, permission="")
                | Q(officer__isnull=True, unit__isnull=False, permission="")
                | (Q(officer__isnull=True, unit__isnull=True) & ~Q(permission="")),
                name="search_grant_one_grantee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.officer_id or self.unit_id or self.permission}"
