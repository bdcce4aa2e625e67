"""Pages of outgoing documents (sổ văn bản đi): the register with its filters and exports, the
draft form, one document with its versions, comments, workflow steps, recipients and receipts,
the issued PDF, and the public link outside recipients open."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details, error_text
from congan.core.labels import data_label
from congan.core.listing import EXPORT_LIMIT, Column, Listing
from congan.documents import attachments, copy_views, outgoing_selectors, outgoing_services, selectors, signing_port
from congan.documents.models import IncomingDocument, OutgoingDocument
from congan.documents.outgoing_forms import (
    AccessForm,
    AttachmentForm,
    CommentForm,
    OutgoingFilterForm,
    OutgoingForm,
    ReasonForm,
    VersionForm,
    parse_outside,
)
from congan.org.actors import OfficerRequest

can_view = permission_required(outgoing_selectors.VIEW, raise_exception=True)
can_draft = permission_required(outgoing_selectors.DRAFT, raise_exception=True)
Status = OutgoingDocument.Status


def _recipients_text(document: OutgoingDocument) -> str:
    return "; ".join(delivery.name for delivery in document.deliveries.all())


COLUMNS = [
    Column("issued", gettext_lazy("Ngày văn bản"), lambda d: d.issued_on, ("issued_on", "number")),
    Column("symbol", gettext_lazy("Số, ký hiệu"), lambda d: d.number_symbol, ("number",)),
    Column(
        "subject",
        gettext_lazy("Tên loại và trích yếu nội dung"),
        lambda d: f"{data_label(d.document_type.name)}: {d.subject}",
        ("subject",),
    ),
    Column("signer", gettext_lazy("Người ký"), lambda d: d.signer or "", ("signer__sort_name",)),
    Column("recipients", gettext_lazy("Nơi nhận"), _recipients_text, ()),
    Column("status", gettext_lazy("Trạng thái"), lambda d: d.get_status_display(), ("status",)),
    Column("urgency", gettext_lazy("Độ khẩn"), lambda d: d.get_urgency_display(), ("urgency",)),
    Column("classification", gettext_lazy("Độ mật"), lambda d: d.get_classification_display(), ("classification",)),
]


def _secret_book(request: OfficerRequest) -> bool:
    return request.GET.get("book") == "secret" and selectors.clearance_of(request.user) >= 1


@never_cache
@login_required
@can_view
def register(request: OfficerRequest) -> HttpResponse:
    secret = _secret_book(request)
    form = OutgoingFilterForm(request.GET)
    documents = outgoing_selectors.outgoing_register(viewer=request.user, filters=form.filters(secret=secret))
    documents = documents.prefetch_related("deliveries")
    listing = Listing(COLUMNS, request.GET)
    documents = listing.ordered(documents)
    if listing.export_format:
        shown = list(documents[:EXPORT_LIMIT])
        outgoing_selectors.audit_classified_shown(
            viewer=request.user, documents=shown, how=f"export:{listing.export_format}"
        )
        return listing.export(shown, filename="so-van-ban-di")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    outgoing_selectors.audit_classified_shown(viewer=request.user, documents=list(page.object_list), how="list")
    return render(
        request,
        "documents/outgoing_register.html",
        {
            "secret": secret,
            "can_see_secret": selectors.clearance_of(request.user) >= 1,
            "form": form,
            "page": page,
            "listing": listing,
            "query": listing.query_string,
            "can_draft": request.user.has_perm(outgoing_selectors.DRAFT),
        },
    )


def _input(data: dict[str, Any]) -> outgoing_services.OutgoingInput:
    return outgoing_services.OutgoingInput(
        document_type=data["document_type"],
        subject=data["subject"],
        urgency=data["urgency"],
        classification=data["classification"],
        signer=data.get("signer"),
        signer_title=data.get("signer_title") or "",
        place=data.get("place") or "",
        body=data.get("body") or "",
        file=data.get("file"),
        recipient_units=list(data.get("recipient_units") or []),
        outside=parse_outside(data.get("outside") or ""),
        restricted=bool(data.get("restricted")),
        allowed_officers=list(data.get("allowed_officers") or []),
        allowed_units=list(data.get("allowed_units") or []),
    )


@never_cache
@login_required
@can_draft
def new(request: OfficerRequest) -> HttpResponse:
    form = OutgoingForm(request.POST or None, request.FILES or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = outgoing_services.outgoing_draft(by=request.user, data=_input(form.cleaned_data))
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("documents:outgoing", document_id=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/outgoing_form.html", {"form": form}, status=status)


def _open(request: OfficerRequest, document_id: int, purpose: str = "view") -> OutgoingDocument:
    try:
        return outgoing_selectors.outgoing_open(viewer=request.user, document_id=document_id, purpose=purpose)
    except NotFound:
        raise Http404 from None


def _signature_panel(pdf: bytes) -> dict[str, Any] | None:
    """The signatures of the issued PDF (congan.signatures), for the panel on the page."""
    from congan.signatures.selectors import signature_panel

    return signature_panel(pdf) if pdf else None


def _stored_pdf(document: OutgoingDocument) -> bytes:
    if not document.pdf:
        return b""
    with document.pdf.open("rb") as handle:
        return handle.read()


@never_cache
@login_required
@can_view
def detail(request: OfficerRequest, document_id: int) -> HttpResponse:
    document = _open(request, document_id)
    user = request.user
    editable = document.status in (Status.DRAFT, Status.IN_REVIEW) and user.has_perm(outgoing_selectors.DRAFT)
    leader = bool(user.unit and document.unit.is_within(user.unit))
    can = {
        "version": editable,
        "comment": document.status in (Status.DRAFT, Status.IN_REVIEW),
        "submit": document.status == Status.DRAFT and user.has_perm(outgoing_selectors.DRAFT),
        "return": document.status in (Status.IN_REVIEW, Status.APPROVED)
        and (document.signer_id == user.pk or (leader and user.has_perm(outgoing_selectors.SIGN))),
        "approve": document.status == Status.IN_REVIEW
        and user.has_perm(outgoing_selectors.SIGN)
        and (document.signer_id == user.pk or leader),
        "sign": document.status == Status.APPROVED
        and document.signer_id == user.pk
        and user.has_perm(outgoing_selectors.SIGN),
        "issue": document.status == Status.SIGNED and leader and user.has_perm(outgoing_selectors.ISSUE),
        "recall": document.status == Status.ISSUED and leader and user.has_perm(outgoing_selectors.RECALL),
        "access": not document.is_classified
        and document.status != Status.RECALLED
        and (
            document.drafted_by_id == user.pk
            or document.signer_id == user.pk
            or (leader and user.has_perm(outgoing_selectors.SIGN))
        ),
    }
    access_form = None
    if can["access"]:
        access_form = AccessForm(
            viewer=user,
            initial={
                "restricted": document.restricted,
                "allowed_officers": list(document.allowed_officers.all()),
                "allowed_units": list(document.allowed_units.all()),
            },
        )
    pdf = _stored_pdf(document)
    return render(
        request,
        "documents/outgoing.html",
        {
            "document": document,
            "attachments": attachment_panels(document.attachments.order_by("order", "pk")),
            "attachment_form": AttachmentForm() if can["version"] and not document.is_classified else None,
            **copy_views.source_copies(document, user),
            "signatures": _signature_panel(pdf),
            "versions": outgoing_selectors.versions(document),
            "deliveries": outgoing_selectors.deliveries(document),
            "events": outgoing_selectors.timeline(document),
            "signed": signing_port.pdf_has_signature(pdf),
            "can": can,
            "version_form": VersionForm() if can["version"] else None,
            "comment_form": CommentForm() if can["comment"] else None,
            "reason_form": ReasonForm(),
            "access_form": access_form,
        },
    )


def _run(request: OfficerRequest, document_id: int, step: str) -> str:
    """Carry out one step from the page's forms; the message to show."""
    by, post = request.user, request.POST
    if step == "version":
        form = VersionForm(post, request.FILES)
        form.is_valid()
        data = form.cleaned_data
        version = outgoing_services.outgoing_add_version(
            by=by,
            document_id=document_id,
            body=data.get("body") or "",
            file=data.get("file"),
            note=data.get("note") or "",
        )
        return _("Đã lưu phiên bản %(n)d.") % {"n": version.number}
    if step == "attach":
        adding = AttachmentForm(post, request.FILES)
        adding.is_valid()
        attachment = attachments.attachment_add(
            by=by,
            document_id=document_id,
            title=adding.cleaned_data.get("attachment_title") or post.get("attachment_title", ""),
            file=adding.cleaned_data.get("attachment_file"),
        )
        return _("Đã thêm phụ lục “%(title)s”.") % {"title": attachment.title}
    if step == "detach":
        try:
            attachment_id = int(post.get("attachment", ""))
        except ValueError:
            raise Http404() from None
        attachments.attachment_remove(by=by, document_id=document_id, attachment_id=attachment_id)
        return _("Đã bỏ phụ lục.")
    if step == "comment":
        outgoing_services.outgoing_comment(by=by, document_id=document_id, text=post.get("text", ""))
        return _("Đã gửi góp ý.")
    if step == "submit":
        outgoing_services.outgoing_submit(by=by, document_id=document_id)
        return _("Đã trình duyệt.")
    if step == "return":
        outgoing_services.outgoing_return(by=by, document_id=document_id, reason=post.get("reason", ""))
        return _("Đã trả lại dự thảo.")
    if step == "approve":
        outgoing_services.outgoing_approve(by=by, document_id=document_id)
        return _("Đã duyệt nội dung.")
    if step == "sign":
        outgoing_services.outgoing_sign(by=by, document_id=document_id)
        return _("Đã ký duyệt; văn thư cấp số, phát hành.")
    if step == "issue":
        document = outgoing_services.outgoing_issue(by=by, document_id=document_id)
        return _("Đã phát hành văn bản số %(symbol)s.") % {"symbol": document.number_symbol}
    if step == "recall":
        outgoing_services.outgoing_recall(by=by, document_id=document_id, reason=post.get("reason", ""))
        return _("Đã thu hồi văn bản.")
    if step == "access":
        access = AccessForm(post, viewer=by)
        data = access.cleaned_data if access.is_valid() else {}
        if access.errors:
            raise outgoing_services.ValidationFailed(details=dict(access.errors))
        outgoing_services.outgoing_access_set(
            by=by,
            document_id=document_id,
            restricted=bool(data.get("restricted")),
            officers=list(data.get("allowed_officers") or []),
            units=list(data.get("allowed_units") or []),
        )
        return _("Đã lưu danh sách người xem.")
    raise Http404()


