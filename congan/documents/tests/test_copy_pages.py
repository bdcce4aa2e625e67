"""The pages of electronic copies: the clerk makes a copy from a document's page (the form tells a
classified or file-less document's refusal before anything is typed), a sao y from a paper scan
(field errors for a scan that is not a colour PDF of 200 dpi), reads the copy with its signature
panel, downloads it (audited each time), and sends it to units; the list filters and exports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congan.core.models import AuditEvent
from congan.documents import copy_services, outgoing_services
from congan.documents.models import Classification, DocumentCopy, IncomingDocument
from congan.documents.tests.factories import (
    IncomingDocumentFactory,
    clerk,
    document_type,
    drafter_of,
    leader_of,
    outgoing_signed,
)
from congan.documents.tests.signed import scan_pdf, seal_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing")]


@pytest.fixture
def unit(commune, pki):
    commune.symbol = "CAP"
    commune.save()
    seal_for(pki, commune)
    return commune


@pytest.fixture
def vanthu(unit):
    return clerk(unit)


@pytest.fixture
def issued(unit, other_commune):
    document = outgoing_signed(drafter_of(unit), leader_of(unit), recipient_units=[other_commune])
    return outgoing_services.outgoing_issue(by=clerk(unit), document_id=document.pk)


def test_the_clerk_makes_a_sao_y_from_the_issued_documents_page(client, vanthu, issued):
    client.force_login(vanthu)
    page = client.get(reverse("documents:outgoing", args=[issued.pk])).content.decode()
    form_url = reverse("documents:outgoing_copy", args=[issued.pk])
    assert 'data-testid="source-copies"' in page and form_url in page
    assert 'data-testid="copy-form"' in client.get(form_url).content.decode()

    response = client.post(form_url, {"form": "sao_y"})
    copy = DocumentCopy.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:copy", args=[copy.pk])
    page = client.get(response["Location"]).content.decode()
    assert "01/SY-CAP" in page and 'data-testid="signatures-valid"' in page and "Đã ký số" in page
    assert copy.number_symbol in client.get(reverse("documents:outgoing", args=[issued.pk])).content.decode()


def test_an_extract_without_its_pages_shows_field_errors_and_takes_no_number(client, vanthu, issued):
    client.force_login(vanthu)
    response = client.post(reverse("documents:outgoing_copy", args=[issued.pk]), {"form": "trich_sao"})
    assert response.status_code == 400
    assert "Nhập trang đầu" in response.content.decode()
    response = client.post(
        reverse("documents:outgoing_copy", args=[issued.pk]), {"form": "trich_sao", "page_from": 1, "page_to": 7}
    )
    assert "Văn bản chỉ có 1 trang." in response.content.decode()
    assert not DocumentCopy.objects.exists()


def test_a_classified_documents_copy_page_says_why_no_copy_is_made(client, unit):
    vanthu = clerk(unit, clearance=Classification.SECRET)
    secret = IncomingDocumentFactory(unit=unit, classification=Classification.SECRET)
    client.force_login(vanthu)
    url = reverse("documents:incoming_copy", args=[secret.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="copy-refusal"' in page and "Văn bản mật không được sao điện tử" in page
    assert 'data-testid="copy-form"' not in page
    response = client.post(url, {"form": "sao_y"})
    assert response.status_code == 400 and "Văn bản mật không được sao điện tử" in response.content.decode()
    assert 'data-testid="make-copy"' not in client.get(reverse("documents:incoming", args=[secret.pk])).content.decode()
    assert not DocumentCopy.objects.exists()


def test_a_sao_y_from_paper_shows_the_scans_problems_on_the_field(client, vanthu):
    client.force_login(vanthu)
    url = reverse("documents:copy_paper")
    data = {
        "issuer_name": "Ủy ban nhân dân phường Hải Châu",
        "number_symbol": "12/QĐ-UBND",
        "issued_on": "02/01/2026",
        "document_type": document_type("QĐ").pk,
        "subject": "Quyết định thành lập tổ dân phố số 5",
        "classification": 0,
    }
    response = client.post(url, {**data, "file": SimpleUploadedFile("scan.pdf", scan_pdf(150))})
    assert response.status_code == 400 and "150 dpi" in response.content.decode()
    response = client.post(
        url, {**data, "number_symbol": "12/QĐ UBND/x", "file": SimpleUploadedFile("s.pdf", scan_pdf())}
    )
    assert response.status_code == 400 and "một dấu gạch chéo" in response.content.decode()
    response = client.post(url, {**data, "file": SimpleUploadedFile("scan.pdf", scan_pdf(300))})
    copy = DocumentCopy.objects.get()
    assert response.status_code == 302 and (copy.origin, copy.original_issued_on.day) == ("paper", 2)


def test_each_download_of_a_copy_is_audited(client, vanthu, issued):
    copy = copy_services.copy_make(by=vanthu, request=copy_services.CopyRequest(form="sao_y", outgoing_id=issued.pk))
    client.force_login(vanthu)
    url = reverse("documents:copy_pdf", args=[copy.pk])
    for _index in range(2):
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"
    events = AuditEvent.objects.filter(action="documents.copy.download")
    assert events.count() == 2 and {e.details["how"] for e in events} == {"page"}


def test_the_copy_page_sends_it_to_a_unit(client, vanthu, issued, other_commune):
    copy = copy_services.copy_make(by=vanthu, request=copy_services.CopyRequest(form="sao_y", outgoing_id=issued.pk))
    client.force_login(vanthu)
    url = reverse("documents:copy", args=[copy.pk])
    assert 'data-testid="copy-send-form"' in client.get(url).content.decode()
    response = client.post(reverse("documents:copy_send", args=[copy.pk]), {"units": [other_commune.pk]}, follow=True)
    assert "Đã gửi bản sao đến 1 đơn vị." in response.content.decode()
    entry = IncomingDocument.objects.get(source_copy=copy)
    assert other_commune.name in client.get(url).content.decode() and entry.unit == other_commune
    response = client.post(reverse("documents:copy_send", args=[copy.pk]), {"units": [other_commune.pk]}, follow=True)
    assert "chưa được gửi bản sao này" in response.content.decode()


def test_the_copies_list_filters_and_exports(client, vanthu, issued):
    make = copy_services.copy_make
    make(by=vanthu, request=copy_services.CopyRequest(form="sao_y", outgoing_id=issued.pk))
    make(by=vanthu, request=copy_services.CopyRequest(form="trich_sao", outgoing_id=issued.pk, page_from=1, page_to=1))
    client.force_login(drafter_of(vanthu.unit))  # everyone who reads the registers reads the copies
    page = client.get(reverse("documents:copies")).content.decode()
    assert "01/SY-CAP" in page and "02/TrS-CAP" in page
    page = client.get(reverse("documents:copies") + "?form=trich_sao").content.decode()
    assert "01/SY-CAP" not in page and "02/TrS-CAP" in page
    export = client.get(reverse("documents:copies") + "?export=csv")
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode("utf-8-sig")
    assert "02/TrS-CAP" in text and "Trích sao" in text
    assert 'data-testid="copy-paper"' not in page  # a specialist makes no copy
    assert client.get(reverse("documents:copy_paper")).status_code == 403
