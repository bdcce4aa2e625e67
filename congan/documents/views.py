"""Pages of the incoming register (sổ văn bản đến): the register with its filters and exports, the
registration form, one document with its timeline and file, handing over and acknowledging, and
the register of a period printed as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details, error_text
from congan.core.labels import data_label
from congan.core.listing import EXPORT_LIMIT, Column, Listing
from congan.documents import closing, outgoing_views, register_pdf, selectors, services, signing_port
from congan.documents.forms import CloseForm, HandOverForm, IncomingForm, RegisterFilterForm
from congan.documents.models import IncomingDocument
from congan.documents.paging import CappedPaginator
from congan.org.actors import OfficerRequest

can_view = permission_required(selectors.VIEW, raise_exception=True)
can_register = permission_required(selectors.REGISTER, raise_exception=True)


def _recipient(document: IncomingDocument) -> str:
    names = [str(document.recipient_unit)] if document.recipient_unit_id else []
    if document.recipient_officer_id:
        names.append(str(document.recipient_officer))
    return " — ".join(names)


def _type_and_subject(document: IncomingDocument) -> str:
    return f"{data_label(document.document_type.name)}: {document.subject}"


# The register's columns in the order of Appendix IV, then urgency and classification.
COLUMNS = [
    Column("received", gettext_lazy("Ngày đến"), lambda d: d.received_on, ("received_on", "arrival_number")),
    Column("arrival", gettext_lazy("Số đến"), lambda d: d.arrival_display, ("arrival_number",)),
    Column("issuer", gettext_lazy("Tác giả"), lambda d: d.issuer_name, ("issuer_folded",)),
    Column("symbol", gettext_lazy("Số, ký hiệu"), lambda d: d.number_symbol, ("notation", "number")),
    Column("issued", gettext_lazy("Ngày văn bản"), lambda d: d.issued_on, ("issued_on",)),
    Column("subject", gettext_lazy("Tên loại và trích yếu nội dung"), _type_and_subject, ("subject",)),
    Column("recipient", gettext_lazy("Đơn vị hoặc người nhận"), _recipient, ("recipient_unit__name",)),
    Column("handed", gettext_lazy("Ngày chuyển"), lambda d: d.handed_at, ("handed_at",)),
    Column("acknowledged", gettext_lazy("Ký nhận"), lambda d: d.acknowledged_by or "", ("acknowledged_at",)),
    Column("note", gettext_lazy("Ghi chú"), lambda d: d.note, ()),
    Column("urgency", gettext_lazy("Độ khẩn"), lambda d: d.get_urgency_display(), ("urgency",)),
    Column("classification", gettext_lazy("Độ mật"), lambda d: d.get_classification_display(), ("classification",)),
]
BOOK_LABELS = {
    "ordinary": gettext_lazy("Sổ văn bản đến"),
    "secret": gettext_lazy("Sổ văn bản mật đến"),
    "received": gettext_lazy("Chờ vào sổ"),
}


def _book(request: OfficerRequest) -> str:
    book = request.GET.get("book", "ordinary")
    if book not in selectors.BOOKS or (book == "secret" and selectors.clearance_of(request.user) < 1):
        return "ordinary"
    return book


@never_cache
@login_required
@can_view
def register(request: OfficerRequest) -> HttpResponse:
    book = _book(request)
    form = RegisterFilterForm(request.GET, years=selectors.register_years(viewer=request.user))
    documents = selectors.incoming_register(viewer=request.user, filters=form.filters(book))
    listing = Listing(COLUMNS, request.GET)
    documents = listing.ordered(documents)
    if listing.export_format:
        shown = list(documents[:EXPORT_LIMIT])
        selectors.audit_classified_shown(viewer=request.user, documents=shown, how=f"export:{listing.export_format}")
        return listing.export(shown, filename="so-van-ban-den")
    page = CappedPaginator(documents, 50).get_page(request.GET.get("page"))
    selectors.audit_classified_shown(viewer=request.user, documents=list(page.object_list), how="list")
    counts = selectors.incoming_counts(viewer=request.user)
    books = [("ordinary", BOOK_LABELS["ordinary"], None), ("received", BOOK_LABELS["received"], counts["received"])]
    if selectors.clearance_of(request.user) >= 1:
        books.insert(1, ("secret", BOOK_LABELS["secret"], None))
    return render(
        request,
        "documents/register.html",
        {
            "book": book,
            "book_label": BOOK_LABELS[book],
            "books": books,
            "form": form,
            "page": page,
            "listing": listing,
            "query": listing.query_string,
            "can_register": request.user.has_perm(selectors.REGISTER),
            "year": timezone.localdate().year,
            "closures": list(closing.closures(viewer=request.user)[:6]) if book != "received" else [],
            "close_form": CloseForm(initial={"book": book})
            if book != "received" and request.user.has_perm(selectors.REGISTER)
            else None,
        },
    )


def _incoming_input(data: dict[str, Any]) -> services.IncomingInput:
    return services.IncomingInput(
        issuer_name=data["issuer_name"],
        issuer_agency_id=data.get("issuer_agency_id") or "",
        subject=data["subject"],
        document_type=data["document_type"],
        number_symbol=data.get("number_symbol") or "",
        received_on=data["received_on"],
        issued_on=data.get("issued_on"),
        urgency=data["urgency"],
        classification=data["classification"],
        note=data.get("note") or "",
        file=data.get("file"),
    )


def _submit(request: OfficerRequest, form: IncomingForm, received: IncomingDocument | None) -> HttpResponse | None:
    """The redirect to the registered document, or None with the errors on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        outcome = services.incoming_register(
            by=request.user,
            data=_incoming_input(data),
            received_id=received.pk if received else None,
            recipient_unit=data.get("recipient_unit"),
            recipient_officer=data.get("recipient_officer"),
            confirm_not_duplicate=data.get("confirm_not_duplicate", False),
        )
    except services.PossibleDuplicate as exc:
        form.add_error("confirm_not_duplicate", exc.details["confirm_not_duplicate"][0])
        return None
    except ApplicationError as exc:
        add_error_details(form, exc)
        return None
    document = outcome.document
    messages.success(
        request,
        _("Đã vào sổ văn bản đến, số đến %(number)s.") % {"number": document.arrival_display},
    )
    for warning in outcome.warnings:
        messages.warning(request, warning)
    return redirect("documents:incoming", document_id=document.pk)


