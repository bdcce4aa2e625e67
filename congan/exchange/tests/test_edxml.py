"""Building and reading edXML packets of QCVN 102:2016 (congan.exchange.edxml): the envelope with
its files, status packets, the packet signature, and each way a packet can be unreadable."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from functools import cache
from typing import Any

import pytest
from lxml import etree
from signxml import DigestAlgorithm, SignatureMethod, XMLSigner
from signxml.algorithms import CanonicalizationMethod

from congan.exchange import edxml
from congan.exchange.keys import signing_key_make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VN = edxml.VN_TZ


@cache
def key_a() -> edxml.SigningKey:
    return signing_key_make("Hệ thống quản lý văn bản đơn vị A")


@cache
def key_b() -> edxml.SigningKey:
    return signing_key_make("Hệ thống khác")


def message(**overrides) -> edxml.Message:
    values: dict[str, Any] = {
        "sender": edxml.Organisation("000.00.00.G01", "Công an tỉnh Thử Nghiệm", email="vanthu@example.vn"),
        "recipients": [edxml.Organisation("G01.48.02", "Công an huyện Hòa Vang")],
        "code_number": "15",
        "code_notation": "QĐ-CAT-PV01",
        "promulgation_date": dt.date(2026, 12, 1),
        "subject": "Quyết định thành lập tổ công tác bảo đảm an ninh Tết",
        "type_name": "Quyết định",
        "place": "Đà Nẵng",
        "signer_competence": "KT. GIÁM ĐỐC",
        "signer_position": "Phó Giám đốc",
        "signer_name": "Nguyễn Văn An",
        "priority": edxml.Priority.VERY_URGENT,
        "to_places": ["Như trên", "Lưu: VT, PV01"],
        "attachments": [edxml.Attachment("quyet-dinh.pdf", PDF)],
    }
    values.update(overrides)
    return edxml.Message(**values)


def test_envelope_round_trip_keeps_every_field_and_the_file_byte_for_byte():
    data = edxml.envelope_build(message(), key=key_a())
    parsed = edxml.parse(data)
    assert parsed.signed and "Hệ thống quản lý văn bản đơn vị A" in parsed.signer_subject
    read = parsed.message
    assert read is not None and parsed.status is None
    assert read.sender.organ_id == "000.00.00.G01"
    assert [r.name for r in read.recipients] == ["Công an huyện Hòa Vang"]
    assert (read.code_number, read.code_notation, read.code) == ("15", "QĐ-CAT-PV01", "15/QĐ-CAT-PV01")
    assert read.promulgation_date == dt.date(2026, 12, 1)
    assert read.document_id == "000.00.00.G01,2026/12/01,15/QĐ-CAT-PV01"
    assert read.priority == edxml.Priority.VERY_URGENT
    assert (read.signer_competence, read.signer_position, read.signer_name) == (
        "KT. GIÁM ĐỐC",
        "Phó Giám đốc",
        "Nguyễn Văn An",
    )
    assert read.to_places == ["Như trên", "Lưu: VT, PV01"]
    assert read.attachments[0].content == PDF
    assert read.attachments[0].name == "quyet-dinh.pdf"
    assert parsed.warnings == []


def test_envelope_follows_the_sdk_layout_namespace_and_bussiness_spelling():
    root = etree.fromstring(edxml.envelope_build(message(), key=key_a()))
    ns = {"e": edxml.NS, "ds": edxml.DS}
    assert root.tag == f"{{{edxml.NS}}}edXML"
    assert root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:From/e:OrganId", ns).text == "000.00.00.G01"
    assert root.find("e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList/e:Bussiness/e:BussinessDocType", ns) is not None
    assert root.find("e:edXMLEnvelope/e:edXMLHeader/ds:Signature", ns) is not None
    assert root.find("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest", ns).get("version") == "1.0"
    encoded = root.find("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", ns).text
    assert base64.b64decode(encoded) == PDF
    reference = root.find("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference", ns)
    assert reference.get(f"{{{edxml.CG}}}sha256") == hashlib.sha256(PDF).hexdigest()


def test_status_packets_of_every_code_round_trip():
    moment = dt.datetime(2026, 12, 2, 9, 30, tzinfo=VN)
    for code in edxml.StatusCode.ALL:
        status = edxml.Status(
            response_for=edxml.ResponseFor("000.00.00.G01", "15/QĐ-CAT-PV01", dt.date(2026, 12, 1), "doc-1"),
            sender=edxml.Organisation("G01.48.02", "Công an huyện Hòa Vang"),
            code=code,
            description="Đã vào sổ văn bản đến",
            timestamp=moment,
            staff=edxml.StaffInfo(department="Văn thư", staff="Trần Thị Bình"),
        )
        parsed = edxml.parse(edxml.status_build(status, key=key_b()))
        assert parsed.message is None and parsed.status is not None
        assert parsed.status.code == code
        assert parsed.status.response_for.document_id == "doc-1"
        assert parsed.status.timestamp == moment
        assert parsed.status.staff.staff == "Trần Thị Bình"


def test_unknown_status_code_is_refused_naming_the_element():
    status = edxml.Status(
        response_for=edxml.ResponseFor("x", "1/A", None, "doc-1"),
        sender=edxml.Organisation("G01", "A"),
        code="99",
        description="",
        timestamp=dt.datetime(2026, 12, 2, tzinfo=VN),
    )
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.status_build(status)
    assert caught.value.element == "Status/StatusCode"
    data = edxml.status_build(edxml.Status(**{**status.__dict__, "code": "03"})).replace(b">03<", b">99<")
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data)
    assert (caught.value.element, caught.value.problem) == ("Status/StatusCode", "invalid")


def test_agency_ids_of_both_forms_pass_and_a_malformed_one_is_only_a_warning():
    for good in ("000.00.00.G22", "000.00.18.G12", "G01.48.02", "H17"):
        parsed = edxml.parse(edxml.envelope_build(message(sender=edxml.Organisation(good, "A")), key=key_a()))
        assert parsed.warnings == []
    odd = message(sender=edxml.Organisation("999.010.01.H22", "SDK"), recipients=[edxml.Organisation("28.22.H17", "B")])
    parsed = edxml.parse(edxml.envelope_build(odd, key=key_a()))
    assert parsed.message is not None and parsed.message.sender.organ_id == "999.010.01.H22"
    assert [(w.element, w.problem, w.value) for w in parsed.warnings] == [
        ("MessageHeader/From/OrganId", "agency_id", "999.010.01.H22"),
        ("MessageHeader/To/OrganId", "agency_id", "28.22.H17"),
    ]


def test_unsigned_packet_is_read_with_a_warning_unless_a_signature_is_required():
    data = edxml.envelope_build(message())
    parsed = edxml.parse(data)
    assert not parsed.signed
    assert [w.problem for w in parsed.warnings] == ["unsigned"]
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data, require_signature=True)
    assert caught.value.problem == "unsigned"


def test_tampered_subject_or_file_fails_the_signature():
    data = edxml.envelope_build(message(), key=key_a())
    for before, after in (
        ("thành lập tổ".encode(), "giải thể tổ".encode()),
        (base64.b64encode(PDF), base64.b64encode(PDF.replace(b"1.4", b"1.7"))),
    ):
        tampered = data.replace(before, after)
        assert tampered != data
        with pytest.raises(edxml.EdxmlError) as caught:
            edxml.parse(tampered)
        assert (caught.value.element, caught.value.problem) == ("edXMLHeader/Signature", "signature")


def test_signer_outside_the_trusted_list_is_a_warning():
    data = edxml.envelope_build(message(), key=key_a())
    assert [w.problem for w in edxml.parse(data, trusted=[key_b().cert_pem]).warnings] == ["untrusted"]
    assert edxml.parse(data, trusted=[key_a().cert_pem]).warnings == []


@pytest.mark.parametrize(
    "data, element, problem",
    [
        (b"<edXML><unclosed></edXML>", "edXML", "malformed"),
        (b"not xml at all", "edXML", "malformed"),
        (b"<?xml version='1.0'?><Other/>", "edXML", "malformed"),
        (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'/>", "edXML/edXMLEnvelope", "missing"),
    ],
)
def test_malformed_packets_are_refused_naming_the_element(data, element, problem):
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data)
    assert (caught.value.element, caught.value.problem) == (element, problem)


def _unsigned_without(tag: str) -> bytes:
    root = etree.fromstring(edxml.envelope_build(message()))
    for element in root.iter(f"{{{edxml.NS}}}{tag}"):
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)
        break
    return etree.tostring(root)


@pytest.mark.parametrize(
    "tag, element",
    [
        ("Subject", "MessageHeader/Subject"),
        ("DocumentId", "MessageHeader/From/OrganId"),  # the first DocumentId removed is the header's
        ("To", "MessageHeader/To"),
        ("CodeNumber", "MessageHeader/Code/CodeNumber"),
        ("PromulgationDate", "MessageHeader/PromulgationInfo/PromulgationDate"),
        ("MessageHeader", "edXMLHeader/MessageHeader"),
    ],
)
def test_missing_mandatory_element_is_named(tag, element):
    if tag == "DocumentId":
        element = "MessageHeader/DocumentId"
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(_unsigned_without(tag))
    assert (caught.value.element, caught.value.problem) == (element, "missing")


def test_attachment_whose_size_or_digest_disagrees_with_the_manifest_is_refused():
    data = edxml.envelope_build(message())
    size = f'size="{len(PDF)}"'.encode()
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data.replace(size, b'size="3"'))
    assert caught.value.problem == "size" and "ContentTransferEncoded" in caught.value.element
    digest = hashlib.sha256(PDF).hexdigest().encode()
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data.replace(digest, b"0" * 64))
    assert caught.value.problem == "digest"


def test_attachment_that_is_not_base64_or_missing_is_refused():
    data = edxml.envelope_build(message())
    encoded = base64.b64encode(PDF)
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data.replace(encoded, b"***not base64***"))
    assert caught.value.problem == "base64"
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data.replace(b"<ContentId>cid:1</ContentId>", b"<ContentId>cid:9</ContentId>"))
    assert caught.value.problem == "attachment"


def test_bad_date_is_refused_and_a_foreign_date_form_is_a_warning():
    data = edxml.envelope_build(message())
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data.replace(b">2026/12/01<", b">first of December<"))
    assert caught.value.element == "MessageHeader/PromulgationInfo/PromulgationDate"
    parsed = edxml.parse(data.replace(b">2026/12/01<", b">2026-12-01<"))
    assert parsed.message is not None and parsed.message.promulgation_date == dt.date(2026, 12, 1)
    assert ("date_format", "2026-12-01") in [(w.problem, w.value) for w in parsed.warnings]


def test_sdk_sample_layout_without_our_extensions_is_read():
    """The national-axis SDK sample's shape: no manifest digests, Signature-less, attachments in
    the default namespace with ContentTransferEncoded prefixed, unknown OrganIds."""
    sample = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{edxml.NS}"><edXML:edXMLEnvelope xmlns:edXML="{edxml.NS}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:From><edXML:OrganId>002.00.20.H13</edXML:OrganId>
<edXML:OrganName>UBND xã Hòa Tiến</edXML:OrganName></edXML:From>
<edXML:To><edXML:OrganId>28.22.H17</edXML:OrganId><edXML:OrganName>UBND xã Hòa Sơn</edXML:OrganName></edXML:To>
<edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
<edXML:Code><edXML:CodeNumber>7816</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>
<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2019/01/16</edXML:PromulgationDate>
</edXML:PromulgationInfo><edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName>
</edXML:DocumentType><edXML:Subject>V/v kết nối, liên thông phần mềm quản lý văn bản</edXML:Subject>
<edXML:OtherInfo><edXML:Priority>0</edXML:Priority></edXML:OtherInfo></edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId>
<edXML:Timestamp>2018/09/28 00:00:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0"><edXML:Reference>
<edXML:ContentId>cid:209</edXML:ContentId><edXML:ContentType>application/pdf</edXML:ContentType>
<edXML:AttachmentName>cv.pdf</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
</edXML:edXMLEnvelope><AttachmentEncoded><Attachment><ContentId>cid:209</ContentId>
<AttachmentName>cv.pdf</AttachmentName><ContentType>application/pdf</ContentType>
<edXML:ContentTransferEncoded xmlns:edXML="{edxml.NS}">{base64.b64encode(PDF).decode()}</edXML:ContentTransferEncoded>
</Attachment></AttachmentEncoded></edXML>""".encode()
    parsed = edxml.parse(sample)
    assert parsed.message is not None
    assert parsed.message.code == "7816/VPCP-TTĐT"
    assert parsed.message.trace[0].timestamp == dt.datetime(2018, 9, 28, tzinfo=VN)
    assert parsed.message.attachments[0].content == PDF
    assert {w.problem for w in parsed.warnings} == {"unsigned", "agency_id"}


