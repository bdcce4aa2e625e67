"""Administrator pages of the enrichment import: upload, progress, reject report, resume."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError
from congan.core.listing import Column, DateRangeForm, Listing
from congan.core.scoping import get_scoped_or_404, scope_to_viewer
from congan.org.actors import OfficerRequest
from congan.population.forms import ImportUploadForm
from congan.population.importing.batches import (
    enqueue_import,
    import_batch_create,
    load_mapping,
    store_upload,
)
from congan.population.models import ImportBatch

can_import = permission_required("population.import_enrichment", raise_exception=True)


def _form_error(form: ImportUploadForm, exc: ApplicationError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    fields = {name: problems for name, problems in details.items() if name in form.fields}
    for name, problems in fields.items():
        for problem in problems:
            form.add_error(name, problem)
    extra = {name: problems for name, problems in details.items() if name not in form.fields}
    if not fields:
        suffix = "".join(f" {name}: {', '.join(map(str, problems))}" for name, problems in extra.items())
        form.add_error("file", f"{exc.message}{suffix}")


@login_required
@can_import
def import_list(request: OfficerRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mapping = {}
            if data["mapping"]:
                mapping = load_mapping(data["mapping"].read().decode("utf-8-sig"), name=data["mapping"].name)
            path = store_upload(data["file"])
            batch = import_batch_create(
                by=request.user,
                unit=request.user.unit,
                path=path,
                file_name=data["file"].name,
                source_agency=data["source_agency"],
                mapping=mapping,
            )
        except (ApplicationError, UnicodeDecodeError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                form.add_error("mapping", _("Tệp ánh xạ phải là văn bản UTF-8."))
            else:
                _form_error(form, exc)
        else:
            enqueue_import(batch)
            messages.success(request, _("Đã nhận tệp; việc nhập chạy nền. Trang này tự cập nhật tiến độ."))
            return redirect("population:import_detail", batch_id=batch.pk)
    dates = DateRangeForm(request.GET)
    listing = Listing(BATCH_COLUMNS, request.GET)
    batches = scope_to_viewer(ImportBatch.objects.select_related("unit", "created_by"), viewer=request.user)
    batches = listing.ordered(dates.apply(batches.order_by("-created_at"), "created_at"))
    if listing.export_format and request.method != "POST":  # files and counts, no person: not audited
        return listing.export(batches, filename="lo-nhap-du-lieu")
    page = Paginator(batches, 30).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page": page, "dates": dates, "listing": listing, "query": listing.query_string}
    return render(request, "population/import_list.html", context, status=status)


BATCH_COLUMNS = [
    Column("at", gettext_lazy("Thời điểm"), lambda b: b.created_at, ("created_at",)),
    Column("agency", gettext_lazy("Cơ quan cung cấp"), lambda b: b.source_agency, ("source_agency",)),
    Column("file", gettext_lazy("Tệp"), lambda b: b.file_name, ("file_name",)),
    Column("status", gettext_lazy("Trạng thái"), lambda b: b.get_status_display(), ("status",)),
    Column("created", gettext_lazy("Thêm mới"), lambda b: b.created_count, ("created_count",)),
    Column("updated", gettext_lazy("Cập nhật"), lambda b: b.updated_count, ("updated_count",)),
    Column("unchanged", gettext_lazy("Không đổi"), lambda b: b.unchanged_count, ("unchanged_count",)),
    Column("rejected", gettext_lazy("Bị từ chối"), lambda b: b.rejected_count, ("rejected_count",)),
]


STALLED_AFTER = dt.timedelta(minutes=10)


def _stalled(batch: ImportBatch) -> bool:
    """Running but silent for a while: the worker died mid-chunk; the batch can be resumed."""
    return batch.status == ImportBatch.Status.RUNNING and batch.updated_at < timezone.now() - STALLED_AFTER


@login_required
@can_import
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_scoped_or_404(
        ImportBatch.objects.select_related("unit", "created_by"), viewer=request.user, pk=batch_id
    )
    context = {
        "batch": batch,
        "done_rows": batch.created_count + batch.updated_count + batch.unchanged_count + batch.rejected_count,
        "rejects": batch.rejects.all()[:100],
        "resumable": batch.status == ImportBatch.Status.FAILED or _stalled(batch),
        "polling": batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING),
    }
    template = "population/import_detail.html#progress" if request.htmx else "population/import_detail.html"
    return render(request, template, context)


@login_required
@can_import
def import_rejects_csv(request: HttpRequest, batch_id: int) -> StreamingHttpResponse:
    """The reject report: row number, field and reason for every rejected row (UTF-8 with BOM for Excel)."""
    batch = get_scoped_or_404(ImportBatch.objects.all(), viewer=request.user, pk=batch_id)

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff" + writer.writerow([_("Dòng"), _("Trường"), _("Lý do")])
        for reject in batch.rejects.order_by("row_number", "field").iterator(chunk_size=2000):
            yield writer.writerow([reject.row_number, reject.field, reject.reason])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tu-choi-lo-{batch.pk}.csv"'
    return response


@require_POST
@login_required
@can_import
def import_resume(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_scoped_or_404(ImportBatch.objects.all(), viewer=request.user, pk=batch_id)
    if batch.status == ImportBatch.Status.FAILED or _stalled(batch):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PENDING, error="")
        enqueue_import(batch)
        messages.success(request, _("Đã xếp lô vào hàng đợi; việc nhập tiếp tục từ điểm đã lưu."))
    return redirect("population:import_detail", batch_id=batch.pk)
