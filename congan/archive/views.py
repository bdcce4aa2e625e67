"""Pages of the archive: the home page (items being read, recent dossiers, upload), an item (its
progress, downloads, pages with their text and confidence, corrections, suggested metadata,
filing), dossiers. Thin: selectors read (unit-scoped), services write; every opening of an item or
a dossier and every download is audited."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.archive import selectors, services
from congan.archive.forms import DossierForm, FileIntoDossierForm, PageTextForm, ScanUploadForm
from congan.archive.models import ArchiveItem, Dossier, ItemStatus, SuggestionStatus
from congan.core.audit import audit_record
from congan.core.errors import ApplicationError, NotFound, ValidationFailed
from congan.core.forms import add_error_details, error_text
from congan.org.actors import OfficerRequest

can_view = permission_required(selectors.VIEW, raise_exception=True)
can_upload = permission_required(selectors.UPLOAD, raise_exception=True)
can_correct = permission_required(selectors.CORRECT, raise_exception=True)
can_file = permission_required(selectors.FILE, raise_exception=True)
can_view_dossiers = permission_required(selectors.VIEW_DOSSIERS, raise_exception=True)
can_add_dossier = permission_required(selectors.ADD_DOSSIER, raise_exception=True)
can_change_dossier = permission_required(selectors.CHANGE_DOSSIER, raise_exception=True)


def _item(request: OfficerRequest, item_id: int) -> ArchiveItem:
    try:
        return selectors.item_open(viewer=request.user, item_id=item_id)
    except NotFound:
        raise Http404 from None


def _dossier(request: OfficerRequest, dossier_id: int) -> Dossier:
    try:
        return selectors.dossier_open(viewer=request.user, dossier_id=dossier_id)
    except NotFound:
        raise Http404 from None


@never_cache
@login_required
@can_view
def home(request: OfficerRequest) -> HttpResponse:
    in_progress = list(selectors.items_in_progress(viewer=request.user)[:50])
    polling = any(not item.is_finished for item in in_progress)
    context = {"in_progress": in_progress, "polling": polling}
    if getattr(request, "htmx", False):
        return render(request, "archive/home.html#progress", context)  # the progress poll: titles only
    audit_record(actor=request.user, action="archive.home.view", target_type="archive.archiveitem")
    return render(
        request,
        "archive/home.html",
        {
            **context,
            "form": ScanUploadForm(),
            "dossiers": selectors.recent_dossiers(viewer=request.user),
            "unfiled": list(selectors.unfiled_items(viewer=request.user).select_related("unit")[:20]),
        },
    )


@never_cache
@login_required
@can_upload
def upload(request: OfficerRequest) -> HttpResponse:
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        created: list[ArchiveItem] = []
        try:
            if request.user.unit is None:
                raise ValidationFailed(details={"scans": [_("Tài khoản chưa thuộc đơn vị nào.")]})
            for upload in form.cleaned_data["scans"]:
                intake = services.item_create(
                    by=request.user, unit=request.user.unit, name=upload.name or "scan", content=upload
                )
                created.append(intake.item)
        except ApplicationError as exc:
            add_error_details(form, exc)
        if not form.errors:
            flash.success(request, _("Đã nhận %(n)d tệp, đang nhận dạng chữ.") % {"n": len(created)})
            if len(created) == 1:
                return redirect("archive:item", item_id=created[0].pk)
            return redirect("archive:home")
        if created:
            flash.info(request, _("Đã nhận %(n)d tệp trước tệp bị từ chối.") % {"n": len(created)})
    status = 400 if request.method == "POST" else 200
    return render(request, "archive/upload.html", {"form": form}, status=status)


@never_cache
@login_required
@can_view
def item_list(request: OfficerRequest) -> HttpResponse:
    status = request.GET.get("trang_thai", "")
    q = request.GET.get("q", "").strip()[:100]
    items = selectors.item_list(viewer=request.user, status=status, q=q)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="archive.item.list",
        target_type="archive.archiveitem",
        details={"q": q, "status": status, "page": page.number},
    )
    return render(
        request,
        "archive/item_list.html",
        {"page": page, "q": q, "status": status, "statuses": ItemStatus.choices},
    )


@never_cache
@login_required
@can_view
def item(request: OfficerRequest, item_id: int) -> HttpResponse:
    found = _item(request, item_id)
    audit_record(actor=request.user, action="archive.item.view", target=found, unit=found.unit)
    suggestions = list(found.suggestions.all())
    return render(
        request,
        "archive/item.html",
        {
            "item": found,
            "polling": not found.is_finished,
            "pages": list(found.pages.all()),
            "suggestions": [s for s in suggestions if s.status == SuggestionStatus.SUGGESTED],
            "decided": [s for s in suggestions if s.status != SuggestionStatus.SUGGESTED],
            "file_form": FileIntoDossierForm(
                initial={"dossier": found.dossier_id},
                dossiers=selectors.dossiers_to_file_into(viewer=request.user, item=found),
            )
            if request.user.has_perm(selectors.FILE)
            else None,
        },
    )


@never_cache
@login_required
@can_view
def item_progress(request: OfficerRequest, item_id: int) -> HttpResponse:
    """The progress block alone, polled by the item page while it is read (no content: not audited)."""
    try:
        found = selectors.item_status(viewer=request.user, item_id=item_id)
    except NotFound:
        raise Http404 from None
    response = render(request, "archive/item.html#progress", {"item": found, "polling": not found.is_finished})
    if found.is_finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"  # the pages and suggestions are there now: show them
    return response


def _download(request: OfficerRequest, found: ArchiveItem, *, which: str) -> FileResponse:
    stored = found.original if which == "original" else found.archive_copy
    if not stored:
        raise Http404
    audit_record(actor=request.user, action=f"archive.item.download_{which}", target=found, unit=found.unit)
    if which == "original":
        response = FileResponse(stored.open("rb"), as_attachment=True, filename=found.original_name)
    else:
        response = FileResponse(stored.open("rb"), content_type="application/pdf", filename=f"luu-tru-{found.pk}.pdf")
    return response


@login_required
@can_view
def item_original(request: OfficerRequest, item_id: int) -> FileResponse:
    return _download(request, _item(request, item_id), which="original")


@login_required
@can_view
def item_archive_copy(request: OfficerRequest, item_id: int) -> FileResponse:
    return _download(request, _item(request, item_id), which="archive_copy")


@never_cache
@login_required
@can_view
def page_edit(request: OfficerRequest, item_id: int, number: int) -> HttpResponse:
    try:
        page = selectors.page_open(viewer=request.user, item_id=item_id, number=number)
    except NotFound:
        raise Http404 from None
    form = PageTextForm(request.POST or None, initial={"text": page.text})
    if request.method == "POST":
        if not request.user.has_perm(selectors.CORRECT):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.page_correct(
                    by=request.user, page=page, text=form.cleaned_data["text"], note=form.cleaned_data["note"]
                )
            except ApplicationError as exc:
                add_error_details(form, exc)
            else:
                flash.success(request, _("Đã lưu nội dung trang %(n)d.") % {"n": page.number})
                return redirect(f"{page.item.get_absolute_url()}#trang-{page.number}")
    else:
        audit_record(
            actor=request.user,
            action="archive.page.view",
            target=page.item,
            unit=page.item.unit,
            details={"page": number},
        )
    return render(
        request,
        "archive/page_edit.html",
        {"page": page, "item": page.item, "form": form, "versions": list(selectors.page_versions(page=page))},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
@can_file
def suggestion_decide(request: OfficerRequest, item_id: int, suggestion_id: int) -> HttpResponse:
    found = _item(request, item_id)
    suggestion = next((s for s in found.suggestions.all() if s.pk == suggestion_id), None)
    if suggestion is None:
        raise Http404
    confirm = request.POST.get("decision") == "confirm"
    services.suggestion_decide(by=request.user, suggestion=suggestion, confirm=confirm)
    flash.success(request, _("Đã xác nhận: %(v)s.") % {"v": suggestion.display} if confirm else _("Đã bỏ qua gợi ý."))
    return redirect("archive:item", item_id=item_id)


@require_POST
@login_required
@can_file
def item_file(request: OfficerRequest, item_id: int) -> HttpResponse:
    found = _item(request, item_id)
    form = FileIntoDossierForm(request.POST, dossiers=selectors.dossiers_to_file_into(viewer=request.user, item=found))
    if not form.is_valid():
        flash.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("archive:item", item_id=item_id)
    try:
        services.item_file(by=request.user, item=found, dossier=form.cleaned_data["dossier"])
    except ApplicationError as exc:
        flash.error(request, error_text(exc))
    else:
        flash.success(request, _("Đã cập nhật hồ sơ của tài liệu."))
    return redirect("archive:item", item_id=item_id)


@require_POST
@login_required
@can_file
def item_move(request: OfficerRequest, item_id: int) -> HttpResponse:
    found = _item(request, item_id)
    try:
        services.item_move(by=request.user, item=found, step=1 if request.POST.get("step") == "down" else -1)
    except ApplicationError as exc:
        flash.error(request, error_text(exc))
        return redirect("archive:item", item_id=item_id)
    return redirect("archive:dossier", dossier_id=found.dossier_id)


@never_cache
@login_required
@can_view_dossiers
def dossier_list(request: OfficerRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    year_text = request.GET.get("nam", "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    page = Paginator(selectors.dossier_list(viewer=request.user, q=q, year=year), 50).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="archive.dossier.list",
        target_type="archive.dossier",
        details={"q": q, "year": year, "page": page.number},
    )
    return render(request, "archive/dossier_list.html", {"page": page, "q": q, "year": year or ""})


@never_cache
@login_required
@can_view_dossiers
def dossier(request: OfficerRequest, dossier_id: int) -> HttpResponse:
    found = _dossier(request, dossier_id)
    audit_record(actor=request.user, action="archive.dossier.view", target=found, unit=found.unit)
    return render(request, "archive/dossier.html", {"dossier": found, "items": list(found.items.all())})


def _fields(form: DossierForm) -> services.DossierFields:
    data = form.cleaned_data
    return services.DossierFields(
        year=data["year"],
        notation=data["notation"],
        title=data["title"],
        retention=data["retention"],
        period_start=data.get("period_start"),
        period_end=data.get("period_end"),
        physical_location=data.get("physical_location") or "",
    )


@never_cache
@login_required
@can_add_dossier
def dossier_new(request: OfficerRequest) -> HttpResponse:
    form = DossierForm(request.POST or None, schedules=selectors.retention_schedules())
    if request.method == "POST" and form.is_valid():
        try:
            if request.user.unit is None:
                raise ValidationFailed(_("Tài khoản chưa thuộc đơn vị nào."))
            created = services.dossier_create(by=request.user, unit=request.user.unit, fields=_fields(form))
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            flash.success(request, _("Đã lập hồ sơ %(code)s.") % {"code": created.file_code})
            return redirect("archive:dossier", dossier_id=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "archive/dossier_form.html", {"form": form, "dossier": None}, status=status)


@never_cache
@login_required
@can_change_dossier
def dossier_edit(request: OfficerRequest, dossier_id: int) -> HttpResponse:
    found = _dossier(request, dossier_id)
    form = DossierForm(
        request.POST or None, initial=DossierForm.initial_of(found), schedules=selectors.retention_schedules()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_update(by=request.user, dossier=found, fields=_fields(form))
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            flash.success(request, _("Đã lưu hồ sơ."))
            return redirect("archive:dossier", dossier_id=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "archive/dossier_form.html", {"form": form, "dossier": found}, status=status)