class _Sha1Signer(XMLSigner):
    """Signs as the national-axis SDK does (rsa-sha1, sha1 digest, exclusive c14n in the reference),
    which signxml refuses by default: only to prove that we read such packets."""

    def check_deprecated_methods(self) -> None:
        return None


def test_a_packet_signed_the_sdks_way_with_rsa_sha1_is_verified():
    root = etree.fromstring(edxml.envelope_build(message()))
    header = root.find(f"{{{edxml.NS}}}edXMLEnvelope/{{{edxml.NS}}}edXMLHeader")
    assert header is not None
    etree.SubElement(header, f"{{{edxml.DS}}}Signature", nsmap={"ds": edxml.DS}).set("Id", "placeholder")
    signed = _Sha1Signer(
        signature_algorithm=SignatureMethod.RSA_SHA1,
        digest_algorithm=DigestAlgorithm.SHA1,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    ).sign(root, key=key_a().key_pem, cert=key_a().cert_pem.decode())
    data = etree.tostring(signed, encoding="UTF-8")
    assert b"xmldsig#rsa-sha1" in data
    parsed = edxml.parse(data)
    assert parsed.signed and parsed.message is not None and parsed.message.attachments[0].content == PDF
    tampered = data.replace("thành lập".encode(), "giải thể".encode())
    assert tampered != data
    with pytest.raises(edxml.EdxmlError):
        edxml.parse(tampered)