STEPS = (
    "version",
    "comment",
    "submit",
    "return",
    "approve",
    "sign",
    "issue",
    "recall",
    "access",
    "attach",
    "detach",
)


@require_POST
@login_required
@can_view
def step(request: OfficerRequest, document_id: int, step: str) -> HttpResponse:
    if (
        step not in STEPS
        or not outgoing_selectors.outgoing_visible(viewer=request.user).filter(pk=document_id).exists()
    ):
        raise Http404()
    try:
        message = _run(request, document_id, step)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, message)
    return redirect("documents:outgoing", document_id=document_id)


@login_required
@can_view
def issued_pdf(request: OfficerRequest, document_id: int) -> FileResponse:
    document = _open(request, document_id, purpose="file")
    if not document.pdf:
        raise Http404()
    response = FileResponse(document.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-ban-di-{document.pk}.pdf"'
    return response


def attachment_panels(items: Any) -> list[dict[str, Any]]:
    """Each separate-file attachment with its signature state and panel (for the document pages)."""
    from congan.signatures.selectors import signature_panel

    panels = []
    for attachment in items:
        stored = attachment.current if hasattr(attachment, "current") else attachment.file
        content = b""
        if stored:
            with stored.open("rb") as handle:
                content = handle.read()
        signed = signing_port.pdf_has_signature(content)
        panels.append(
            {"attachment": attachment, "signed": signed, "signatures": signature_panel(content) if signed else None}
        )
    return panels


@login_required
@can_view
def attachment_file(request: OfficerRequest, document_id: int, attachment_id: int) -> FileResponse:
    """A separate-file attachment of an outgoing document: the issued (signed) file once issued."""
    document = _open(request, document_id, purpose="file")
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None or not attachment.current:
        raise Http404()
    response = FileResponse(attachment.current.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phu-luc-{document.pk}-{attachment.order}.pdf"'
    return response


@login_required
@can_view
def incoming_attachment_file(request: OfficerRequest, document_id: int, attachment_id: int) -> FileResponse:
    """A separate-file attachment received with an incoming document."""
    try:
        document = selectors.incoming_open(viewer=request.user, document_id=document_id, purpose="file")
    except NotFound:
        raise Http404 from None
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None or not attachment.file:
        raise Http404()
    response = FileResponse(attachment.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phu-luc-den-{document.pk}-{attachment.order}.pdf"'
    return response


@login_required
@can_view
def version_file(request: OfficerRequest, document_id: int, version_id: int) -> FileResponse:
    document = _open(request, document_id, purpose="file")
    version = document.versions.filter(pk=version_id).exclude(file="").first()
    if version is None:
        raise Http404()
    docx = version.file_name.lower().endswith(".docx")
    content_type = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" if docx else "application/pdf"
    )
    response = FileResponse(version.file.open("rb"), content_type=content_type)
    disposition = "attachment" if docx else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="du-thao-{document.pk}-v{version.number}.{"docx" if docx else "pdf"}"'
    )
    return response


@never_cache
def download(request: HttpRequest, token: str) -> FileResponse:
    """Tải văn bản: the signed link an outside recipient got by e-mail (no sign-in); it stops
    working when the document is recalled or the link is older than DOWNLOAD_DAYS."""
    try:
        delivery = outgoing_services.delivery_by_token(token)
    except NotFound:
        raise Http404 from None
    response = FileResponse(delivery.document.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-ban-{delivery.document.pk}.pdf"'
    return response


@require_POST
@login_required
@permission_required(selectors.REGISTER, raise_exception=True)
def incoming_access(request: OfficerRequest, document_id: int) -> HttpResponse:
    """The access list of an ordinary incoming entry (the clerk's form on its page)."""
    if not selectors.incoming_visible(viewer=request.user).filter(pk=document_id).exists():
        raise Http404()
    form = AccessForm(request.POST, viewer=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("documents:incoming", document_id=document_id)
    try:
        outgoing_services.incoming_access_set(
            by=request.user,
            document_id=document_id,
            restricted=bool(form.cleaned_data.get("restricted")),
            officers=list(form.cleaned_data.get("allowed_officers") or []),
            units=list(form.cleaned_data.get("allowed_units") or []),
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã lưu danh sách người xem."))
    if not selectors.incoming_visible(viewer=request.user).filter(pk=document_id).exists():
        return redirect("documents:register")
    return redirect("documents:incoming", document_id=document_id)


def incoming_extra(document: IncomingDocument, viewer: Any) -> dict[str, Any]:
    """What the incoming page shows of this part: a withdrawn entry, the signature of a file sent
    inside the platform, and the access-list form for the clerk."""
    signed = False
    if document.file and document.source_outgoing_id:
        with document.file.open("rb") as handle:
            signed = signing_port.pdf_has_signature(handle.read())
    access_form = None
    if viewer.has_perm(selectors.REGISTER) and not document.is_classified and document.withdrawn_at is None:
        access_form = AccessForm(
            viewer=viewer,
            initial={
                "restricted": document.restricted,
                "allowed_officers": list(document.allowed_officers.all()),
                "allowed_units": list(document.allowed_units.all()),
            },
        )
    return {
        "signed": signed,
        "access_form": access_form,
        "attachments": attachment_panels(document.attachments.order_by("order", "pk")),
        **copy_views.source_copies(document, viewer),
    }
