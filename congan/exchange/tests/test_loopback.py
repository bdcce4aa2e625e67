"""A round trip between two units of the platform through edXML files: unit A sends a decision
with its PDF, unit B imports the file into its incoming register, registers it and hands it over,
the status packets go back to A as files, and a recall request and its acceptance travel too."""

from __future__ import annotations

import pytest

from congan.documents import selectors as documents_selectors
from congan.documents import services as documents_services
from congan.documents.models import IncomingDocument
from congan.documents.tests.factories import entry
from congan.exchange import edxml, services
from congan.exchange.models import Direction, ExchangeMessage, ExchangeStatus
from congan.exchange.tests.factories import PDF, clerk, exchanging_unit, outgoing
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(province):
    a = exchanging_unit(province, "CAPA", "000.01.48.G01", "Công an phường Hải Châu")
    b = exchanging_unit(province, "CAPB", "000.02.48.G01", "Công an phường Thanh Khê")
    return a, b


def _write(folder, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


def _statuses(message: ExchangeMessage, direction: str) -> list[str]:
    return list(message.statuses.filter(direction=direction).order_by("at", "pk").values_list("code", flat=True))


def test_round_trip_between_two_units_through_edxml_files(units, tmp_path, django_capture_on_commit_callbacks):
    a, b = units
    clerk_a, clerk_b = clerk(a), clerk(b)
    handler = OfficerFactory(unit=b, roles=[roles.SPECIALIST], full_name="Lê Văn Xử Lý")

    # A sends: the envelope is kept and put in the outbox folder.
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.envelope_send(by=clerk_a, message=outgoing(a, [b]))
    assert sent.direction == Direction.OUT and sent.signed
    outbox = tmp_path / "outbox" / "edxml"
    assert (outbox / f"envelope-{sent.pk}.edxml").exists()
    envelope_file = _write(tmp_path, "a-to-b.edxml", sent.envelope.read())

    # B imports the file: "chờ vào sổ", no number, the PDF byte for byte.
    with django_capture_on_commit_callbacks(execute=True):
        imported = services.envelope_import(by=clerk_b, unit=b, data=envelope_file.read_bytes())
    document = imported.document
    assert imported.created and imported.warnings == []
    assert (document.status, document.arrival_number, document.channel) == (
        IncomingDocument.Status.RECEIVED,
        None,
        "edxml",
    )
    assert document.get_status_display() == "Chờ đăng ký"
    waiting = documents_selectors.incoming_register(
        viewer=clerk_b, filters=documents_selectors.RegisterFilters(book="received")
    )
    assert list(waiting) == [document]
    assert document.number_symbol == "15/QĐ-CAP-PV01"
    assert (document.issuer_name, document.issuer_agency_id) == ("Công an phường Hải Châu", "000.01.48.G01")
    assert document.urgency == 1
    document.file.open("rb")
    assert document.file.read() == PDF
    document.file.close()

    # B registers it and hands it to an officer, who acknowledges it.
    with django_capture_on_commit_callbacks(execute=True):
        documents_services.incoming_register(
            by=clerk_b,
            received_id=document.pk,
            data=entry(
                issuer_name=document.issuer_name,
                issuer_agency_id=document.issuer_agency_id,
                subject=document.subject,
                document_type=document.document_type,
                number_symbol=document.number_symbol,
                issued_on=document.issued_on,
            ),
            recipient_officer=handler,
        )
        documents_services.incoming_acknowledge(by=handler, document_id=document.pk)
    received = imported.message
    assert _statuses(received, Direction.OUT) == ["01", "03", "04", "05"]
    packet_files = sorted(outbox.glob("status-*.edxml"), key=lambda path: int(path.name.split("-")[1]))
    assert len(packet_files) == 4

    # The packets go back to A as files; A's message shows each status.
    for path in packet_files:
        copied = _write(tmp_path, f"b-to-a-{path.name}", path.read_bytes())
        [outcome] = services.status_import(by=clerk_a, data=copied.read_bytes())
        assert outcome.created and outcome.status.message_id == sent.pk
    sent.refresh_from_db()
    assert _statuses(sent, Direction.IN) == ["01", "03", "04", "05"]
    assert sent.last_status == "05"
    register_status = sent.statuses.get(direction=Direction.IN, code="03")
    assert "Số đến 01" in register_status.description

    # A asks for the document back; B accepts; A sees the acceptance.
    with django_capture_on_commit_callbacks(execute=True):
        request = services.recall_request(by=clerk_a, message_id=sent.pk, reason="Ban hành nhầm đối tượng")
    recall_file = _write(tmp_path, "recall.edxml", request.packet.encode())
    [asked] = services.status_import(by=clerk_b, data=recall_file.read_bytes())
    assert (asked.status.message_id, asked.status.code) == (received.pk, "13")
    answer = services.recall_answer(by=clerk_b, message_id=received.pk, accept=True, note="Đã gỡ khỏi sổ")
    answer_file = _write(tmp_path, "recall-answer.edxml", answer.packet.encode())
    services.status_import(by=clerk_a, data=answer_file.read_bytes())
    sent.refresh_from_db()
    assert sent.last_status == "15"
    assert _statuses(sent, Direction.OUT) == ["13"]
    assert _statuses(received, Direction.IN) == ["13"]


def test_the_same_envelope_imported_twice_answers_the_first(units):
    a, b = units
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    first = services.envelope_import(by=clerk(b), unit=b, data=data)
    again = services.envelope_import(by=clerk(b), unit=b, data=data)
    assert (again.created, again.message.pk, again.document.pk) == (False, first.message.pk, first.document.pk)
    assert IncomingDocument.objects.filter(unit=b).count() == 1
    assert ExchangeMessage.objects.filter(unit=b).count() == 1
    assert ExchangeStatus.objects.filter(message=first.message, code="01").count() == 1


def test_a_status_packet_imported_twice_is_recorded_once(units):
    a, b = units
    sent = services.envelope_send(by=clerk(a), message=outgoing(a, [b]))
    imported = services.envelope_import(by=clerk(b), unit=b, data=sent.envelope.read())
    packet = imported.message.statuses.get(code="01").packet.encode()
    services.status_import(by=clerk(a), data=packet)
    [again] = services.status_import(by=clerk(a), data=packet)
    assert not again.created
    assert sent.statuses.filter(direction=Direction.IN).count() == 1


def test_recall_answer_needs_a_recall_request_first(units):
    a, b = units
    imported = services.envelope_import(by=clerk(b), unit=b, data=services.envelope_for_outgoing(outgoing(a, [b])))
    from congan.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.recall_answer(by=clerk(b), message_id=imported.message.pk, accept=True)


def test_envelope_for_outgoing_carries_the_documents_fields(units):
    a, b = units
    parsed = edxml.parse(services.envelope_for_outgoing(outgoing(a, [b], number=5, notation="CAP-PV01")))
    assert parsed.message is not None and parsed.signed
    assert parsed.message.code == "05/CAP-PV01"
    assert parsed.message.recipients[0].organ_id == "000.02.48.G01"
    assert parsed.message.signer_name == "Nguyễn Văn An"


def test_an_issued_document_goes_to_an_outside_agency_as_edxml_and_its_recall_follows(
    units, province, tmp_path, django_capture_on_commit_callbacks
):
    """Unit A issues a document to an agency named by its identifier (here unit B of another
    install): the envelope carries the issued PDF byte for byte; B imports it; A's recall asks B
    through a status packet, and B accepting it withdraws B's entry from its register."""
    from congan.documents import outgoing_services
    from congan.documents.tests.factories import clerk as documents_clerk
    from congan.documents.tests.factories import drafter_of, leader_of, outgoing_signed

    a, b = units
    a.symbol = "CAPA"
    a.save()
    signer = leader_of(a)
    document = outgoing_signed(
        drafter_of(a),
        signer,
        outside=[outgoing_services.OutsideAddress(name=b.name, address=b.agency_code)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = outgoing_services.outgoing_issue(by=documents_clerk(a), document_id=document.pk)
    sent = ExchangeMessage.objects.get(direction=Direction.OUT, outgoing_ref=f"outgoing:{issued.pk}")
    envelope, pdf = sent.envelope.read(), issued.pdf.read()
    parsed = edxml.parse(envelope)
    assert parsed.message is not None and parsed.message.code == issued.number_symbol
    assert [attachment.content for attachment in parsed.message.attachments] == [pdf]

    imported = services.envelope_import(
        by=clerk(b), unit=b, data=_write(tmp_path, "a-to-b.edxml", envelope).read_bytes()
    )
    received = imported.document
    assert received.file.read() == pdf

    with django_capture_on_commit_callbacks(execute=True):
        outgoing_services.outgoing_recall(by=signer, document_id=issued.pk, reason="Ban hành nhầm nơi nhận")
    request = sent.statuses.get(direction=Direction.OUT, code="13")
    [asked] = services.status_import(by=clerk(b), data=request.packet.encode())
    services.recall_answer(by=clerk(b), message_id=asked.status.message_id, accept=True, note="Đã gỡ")
    received.refresh_from_db()
    assert received.withdrawn_at is not None
    assert received.events.filter(action="recall").exists()
    assert received.pk not in documents_selectors.incoming_visible(viewer=clerk(b)).filter(
        withdrawn_at__isnull=True
    ).values_list("pk", flat=True)
