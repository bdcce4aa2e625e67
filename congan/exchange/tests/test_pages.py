"""The records clerk's exchange pages: the log, one packet with its warnings and statuses, the
upload form with its field errors, the recall request and its answer, and their unit scope."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congan.exchange import services
from congan.exchange.models import ExchangeMessage, ExchangeStatus
from congan.exchange.tests.factories import clerk, exchanging_unit, outgoing

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(province):
    a = exchanging_unit(province, "CAPA", "000.01.48.G01", "Công an phường Hải Châu")
    b = exchanging_unit(province, "CAPB", "000.02.48.G01", "Công an phường Thanh Khê")
    return a, b


def _upload(client, name: str, data: bytes):
    return client.post(reverse("exchange:upload"), {"packet": SimpleUploadedFile(name, data)})


def test_an_uploaded_envelope_lands_in_the_clerks_own_unit(client, pair):
    a, b = pair
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    client.force_login(clerk(a))  # addressed to B, but A's clerk hands it in: it is A's entry
    response = _upload(client, "goi-tin.edxml", data)
    assert response.status_code == 302
    message = ExchangeMessage.objects.get()
    assert message.unit == a and message.incoming.unit == a
    page = client.get(response.url)
    assert "Đã nhận văn bản, đang chờ vào sổ." in page.content.decode()
    assert "Đã đến" in page.content.decode()


def test_the_upload_form_shows_what_is_wrong_on_the_field(client, pair):
    a, b = pair
    client.force_login(clerk(b))
    response = _upload(client, "goi-tin.pdf", b"%PDF-1.4")
    assert response.status_code == 400
    assert "Chỉ nhận tệp .edxml hoặc .xml." in response.content.decode()
    response = _upload(client, "goi-tin.edxml", b"<edXML><broken></edXML>")
    assert response.status_code == 400
    assert "Tệp không phải gói tin edXML đọc được" in response.content.decode()
    data = services.envelope_for_outgoing(outgoing(a, [b])).replace("Quyết định".encode(), b"Quyet dinh")
    response = _upload(client, "goi-tin.edxml", data)
    assert response.status_code == 400
    assert "edXMLHeader/Signature" in response.content.decode()
    assert not ExchangeMessage.objects.exists()


def test_the_log_lists_packets_in_and_out_with_their_latest_status(client, pair):
    a, b = pair
    sent = services.envelope_send(by=clerk(a), message=outgoing(a, [b]))
    imported = services.envelope_import(by=clerk(b), unit=b, data=sent.envelope.read())
    services.status_import(by=clerk(a), data=imported.message.statuses.get(code="01").packet.encode())
    client.force_login(clerk(a))
    page = client.get(reverse("exchange:log")).content.decode()
    assert "15/QĐ-CAP-PV01" in page and "Đã đến" in page and "Công an phường Thanh Khê" in page
    detail = client.get(reverse("exchange:message", args=[sent.pk])).content.decode()
    assert "Đề nghị thu hồi văn bản đã gửi" in detail
    download = client.get(reverse("exchange:envelope", args=[sent.pk]))
    assert b"".join(download.streaming_content) == sent.envelope.open("rb").read()
    csv = client.get(reverse("exchange:log") + "?export=csv")
    assert csv.status_code == 200 and "15/QĐ-CAP-PV01" in b"".join(
        csv.streaming_content if csv.streaming else [csv.content]
    ).decode("utf-8-sig")


def test_warnings_are_worded_for_the_clerk(client, pair):
    _a, b = pair
    from congan.exchange import edxml
    from congan.exchange.tests.factories import PDF

    data = edxml.envelope_build(
        edxml.Message(
            sender=edxml.Organisation("999.010.01.H22", "Hệ thống thử nghiệm của trục"),
            recipients=[edxml.Organisation("000.02.48.G01", "Công an phường Thanh Khê")],
            code_number="12",
            code_notation="UBND-VP",
            promulgation_date=dt.date(2026, 1, 2),
            subject="Văn bản gửi thử từ trục liên thông",
            attachments=[edxml.Attachment("vb.pdf", PDF)],
        )
    )
    outcome = services.envelope_import(by=clerk(b), unit=b, data=data)
    client.force_login(clerk(b))
    page = client.get(reverse("exchange:message", args=[outcome.message.pk])).content.decode()
    assert "999.010.01.H22 không theo dạng" in page
    assert "Gói tin không có chữ ký số" in page


def test_another_units_clerk_recalls_or_answers_nothing(client, pair, other_commune):
    a, b = pair
    sent = services.envelope_send(by=clerk(a), message=outgoing(a, [b]))
    imported = services.envelope_import(by=clerk(b), unit=b, data=sent.envelope.read())
    stranger = clerk(other_commune)
    client.force_login(stranger)
    recall = reverse("exchange:recall", args=[sent.pk])
    assert client.post(recall, {"reason": "Ban hành nhầm đối tượng"}).status_code == 404
    assert not ExchangeStatus.objects.filter(code="13").exists()
    client.force_login(clerk(a))
    assert client.post(recall, {"reason": "Ban hành nhầm đối tượng"}).status_code == 302
    request = ExchangeStatus.objects.get(code="13")
    services.status_import(by=clerk(b), data=request.packet.encode())
    answer = reverse("exchange:recall_reply", args=[imported.message.pk])
    client.force_login(stranger)
    assert client.post(answer, {"accept": "1"}).status_code == 404
    assert not ExchangeStatus.objects.filter(code="15").exists()
    client.force_login(clerk(b))
    assert client.post(answer, {"accept": "1", "note": "Đã gỡ"}).status_code == 302
    assert ExchangeStatus.objects.filter(code="15", direction="out").exists()


def test_officers_without_the_clerks_role_see_no_exchange(client, officer):
    from congan.org import roles
    from congan.org.tests.factories import OfficerFactory

    client.force_login(OfficerFactory(unit=officer.unit, roles=[roles.SPECIALIST]))
    assert client.get(reverse("exchange:log")).status_code == 403


def test_the_admin_lists_packets_read_only_and_audits_the_access(client, pair, province):
    from congan.core.models import AuditEvent
    from congan.exchange.tests.factories import message_row
    from congan.org.tests.factories import OfficerFactory
    from congan.org.tests.otp import verified_login

    message = message_row(pair[0], marker="NGADMIN")
    verified_login(client, OfficerFactory(unit=province, is_staff=True, is_superuser=True))
    assert "NGADMIN" in client.get(reverse("admin:exchange_exchangemessage_changelist")).content.decode()
    assert client.get(reverse("admin:exchange_exchangemessage_change", args=[message.pk])).status_code == 200
    assert client.get(reverse("admin:exchange_exchangemessage_add")).status_code == 403
    actions = set(AuditEvent.objects.filter(action__startswith="exchange.admin").values_list("action", flat=True))
    assert actions == {"exchange.admin.list", "exchange.admin.view"}


def test_the_log_search_ignores_diacritics_and_reads_d_for_đ(client, pair):
    a, b = pair
    services.envelope_import(by=clerk(b), unit=b, data=services.envelope_for_outgoing(outgoing(a, [b])))
    client.force_login(clerk(b))
    message = ExchangeMessage.objects.get()
    words = message.subject.split()
    typed = "".join(ch for ch in unicodedata.normalize("NFD", " ".join(words[:3])) if not unicodedata.combining(ch))
    typed = typed.replace("đ", "d").replace("Đ", "D").upper()
    assert typed not in message.subject
    found = client.get(reverse("exchange:log"), {"q": typed}).content.decode()
    assert reverse("exchange:message", args=[message.pk]) in found
    missed = client.get(reverse("exchange:log"), {"q": "không có văn bản này"}).content.decode()
    assert reverse("exchange:message", args=[message.pk]) not in missed
