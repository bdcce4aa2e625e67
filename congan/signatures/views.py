"""The verification page (/van-ban/kiem-tra-chu-ky/): an officer uploads a signed PDF and reads each
signature's report; the file is checked in memory and never kept."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from congan.core.errors import ValidationFailed
from congan.core.forms import add_error_details
from congan.org.actors import OfficerRequest
from congan.signatures import selectors
from congan.signatures.forms import VerifyForm

VIEW = "documents.view_incomingdocument"


@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
def verify(request: OfficerRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = selectors.verify_pdf(form.cleaned_data["pdf"])
            except ValidationFailed as exc:
                add_error_details(form, exc)
            else:
                if not report.signatures:
                    form.add_error("pdf", _("Tệp không có chữ ký số nào."))
                    report = None
        if report is None:
            status = 400
    return render(request, "signatures/verify.html", {"form": form, "report": report}, status=status)
