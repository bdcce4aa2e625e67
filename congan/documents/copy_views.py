"""Pages of electronic copies (bản sao điện tử, decision 0031): the list with its filters and exports,
the copy forms (of an outgoing or incoming document, from a paper original), one copy with its
signature panel and where it was sent, its PDF (each download audited), and sending it to units."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details, error_text
from congan.core.labels import data_label
from congan.core.listing import EXPORT_LIMIT, Column, Listing
from congan.documents import copy_selectors, copy_services, outgoing_selectors, selectors, signing_port
from congan.documents.copy_forms import CopyFilterForm, CopyForm, PaperCopyForm, SendCopyForm
from congan.documents.models import DocumentCopy, IncomingDocument, OutgoingDocument
from congan.org.actors import OfficerRequest

can_view = permission_required(copy_selectors.VIEW, raise_exception=True)
can_make = permission_required(copy_selectors.MAKE, raise_exception=True)


def _original(copy: DocumentCopy) -> str:
    return " — ".join(part for part in (copy.original_number_symbol, copy.original_issuer) if part)


COLUMNS = [
    Column("copied", gettext_lazy("Ngày sao"), lambda c: c.copied_on, ("copied_on", "number")),
    Column("symbol", gettext_lazy("Số, ký hiệu bản sao"), lambda c: c.number_symbol, ("number",)),
    Column("form", gettext_lazy("Hình thức sao"), lambda c: c.get_form_display(), ("form",)),
    Column("original", gettext_lazy("Văn bản gốc"), _original, ("original_number_symbol",)),
    Column(
        "subject",
        gettext_lazy("Tên loại và trích yếu nội dung"),
        lambda c: f"{data_label(c.document_type.name)}: {c.subject}",
        ("subject",),
    ),
    Column("pages", gettext_lazy("Trang"), lambda c: c.pages_display, ()),
    Column("origin", gettext_lazy("Bản được sao"), lambda c: c.get_origin_display(), ("origin",)),
    Column("copied_by", gettext_lazy("Người sao"), lambda c: c.copied_by, ("copied_by__sort_name",)),
]


@never_cache
@login_required
@can_view
def copies(request: OfficerRequest) -> HttpResponse:
    form = CopyFilterForm(request.GET)
    found = copy_selectors.copy_list(viewer=request.user, filters=form.filters())
    listing = Listing(COLUMNS, request.GET)
    found = listing.ordered(found)
    if listing.export_format:
        return listing.export(list(found[:EXPORT_LIMIT]), filename="ban-sao-dien-tu")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/copies.html",
        {
            "form": form,
            "page": page,
            "listing": listing,
            "query": listing.query_string,
            "can_make": request.user.has_perm(copy_selectors.MAKE),
        },
    )


def _open(request: OfficerRequest, copy_id: int) -> DocumentCopy:
    try:
        return copy_selectors.copy_open(viewer=request.user, copy_id=copy_id)
    except NotFound:
        raise Http404 from None


def _read(field_file: Any) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


@never_cache
@login_required
@can_view
def detail(request: OfficerRequest, copy_id: int) -> HttpResponse:
    from congan.signatures.selectors import signature_panel

    copy = _open(request, copy_id)
    content = _read(copy.file)
    can_send = request.user.has_perm(copy_selectors.MAKE) and request.user.unit_id == copy.unit_id
    return render(
        request,
        "documents/copy.html",
        {
            "copy": copy,
            "signatures": signature_panel(content),
            "signed": signing_port.pdf_has_signature(content),
            "entries": copy_selectors.received_entries(copy),
            "send_form": SendCopyForm(viewer=request.user) if can_send else None,
        },
    )


@login_required
@can_view
def copy_pdf(request: OfficerRequest, copy_id: int) -> FileResponse:
    try:
        copy = copy_selectors.copy_download(viewer=request.user, copy_id=copy_id, how="page")
    except NotFound:
        raise Http404 from None
    response = FileResponse(copy.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ban-sao-{copy.pk}.pdf"'
    return response


@require_POST
@login_required
@can_make
def send(request: OfficerRequest, copy_id: int) -> HttpResponse:
    if not copy_selectors.copies_visible(viewer=request.user).filter(pk=copy_id).exists():
        raise Http404()
    form = SendCopyForm(request.POST, viewer=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("documents:copy", copy_id=copy_id)
    try:
        sent = copy_services.copy_send(by=request.user, copy_id=copy_id, units=list(form.cleaned_data["units"]))
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã gửi bản sao đến %(n)d đơn vị.") % {"n": len(sent)})
    return redirect("documents:copy", copy_id=copy_id)


def _make(request: OfficerRequest, form: Any, copy_request: copy_services.CopyRequest) -> HttpResponse | None:
    try:
        copy = copy_services.copy_make(by=request.user, request=copy_request)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        add_error_details(form, exc)
        if exc.details and not any(field in form.fields for field in exc.details):
            form.add_error(None, str(exc.message))
        return None
    messages.success(
        request,
        _("Đã tạo bản %(form)s số %(number)s, có chữ ký số của đơn vị.")
        % {"form": copy.get_form_display().lower(), "number": copy.number_symbol},
    )
    return redirect("documents:copy", copy_id=copy.pk)


def _copy_page(request: OfficerRequest, source: OutgoingDocument | IncomingDocument, back: str) -> HttpResponse:
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outgoing = isinstance(source, OutgoingDocument)
        response = _make(
            request,
            form,
            copy_services.CopyRequest(
                form=data["form"],
                outgoing_id=source.pk if outgoing else None,
                incoming_id=None if outgoing else source.pk,
                page_from=data.get("page_from"),
                page_to=data.get("page_to"),
                note=data.get("note") or "",
            ),
        )
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/copy_form.html",
        {
            "form": form,
            "source": source,
            "back": back,
            "refusal": _refusal(source),
            "copies": copy_selectors.copies_of(viewer=request.user, document=source),
        },
        status=status,
    )


def _refusal(source: OutgoingDocument | IncomingDocument) -> str:
    """Why this document cannot be copied, told before the clerk fills in the form."""
    if source.is_classified:
        return copy_services.classified_refused()
    if isinstance(source, OutgoingDocument) and not source.pdf:
        return _("Văn bản không có tệp điện tử để sao.")
    if isinstance(source, IncomingDocument) and not source.file:
        return _("Văn bản đến không có tệp điện tử: dùng “Sao y từ bản giấy” với bản quét của văn bản.")
    return ""


@never_cache
@login_required
@can_make
def from_outgoing(request: OfficerRequest, document_id: int) -> HttpResponse:
    try:
        document = outgoing_selectors.outgoing_open(viewer=request.user, document_id=document_id, purpose="copy")
    except NotFound:
        raise Http404 from None
    return _copy_page(request, document, reverse("documents:outgoing", args=[document.pk]))


@never_cache
@login_required
@can_make
def from_incoming(request: OfficerRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.incoming_open(viewer=request.user, document_id=document_id, purpose="copy")
    except NotFound:
        raise Http404 from None
    return _copy_page(request, document, reverse("documents:incoming", args=[document.pk]))


@never_cache
@login_required
@can_make
def from_paper(request: OfficerRequest) -> HttpResponse:
    form = PaperCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _make(
            request,
            form,
            copy_services.CopyRequest(
                form=DocumentCopy.Form.SAO_Y,
                note=data.get("note") or "",
                paper=copy_services.PaperOriginal(
                    file=data.get("file"),
                    issuer_name=data["issuer_name"],
                    subject=data["subject"],
                    document_type=data["document_type"],
                    number_symbol=data.get("number_symbol") or "",
                    issued_on=data.get("issued_on"),
                    classification=data["classification"],
                ),
            ),
        )
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/copy_paper.html", {"form": form}, status=status)


def source_copies(document: OutgoingDocument | IncomingDocument, viewer: Any) -> dict[str, Any]:
    """What a document's page shows of its copies: the list, and the clerk's link to make one."""
    own = getattr(viewer, "unit_id", None) == document.unit_id
    return {
        "copies": copy_selectors.copies_of(viewer=viewer, document=document),
        "can_copy": own and viewer.has_perm(copy_selectors.MAKE) and not document.is_classified,
    }
