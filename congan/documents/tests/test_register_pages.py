"""The clerk's pages: the incoming register (urgent first, filters, search without diacritics,
sorting, CSV/Excel), the registration form with its field errors and duplicate alarm, the document
page with its timeline, handing over and acknowledging, the register PDF, the dashboard panel, the
to-do items and the search box."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from congan.core.models import AuditEvent
from congan.documents.models import Classification, IncomingDocument, Urgency
from congan.documents.tests.factories import IncomingDocumentFactory, clerk, document_type, pdf_upload, register
from congan.org import roles
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def vanthu(commune):
    return clerk(commune, clearance=Clearance.SECRET)


@pytest.fixture
def clerk_client(client, vanthu):
    client.force_login(vanthu)
    return client


def _form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "received_on": today.strftime("%d/%m/%Y"),
        "issuer_name": "Công an thành phố Đà Nẵng",
        "issuer_agency_id": "",
        "number_symbol": "15/QĐ-CATP-PV01",
        "issued_on": (today - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "document_type": document_type("QĐ").pk,
        "subject": "Quyết định thành lập tổ công tác bảo đảm an ninh trật tự",
        "urgency": Urgency.NORMAL,
        "classification": Classification.NORMAL,
        "recipient_unit": "",
        "recipient_officer": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_clerk_registers_a_document_with_its_pdf_and_lands_on_its_page(clerk_client, vanthu):
    response = clerk_client.post(reverse("documents:register_new"), {**_form(), "file": pdf_upload()}, follow=True)
    document = IncomingDocument.objects.get()
    assert response.redirect_chain[-1][0] == reverse("documents:incoming", args=[document.pk])
    page = response.content.decode()
    assert "Đã vào sổ văn bản đến, số đến 01." in page
    assert "15/QĐ-CATP-PV01" in page and "quyet-dinh.pdf" in page
    assert "Vào sổ văn bản đến" in page  # the timeline
    assert clerk_client.get(reverse("documents:incoming_file", args=[document.pk])).status_code == 200


def test_the_form_shows_vietnamese_field_errors_and_keeps_the_days_typed(clerk_client):
    response = clerk_client.post(
        reverse("documents:register_new"),
        _form(number_symbol="15/QĐ--CATP", received_on="31/02/2026", subject="x"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nhóm trống" in page
    assert "Nhập một ngày hợp lệ." in page  # 31/02 does not exist
    assert "ít nhất 5 chữ cái" in page
    assert 'value="31/02/2026"' in page
    assert not IncomingDocument.objects.exists()


def test_the_form_reads_days_day_first(clerk_client):
    clerk_client.post(reverse("documents:register_new"), _form(received_on="05/01/2026", issued_on="04/01/2026"))
    document = IncomingDocument.objects.get()
    assert document.received_on == dt.date(2026, 1, 5)


def test_the_duplicate_alarm_asks_the_clerk_to_confirm(clerk_client):
    clerk_client.post(reverse("documents:register_new"), _form())
    response = clerk_client.post(reverse("documents:register_new"), _form())
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="duplicate-alarm"' in page and "số đến 01" in page
    response = clerk_client.post(reverse("documents:register_new"), _form(confirm_not_duplicate="on"))
    assert response.status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_a_classified_entry_with_a_file_is_refused_on_the_form(clerk_client):
    response = clerk_client.post(
        reverse("documents:register_new"), {**_form(classification=Classification.SECRET), "file": pdf_upload()}
    )
    assert response.status_code == 400
    assert "không được lưu nội dung bí mật nhà nước" in response.content.decode()


def test_the_register_lists_urgent_documents_first_and_highlighted(clerk_client, commune):
    IncomingDocumentFactory(unit=commune, subject="Văn bản thường đến sau cùng")
    IncomingDocumentFactory(unit=commune, subject="Công điện hỏa tốc về phòng chống bão", urgency=Urgency.FLASH)
    page = clerk_client.get(reverse("documents:register")).content.decode()
    assert page.index("Công điện hỏa tốc") < page.index("Văn bản thường đến sau cùng")
    assert 'class="priority-urgent"' in page and "Hỏa tốc" in page


def test_the_register_filters_by_words_without_diacritics_issuer_type_urgency_and_days(clerk_client, commune):
    today = timezone.localdate()
    fire = IncomingDocumentFactory(unit=commune, subject="Kế hoạch phòng cháy chữa cháy mùa khô")
    old = IncomingDocumentFactory(
        unit=commune, subject="Báo cáo tổng kết năm", received_on=today - dt.timedelta(days=40)
    )
    notice = IncomingDocumentFactory(
        unit=commune,
        subject="Thông báo lịch họp giao ban",
        issuer_name="Ủy ban nhân dân phường Hải Vân",
        document_type=document_type("TB"),
        notation="TB-UBND",
        urgency=Urgency.URGENT,
    )
    url = reverse("documents:register")

    def listed(**query) -> set[str]:
        page = clerk_client.get(url, query).content.decode()
        return {d.subject for d in (fire, old, notice) if d.subject in page}

    assert listed(q="phong chay") == {fire.subject}
    assert listed(issuer="uy ban") == {notice.subject}
    assert listed(document_type=document_type("TB").pk) == {notice.subject}
    assert listed(urgency=Urgency.URGENT) == {notice.subject}
    assert listed(date_to=(today - dt.timedelta(days=30)).strftime("%d/%m/%Y")) == {old.subject}


def test_the_register_opens_on_this_years_book_and_offers_the_earlier_years(clerk_client, vanthu, commune):
    this_year = timezone.localdate().year
    register(vanthu, subject="Công văn của năm nay")
    register(
        vanthu,
        number_symbol="99/QĐ-CATP",
        subject="Quyết định của năm trước",
        received_on=dt.date(this_year - 1, 12, 30),
        issued_on=dt.date(this_year - 1, 12, 29),
    )
    url = reverse("documents:register")
    page = clerk_client.get(url).content.decode()
    assert "Công văn của năm nay" in page and "Quyết định của năm trước" not in page
    assert f'<option value="{this_year - 1}">{this_year - 1}</option>' in page
    assert "Tất cả các năm" in page
    earlier = clerk_client.get(url, {"year": this_year - 1}).content.decode()
    assert "Quyết định của năm trước" in earlier and "Công văn của năm nay" not in earlier
    every = clerk_client.get(url, {"year": ""}).content.decode()
    assert "Quyết định của năm trước" in every and "Công văn của năm nay" in every
    typed_days = {"date_from": f"20/12/{this_year - 1}"}
    assert "Quyết định của năm trước" in clerk_client.get(url, typed_days).content.decode()


def test_the_register_sorts_by_a_column_and_exports_csv_and_excel(clerk_client, commune):
    IncomingDocumentFactory(unit=commune, issuer_name="Bộ Công an", subject="Chỉ thị của Bộ về công tác năm")
    IncomingDocumentFactory(unit=commune, issuer_name="Ủy ban nhân dân thành phố", subject="Công văn về việc phối hợp")
    url = reverse("documents:register")
    page = clerk_client.get(url, {"sort": "-issuer"}).content.decode()
    assert page.index("Ủy ban nhân dân thành phố") < page.index("Bộ Công an")
    csv_text = clerk_client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith(
        "Ngày đến,Số đến,Tác giả,Số, ký hiệu".replace("Số, ký hiệu", '"Số, ký hiệu"')
    )
    assert "Chỉ thị của Bộ về công tác năm" in csv_text
    workbook = load_workbook(io.BytesIO(clerk_client.get(url, {"export": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Ngày đến" and len(rows) == 3
    assert rows[1][0] == timezone.localdate().strftime("%d/%m/%Y")


def test_the_secret_register_is_offered_only_to_officers_with_clearance(client, commune):
    IncomingDocumentFactory(unit=commune, classification=Classification.SECRET, subject="Văn bản mật về chuyên án")
    reader = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    client.force_login(reader)
    page = client.get(reverse("documents:register"), {"book": "secret"}).content.decode()
    assert "Văn bản mật về chuyên án" not in page and "Sổ văn bản mật đến" not in page
    cleared = OfficerFactory(unit=commune, roles=[roles.SPECIALIST], clearance=Clearance.SECRET)
    client.force_login(cleared)
    page = client.get(reverse("documents:register"), {"book": "secret"}).content.decode()
    assert "Văn bản mật về chuyên án" in page
    assert AuditEvent.objects.filter(action="documents.incoming.list_classified", actor_id=str(cleared.pk)).exists()


def test_the_named_officer_acknowledges_from_the_document_page(client, vanthu, commune):
    handler = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    document = register(vanthu, recipient_officer=handler).document
    client.force_login(handler)
    page = client.get(reverse("documents:incoming", args=[document.pk])).content.decode()
    assert 'data-testid="acknowledge"' in page
    response = client.post(reverse("documents:acknowledge", args=[document.pk]), follow=True)
    assert "Đã ký nhận văn bản." in response.content.decode()
    document.refresh_from_db()
    assert document.acknowledged_by == handler


def test_the_clerk_hands_a_registered_document_over(clerk_client, vanthu, commune):
    document = register(vanthu).document
    handler = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    response = clerk_client.post(
        reverse("documents:hand_over", args=[document.pk]), {"recipient_officer": handler.pk}, follow=True
    )
    assert "Đã chuyển văn bản." in response.content.decode()
    document.refresh_from_db()
    assert (document.recipient_officer, document.recipient_unit) == (handler, commune)


def test_a_received_entry_is_registered_from_its_page(clerk_client, commune):
    received = IncomingDocumentFactory(unit=commune, status=IncomingDocument.Status.RECEIVED, channel="system")
    page = clerk_client.get(reverse("documents:incoming", args=[received.pk])).content.decode()
    assert 'data-testid="register-received"' in page
    form = clerk_client.get(reverse("documents:register_received", args=[received.pk])).content.decode()
    assert received.subject in form
    response = clerk_client.post(
        reverse("documents:register_received", args=[received.pk]),
        _form(
            number_symbol=received.number_symbol,
            subject=received.subject,
            issued_on=received.issued_on.strftime("%d/%m/%Y"),
        ),
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert (received.status, received.arrival_number) == ("registered", 1)


def test_the_register_prints_as_a_pdf_with_the_ten_columns(clerk_client, commune):
    IncomingDocumentFactory(unit=commune, subject="Kế hoạch tuần tra kiểm soát dịp lễ", notation="KH-CATP")
    response = clerk_client.get(reverse("documents:register_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    assert "Kế hoạch tuần tra kiểm soát dịp lễ" in text
    assert "(10)" in text and "NGƯỜI LẬP SỔ" in text


def test_the_dashboard_panel_and_the_to_do_list_count_the_clerks_unit(client, vanthu, commune, other_commune):
    IncomingDocumentFactory(unit=commune, status=IncomingDocument.Status.RECEIVED, urgency=Urgency.FLASH)
    IncomingDocumentFactory(unit=other_commune, status=IncomingDocument.Status.RECEIVED)
    client.force_login(vanthu)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Văn bản chờ vào sổ" in dashboard
    todo = client.get(reverse("attention")).content.decode()
    assert "Văn bản đến chờ vào sổ" in todo and "?book=received" in todo
    from congan.core.attention import items_for

    waiting = [item for item in items_for(vanthu) if item.url.endswith("?book=received")]
    assert [(item.count, item.urgent) for item in waiting] == [(1, True)]


def test_the_search_box_opens_a_document_by_its_symbol(clerk_client, vanthu, other_commune):
    document = register(vanthu).document
    register(clerk(other_commune))
    response = clerk_client.get(reverse("search"), {"q": "số 15/qđ-catp-pv01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:incoming", args=[document.pk])


def test_the_menu_offers_the_register_to_the_clerk_and_the_leader(client, vanthu, province):
    client.force_login(vanthu)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("documents:register") in page and reverse("documents:register_new") in page
    leader = OfficerFactory(unit=province, roles=[roles.LEADER])
    verified_login(client, leader)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("documents:register") in page and reverse("documents:register_new") not in page