@never_cache
@login_required
@can_register
def register_new(request: OfficerRequest) -> HttpResponse:
    form = IncomingForm(request.POST or None, request.FILES or None, viewer=request.user)
    response = _submit(request, form, None) if request.method == "POST" else None
    if response is not None:
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/register_form.html", {"form": form, "received": None}, status=status)


@never_cache
@login_required
@can_register
def register_received(request: OfficerRequest, document_id: int) -> HttpResponse:
    """Register an entry that another system sent: the form starts from what it said."""
    received = _open(request, document_id)
    if received.status != IncomingDocument.Status.RECEIVED:
        return redirect("documents:incoming", document_id=received.pk)
    initial = {
        "received_on": received.received_on,
        "issuer_name": received.issuer_name,
        "issuer_agency_id": received.issuer_agency_id,
        "number_symbol": received.number_symbol,
        "issued_on": received.issued_on,
        "document_type": received.document_type_id,
        "subject": received.subject,
        "urgency": received.urgency,
        "classification": received.classification,
        "note": received.note,
    }
    form = IncomingForm(request.POST or None, request.FILES or None, viewer=request.user, initial=initial)
    response = _submit(request, form, received) if request.method == "POST" else None
    if response is not None:
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/register_form.html", {"form": form, "received": received}, status=status)


def _open(request: OfficerRequest, document_id: int, purpose: str = "view") -> IncomingDocument:
    try:
        return selectors.incoming_open(viewer=request.user, document_id=document_id, purpose=purpose)
    except NotFound:
        raise Http404 from None


@never_cache
@login_required
@can_view
def incoming(request: OfficerRequest, document_id: int) -> HttpResponse:
    document = _open(request, document_id)
    can_hand_over = (
        document.withdrawn_at is None
        and request.user.has_perm(selectors.REGISTER)
        and document.is_registered
        and document.acknowledged_at is None
    )
    return render(
        request,
        "documents/incoming.html",
        {
            "document": document,
            "signatures": _signature_panel(document),
            "events": selectors.timeline(document),
            "can_acknowledge": services.can_acknowledge(document, request.user),
            "hand_over_form": HandOverForm(viewer=request.user) if can_hand_over else None,
            "can_register": request.user.has_perm(selectors.REGISTER)
            and document.status == IncomingDocument.Status.RECEIVED
            and document.withdrawn_at is None,
            **outgoing_views.incoming_extra(document, request.user),
        },
    )


def _signature_panel(document: IncomingDocument) -> dict[str, Any] | None:
    """The signatures of the document's PDF (congan.signatures), for the panel on its page."""
    if not document.file:
        return None
    from congan.signatures.selectors import signature_panel

    with document.file.open("rb") as handle:
        return signature_panel(handle.read())


@login_required
@can_view
def incoming_file(request: OfficerRequest, document_id: int) -> FileResponse:
    document = _open(request, document_id, purpose="file")
    if not document.file:
        raise Http404()
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-ban-den-{document.pk}.pdf"'
    return response


