"""Importing an edXML envelope into a unit's incoming register: what a clerk is told about odd
packets (warnings) and about unreadable ones (errors naming the element), and who may import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from congan.core.errors import PermissionDenied, ValidationFailed
from congan.core.models import AuditEvent
from congan.exchange import edxml, services
from congan.exchange.tests.factories import PDF, clerk, exchanging_unit, outgoing
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(province):
    a = exchanging_unit(province, "CAPA", "000.01.48.G01", "Công an phường Hải Châu")
    b = exchanging_unit(province, "CAPB", "000.02.48.G01", "Công an phường Thanh Khê")
    return a, b


def _envelope(sender_id: str = "000.00.00.G22", code_notation: str = "VPCP-TTĐT", **fields) -> bytes:
    values: dict[str, Any] = {
        "sender": edxml.Organisation(sender_id, "Văn phòng Chính phủ"),
        "recipients": [edxml.Organisation("000.02.48.G01", "Công an phường Thanh Khê")],
        "code_number": "7816",
        "code_notation": code_notation,
        "promulgation_date": dt.date(2026, 1, 5),
        "subject": "V/v kết nối, liên thông phần mềm quản lý văn bản",
        "type_name": "Công văn",
        "attachments": [edxml.Attachment("cv.pdf", PDF), edxml.Attachment("phu-luc.doc", b"\xd0\xcf\x11\xe0")],
    }
    values.update(fields)
    return edxml.envelope_build(edxml.Message(**values))


def test_import_from_an_outside_system_keeps_odd_identifiers_with_warnings(pair):
    _a, b = pair
    outcome = services.envelope_import(by=clerk(b), unit=b, data=_envelope(sender_id="999.010.01.H22"))
    document = outcome.document
    assert document.issuer_agency_id == "999.010.01.H22"
    assert document.document_type.code == "cong-van"
    assert document.number_symbol == "7816/VPCP-TTĐT"
    problems = [w["problem"] for w in outcome.message.warnings]
    assert problems == ["unsigned", "agency_id", "not_pdf"]
    assert any("999.010.01.H22" in text for text in outcome.warnings)
    assert any("phu-luc.doc" in text for text in outcome.warnings)
    assert AuditEvent.objects.filter(action="exchange.envelope.import", target_id=str(outcome.message.pk)).exists()


def test_a_number_outside_the_decree_grammar_goes_to_the_note(pair):
    _a, b = pair
    outcome = services.envelope_import(by=clerk(b), unit=b, data=_envelope(code_notation="VP CP/TT"))
    assert outcome.document.number is None and outcome.document.notation == ""
    assert "7816/VP CP/TT" in outcome.document.note
    assert "notation" in [w["problem"] for w in outcome.message.warnings]


def test_a_tampered_envelope_is_refused_naming_the_signature(pair):
    a, b = pair
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    tampered = data.replace("liên thông văn bản".encode(), "liên thông văn bàn".encode())
    with pytest.raises(ValidationFailed) as caught:
        services.envelope_import(by=clerk(b), unit=b, data=tampered)
    assert caught.value.details["element"] == ["edXMLHeader/Signature"]
    assert "chữ ký số" in caught.value.details["envelope"][0].lower()


@pytest.mark.parametrize(
    "data, element",
    [
        (b"<edXML><oops></edXML>", "edXML"),
        (
            _envelope()
            .replace(b"<edXML:Subject>", b"<edXML:Subjekt>")
            .replace(b"</edXML:Subject>", b"</edXML:Subjekt>"),
            "MessageHeader/Subject",
        ),
    ],
)
def test_unreadable_envelopes_are_field_errors_naming_the_element(pair, data, element):
    _a, b = pair
    with pytest.raises(ValidationFailed) as caught:
        services.envelope_import(by=clerk(b), unit=b, data=data)
    assert caught.value.details["element"] == [element]


def test_only_the_units_clerk_imports(pair):
    a, b = pair
    with pytest.raises(PermissionDenied):
        services.envelope_import(by=OfficerFactory(unit=b, roles=[roles.SPECIALIST]), unit=b, data=_envelope())
    with pytest.raises(PermissionDenied):
        services.envelope_import(by=clerk(a), unit=b, data=_envelope())


def test_a_status_packet_is_not_taken_as_a_document(pair):
    a, b = pair
    sent = services.envelope_send(by=clerk(a), message=outgoing(a, [b]))
    imported = services.envelope_import(by=clerk(b), unit=b, data=sent.envelope.read())
    packet = imported.message.statuses.get(code="01").packet.encode()
    with pytest.raises(ValidationFailed):
        services.envelope_import(by=clerk(b), unit=b, data=packet)
    with pytest.raises(ValidationFailed):
        services.status_import(by=clerk(a), data=sent.envelope.read())
