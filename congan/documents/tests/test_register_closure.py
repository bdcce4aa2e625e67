"""Closing a period of the incoming register (khóa sổ): the PDF of every entry of the period is
stored with its SHA-256 and audited; a closed period refuses registrations and hand-overs dated
inside it with a field error; overlapping, future and cross-year periods are refused; a period
too long for one register PDF is refused with a message, never cut short."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from congan.core.errors import ValidationFailed
from congan.core.models import AuditEvent
from congan.documents import closing
from congan.documents.models import RegisterClosure
from congan.documents.tests.factories import IncomingDocumentFactory, clerk, register
from congan.org.tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registration_path")]


@pytest.fixture
def vanthu(commune):
    return clerk(commune)


def _period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = today.replace(day=1)
    return start, today


def test_closing_a_period_stores_its_pdf_with_every_entry_and_its_sha256(vanthu, commune):
    start, end = _period()
    for index in range(3):
        IncomingDocumentFactory(unit=commune, received_on=end, arrival_number=index + 1, subject=f"Văn bản số {index}")
    closure = closing.register_close(by=vanthu, book="ordinary", start=start, end=end)
    assert closure.unit == vanthu.unit == commune  # the clerk's own register, never one the request names
    content = closure.file.read()
    assert hashlib.sha256(content).hexdigest() == closure.file_sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert all(f"Văn bản số {index}" in text for index in range(3))
    assert (closure.entries, closure.first_number, closure.last_number) == (3, 1, 3)
    event = AuditEvent.objects.get(action="documents.register.close")
    assert event.details["sha256"] == closure.file_sha256 and event.details["entries"] == 3


def test_a_closed_period_refuses_a_registration_dated_inside_it(vanthu):
    start, end = _period()
    closing.register_close(by=vanthu, book="ordinary", start=start, end=end)
    with pytest.raises(ValidationFailed) as refused:
        register(vanthu, received_on=end)
    assert "Sổ đã khóa" in refused.value.details["received_on"][0]


def test_a_closed_period_refuses_handing_over_an_entry_dated_inside_it(vanthu, commune):
    from congan.documents import services

    start, end = _period()
    document = register(vanthu, received_on=end).document
    closing.register_close(by=vanthu, book="ordinary", start=start, end=end)
    with pytest.raises(ValidationFailed) as refused:
        services.incoming_hand_over(by=vanthu, document_id=document.pk, recipient_unit=commune, recipient_officer=None)
    assert "Sổ đã khóa" in refused.value.details["recipient_unit"][0]


def test_overlapping_future_and_cross_year_periods_are_refused(vanthu):
    today = timezone.localdate()
    start, end = _period()
    closing.register_close(by=vanthu, book="ordinary", start=start, end=end)
    with pytest.raises(ValidationFailed) as overlapping:
        closing.register_close(by=vanthu, book="ordinary", start=end, end=end)
    assert "trùng với kỳ đã khóa" in overlapping.value.details["date_from"][0]
    with pytest.raises(ValidationFailed) as future:
        closing.register_close(by=vanthu, book="ordinary", start=today, end=today + dt.timedelta(days=1))
    assert "date_to" in future.value.details
    with pytest.raises(ValidationFailed) as two_years:
        closing.register_close(by=vanthu, book="ordinary", start=dt.date(today.year - 1, 12, 1), end=start)
    assert "một năm" in two_years.value.details["date_to"][0]


def test_a_period_too_long_for_one_register_pdf_is_refused_not_cut(vanthu, commune, monkeypatch):
    monkeypatch.setattr(closing, "PDF_MAX_ENTRIES", 2)
    start, end = _period()
    for index in range(3):
        IncomingDocumentFactory(unit=commune, received_on=end, arrival_number=index + 1)
    with pytest.raises(ValidationFailed) as refused:
        closing.register_close(by=vanthu, book="ordinary", start=start, end=end)
    assert "chọn khoảng ngắn hơn" in refused.value.details["date_from"][0]
    assert not RegisterClosure.objects.exists()


def test_the_register_print_refuses_a_period_over_the_limit_with_a_message(client, vanthu, commune, monkeypatch):
    monkeypatch.setattr(closing, "PDF_MAX_ENTRIES", 2)
    for index in range(3):
        IncomingDocumentFactory(unit=commune, arrival_number=index + 1)
    client.force_login(vanthu)
    response = client.get(reverse("documents:register_pdf"), follow=True)
    assert "chọn khoảng ngắn hơn" in response.content.decode()


def test_the_clerk_closes_from_the_register_page_and_sees_the_closed_period(client, vanthu, commune):
    start, end = _period()
    IncomingDocumentFactory(unit=commune, received_on=end)
    client.force_login(vanthu)
    response = client.post(
        reverse("documents:register_close"),
        {"book": "ordinary", "date_from": start.strftime("%d/%m/%Y"), "date_to": end.strftime("%d/%m/%Y")},
        follow=True,
    )
    page = response.content.decode()
    closure = RegisterClosure.objects.get()
    assert "Đã khóa sổ" in page and f'data-testid="closure-{closure.pk}"' in page
    pdf = client.get(reverse("documents:closure_pdf", args=[closure.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_another_units_closed_period_is_not_found(client, vanthu, other_commune):
    closure = closing.register_close(by=clerk(other_commune), book="ordinary", start=_period()[0], end=_period()[1])
    client.force_login(vanthu)
    assert client.get(reverse("documents:closure_pdf", args=[closure.pk])).status_code == 404


def test_an_officer_who_is_not_a_clerk_cannot_close(commune):
    officer = OfficerFactory(unit=commune)
    from congan.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        closing.register_close(by=officer, book="ordinary", start=_period()[0], end=_period()[1])