@require_POST
@login_required
@can_register
def hand_over(request: OfficerRequest, document_id: int) -> HttpResponse:
    form = HandOverForm(request.POST, viewer=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("documents:incoming", document_id=document_id)
    try:
        services.incoming_hand_over(
            by=request.user,
            document_id=document_id,
            recipient_unit=form.cleaned_data.get("recipient_unit"),
            recipient_officer=form.cleaned_data.get("recipient_officer"),
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã chuyển văn bản."))
    return redirect("documents:incoming", document_id=document_id)


@require_POST
@login_required
@can_view
def acknowledge(request: OfficerRequest, document_id: int) -> HttpResponse:
    try:
        services.incoming_acknowledge(by=request.user, document_id=document_id)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã ký nhận văn bản."))
    return redirect("documents:incoming", document_id=document_id)


@never_cache
@login_required
@can_view
def register_print(request: OfficerRequest) -> HttpResponse:
    """The register of a period as PDF, in the layout of Appendix IV, to be signed and closed."""
    book = _book(request)
    if book == "received":
        book = "ordinary"
    form = RegisterFilterForm(request.GET, years=selectors.register_years(viewer=request.user))
    today = timezone.localdate()
    filters = form.filters(book)
    start = filters.date_from or today.replace(day=1)
    end = filters.date_to or today
    documents = list(
        selectors.incoming_register(
            viewer=request.user, filters=selectors.RegisterFilters(book=book, date_from=start, date_to=end)
        ).order_by("received_on", "arrival_number", "pk")[: closing.PDF_MAX_ENTRIES + 1]
    )
    if len(documents) > closing.PDF_MAX_ENTRIES:  # every row or none: a register never stops silently
        messages.error(request, closing.too_many_error(True)["date_from"][0])
        return redirect(register_url(book))
    selectors.audit_classified_shown(viewer=request.user, documents=documents, how="register_pdf")
    unit = request.user.unit
    content = register_pdf.render(
        unit_name=unit.name if unit else "",
        parent_name=unit.parent.name if unit and unit.parent_id and unit.parent else "",
        secret=book == "secret",
        start=start,
        end=end,
        documents=documents,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-van-ban-den-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    return response


def register_url(book: str = "ordinary") -> str:
    return reverse("documents:register") + (f"?book={book}" if book != "ordinary" else "")


@require_POST
@login_required
@can_register
def register_close(request: OfficerRequest) -> HttpResponse:
    """Khóa sổ: close a period of the clerk's unit's register (its PDF stored with its SHA-256)."""
    form = CloseForm(request.POST)
    book = request.POST.get("book", "ordinary")
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join([_("Chưa khóa sổ được."), *problems]))
        return redirect(register_url(book if book in ("ordinary", "secret") else "ordinary"))
    data = form.cleaned_data
    try:
        closure = closing.register_close(
            by=request.user, book=data["book"], start=data.get("date_from"), end=data.get("date_to")
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Đã khóa sổ từ ngày %(start)s đến ngày %(end)s (%(count)s văn bản). Bản PDF đã lưu để ký.")
            % {
                "start": closure.period_from.strftime("%d/%m/%Y"),
                "end": closure.period_to.strftime("%d/%m/%Y"),
                "count": closure.entries,
            },
        )
    return redirect(register_url(data["book"]))


@login_required
@can_view
def closure_pdf(request: OfficerRequest, closure_id: int) -> FileResponse:
    """The stored PDF of a closed period, as it was when closed."""
    closure = closing.closures(viewer=request.user).filter(pk=closure_id).first()
    if closure is None or not closure.file:
        raise Http404()
    response = FileResponse(closure.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="so-van-ban-den-{closure.period_from:%Y%m%d}-{closure.period_to:%Y%m%d}.pdf"'
    )
    return response


def _closure(request: OfficerRequest, closure_id: int):
    closure = (
        closing.closures(viewer=request.user).select_related("signed_by", "unit__parent").filter(pk=closure_id).first()
    )
    if closure is None:
        raise Http404()
    return closure


@never_cache
@login_required
@can_view
def closure(request: OfficerRequest, closure_id: int) -> HttpResponse:
    """Kỳ khóa sổ: the period, its figures, the stored PDF's SHA-256 (and the unsigned one's), signed
    or not, the signature panel, and the head of the unit's "Ký sổ"."""
    from congan.signatures.selectors import signature_panel

    found = _closure(request, closure_id)
    with found.file.open("rb") as handle:
        content = handle.read()
    return render(
        request,
        "documents/closure.html",
        {
            "closure": found,
            "signatures": signature_panel(content),
            "signed": signing_port.pdf_has_signature(content),
            "can_sign": not found.is_signed and closing.can_sign(found, request.user),
        },
    )


@require_POST
@login_required
@permission_required(closing.SIGN, raise_exception=True)
def closure_sign(request: OfficerRequest, closure_id: int) -> HttpResponse:
    _closure(request, closure_id)
    try:
        closing.register_sign(by=request.user, closure_id=closure_id)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã ký số sổ của kỳ này."))
    return redirect("documents:closure", closure_id=closure_id)
