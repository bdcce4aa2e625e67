"""edXML of QCVN 102:2016/BTTTT — build and read the envelope of an electronic document and the
status packets that answer it (domain-vietnam.md §5b.A2; docs/edxml.md maps every element).

Pure: lxml and signxml, no Django. What a person reads is worded by the caller: an error names
the element and its problem (``EdxmlError.element``, ``.problem``), a warning names the element and
its value (``Warning``). Agency identifiers are opaque strings; one that fits neither the 2016 nor
the QĐ 20/2020 form is a warning, never a refusal.

The packet signature is an enveloped XML-DSig (``Reference URI=""``, so it covers the envelope and
the attachments beside it) placed inside ``edXMLHeader`` as the national-axis SDK places it. We
sign with RSA-SHA256 and accept RSA-SHA1 (what the SDK sample carries) when verifying.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLSigner, XMLVerifier
from signxml.algorithms import CanonicalizationMethod
from signxml.exceptions import InvalidInput, InvalidSignature

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
# Our own attributes on a manifest Reference: the attachment's SHA-256 and size. QCVN 102's
# manifest has neither; other systems ignore attributes in a foreign namespace.
CG = "urn:congan:edxml:1"
NSMAP = {None: NS, "edXML": NS}
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
MAX_BYTES = 60 * 1024 * 1024
FORM_2016 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}$")
FORM_2020 = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$")
AGENCY_ID_MAX = 35


class Priority:
    """OtherInfo/Priority (◐, one public client form): our Urgency values are the same integers."""

    NORMAL, URGENT, VERY_URGENT, FLASH, FLASH_TIMED = 0, 1, 2, 3, 4


class BusinessDocType:
    """TraceHeaderList/Bussiness/BussinessDocType (◐, two SDKs agree)."""

    NEW, REVOKE, UPDATE, REPLACE = 0, 1, 2, 3


class StatusCode:
    """StatusCode of a status packet (◐: two public SDKs and a C# builder agree; whether 13, 15 and 16
    are QCVN 102's own or later national-axis guidance is not confirmed, see decision 0029)."""

    RECEIVED = "01"  # đã đến: the software has it, the records clerk has not acted yet
    REFUSED = "02"  # từ chối tiếp nhận (reason in Description)
    REGISTERED = "03"  # đã tiếp nhận: accepted and registered
    ASSIGNED = "04"  # phân công: handed to the unit or officer who handles it
    IN_PROGRESS = "05"  # đang xử lý
    DONE = "06"  # hoàn thành
    RECALL_REQUESTED = "13"  # lấy lại / thu hồi (sent by the issuer)
    RECALL_ACCEPTED = "15"  # đồng ý lấy lại / cập nhật
    RECALL_REFUSED = "16"  # từ chối lấy lại / cập nhật

    ALL = ("01", "02", "03", "04", "05", "06", "13", "15", "16")


class EdxmlError(ValueError):
    """What makes a packet unreadable: ``element`` is the path of the element at fault
    (``MessageHeader/From/OrganId``), ``problem`` one of PROBLEMS, ``detail`` what was found."""

    PROBLEMS = (
        "malformed",  # not well-formed XML, or not an edXML packet at all
        "too_large",
        "missing",  # a mandatory element is absent or empty
        "invalid",  # an element's value cannot be read (a date, a number, a code)
        "signature",  # the packet signature does not verify
        "unsigned",  # a signature was required and there is none
        "base64",  # an attachment is not base64
        "digest",  # an attachment's SHA-256 differs from the manifest's
        "size",  # an attachment's size differs from the manifest's
        "attachment",  # a manifest reference without its attachment, or the reverse
    )

    def __init__(self, element: str, problem: str, detail: str = ""):
        self.element, self.problem, self.detail = element, problem, detail
        super().__init__(f"{element}: {problem}{' — ' + detail if detail else ''}")


@dataclass(frozen=True)
class Warning:
    """Something the receiving clerk should look at; the packet is still read."""

    element: str
    problem: str  # "agency_id", "namespace", "unsigned", "untrusted", "date_format"
    value: str = ""


@dataclass
class Organisation:
    organ_id: str
    name: str
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class StaffInfo:
    department: str = ""
    staff: str = ""
    email: str = ""
    mobile: str = ""


@dataclass
class ResponseFor:
    organ_id: str
    code: str  # "7816/VPCP-TTĐT"
    promulgation_date: dt.date | None
    document_id: str


@dataclass
class TraceHeader:
    organ_id: str
    timestamp: dt.datetime | None


@dataclass
class Attachment:
    name: str
    content: bytes
    content_type: str = "application/pdf"
    description: str = ""
    content_id: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class Message:
    """The MessageHeader of an envelope, its trace and business information, and its files."""

    sender: Organisation
    recipients: list[Organisation]
    code_number: str
    code_notation: str
    promulgation_date: dt.date | None
    subject: str
    type_code: str = "1"
    type_name: str = ""
    type_detail: str = "0"
    place: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = Priority.NORMAL
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)
    steering_type: int = 0
    response_for: list[ResponseFor] = field(default_factory=list)
    document_id: str = ""  # built from sender, date, number and notation when empty
    trace: list[TraceHeader] = field(default_factory=list)
    business_doc_type: int = BusinessDocType.NEW
    business_reason: str = ""
    paper: int = 0
    staff: StaffInfo = field(default_factory=StaffInfo)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}" if self.code_notation else self.code_number


@dataclass
class Status:
    """A status packet: what the receiving side did with a document (StatusCode)."""

    response_for: ResponseFor
    sender: Organisation
    code: str
    description: str
    timestamp: dt.datetime
    staff: StaffInfo = field(default_factory=StaffInfo)


@dataclass
class Parsed:
    """A packet read: the message or the status, its warnings, and who signed it (if anyone)."""

    message: Message | None = None
    status: Status | None = None
    warnings: list[Warning] = field(default_factory=list)
    signed: bool = False
    signer_subject: str = ""
    signer_certificate: bytes = b""  # DER


@dataclass
class SigningKey:
    """The sending system's key and certificate (PEM), for the packet signature."""

    key_pem: bytes
    cert_pem: bytes


def document_id(organ_id: str, day: dt.date | None, code: str) -> str:
    """DocumentId of QCVN 102: ``<sender OrganId>,<yyyy/MM/dd>,<number>/<notation>``."""
    return f"{organ_id},{day.strftime(DATE_FORMAT) if day else ''},{code}"


def agency_id_fits(value: str) -> bool:
    """Whether ``value`` has the 2016 form (``000.00.00.G22``) or the QĐ 20/2020 one (``G01.12.03``)."""
    return bool(FORM_2016.match(value) or (len(value) <= AGENCY_ID_MAX and FORM_2020.match(value)))


# ---------------------------------------------------------------------------------------------
# Building


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: object = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = str(text)
    return element


def _organisation(parent: etree._Element, tag: str, organisation: Organisation) -> None:
    element = _sub(parent, tag)
    _sub(element, "OrganId", organisation.organ_id)
    _sub(element, "OrganizationInCharge", organisation.in_charge or organisation.name)
    _sub(element, "OrganName", organisation.name)
    _sub(element, "OrganAdd", organisation.address)
    _sub(element, "Email", organisation.email)
    _sub(element, "Telephone", organisation.telephone)
    _sub(element, "Fax", organisation.fax)
    _sub(element, "Website", organisation.website)


def _staff(parent: etree._Element, staff: StaffInfo) -> None:
    element = _sub(parent, "StaffInfo")
    _sub(element, "Department", staff.department)
    _sub(element, "Staff", staff.staff)
    _sub(element, "Email", staff.email)
    _sub(element, "Mobile", staff.mobile)


def _response_for(parent: etree._Element, response: ResponseFor) -> None:
    element = _sub(parent, "ResponseFor")
    _sub(element, "OrganId", response.organ_id)
    _sub(element, "Code", response.code)
    _sub(element, "PromulgationDate", _date_text(response.promulgation_date))
    _sub(element, "DocumentId", response.document_id)


def _date_text(day: dt.date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def _timestamp_text(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime(TIMESTAMP_FORMAT)


def _root() -> tuple[etree._Element, etree._Element, etree._Element]:
    root = etree.Element(_q("edXML"), nsmap={None: NS})
    envelope = etree.SubElement(root, _q("edXMLEnvelope"), nsmap={"edXML": NS})
    header = _sub(envelope, "edXMLHeader")
    return root, envelope, header


def envelope_build(message: Message, *, key: SigningKey | None = None, now: dt.datetime | None = None) -> bytes:
    """The ``.edxml`` file of ``message``: header, trace, manifest, base64 attachments, and the
    packet signature when ``key`` is given."""
    now = now or dt.datetime.now(tz=VN_TZ)
    root, envelope, header = _root()
    head = _sub(header, "MessageHeader")
    _organisation(head, "From", message.sender)
    for recipient in message.recipients:
        _organisation(head, "To", recipient)
    for response in message.response_for:
        _response_for(head, response)
    identifier = message.document_id or document_id(message.sender.organ_id, message.promulgation_date, message.code)
    _sub(head, "DocumentId", identifier)
    code = _sub(head, "Code")
    _sub(code, "CodeNumber", message.code_number)
    _sub(code, "CodeNotation", message.code_notation)
    promulgation = _sub(head, "PromulgationInfo")
    _sub(promulgation, "Place", message.place)
    _sub(promulgation, "PromulgationDate", _date_text(message.promulgation_date))
    kind = _sub(head, "DocumentType")
    _sub(kind, "Type", message.type_code)
    _sub(kind, "TypeDetail", message.type_detail)
    _sub(kind, "TypeName", message.type_name)
    _sub(head, "Subject", message.subject)
    _sub(head, "Content", message.content or message.subject)
    signer = _sub(head, "SignerInfo")
    _sub(signer, "Competence", message.signer_competence)
    _sub(signer, "Position", message.signer_position)
    _sub(signer, "FullName", message.signer_name)
    _sub(head, "DueDate", _date_text(message.due_date))
    places = _sub(head, "ToPlaces")
    for place in message.to_places:
        _sub(places, "Place", place)
    other = _sub(head, "OtherInfo")
    _sub(other, "Priority", message.priority)
    _sub(other, "SphereOfPromulgation", message.sphere)
    _sub(other, "TyperNotation", message.typer_notation)
    _sub(other, "PromulgationAmount", "" if message.promulgation_amount is None else message.promulgation_amount)
    _sub(other, "PageAmount", "" if message.page_amount is None else message.page_amount)
    appendixes = _sub(other, "Appendixes")
    for appendix in message.appendixes:
        _sub(appendixes, "Appendix", appendix)
    _sub(head, "SteeringType", message.steering_type)
    trace = _sub(header, "TraceHeaderList")
    for hop in message.trace or [TraceHeader(message.sender.organ_id, now)]:
        hop_element = _sub(trace, "TraceHeader")
        _sub(hop_element, "OrganId", hop.organ_id)
        _sub(hop_element, "Timestamp", _timestamp_text(hop.timestamp or now))
    business = _sub(trace, "Bussiness")
    _sub(business, "DocumentId", identifier)
    _sub(business, "BussinessDocType", message.business_doc_type)
    _sub(business, "BussinessDocReason", message.business_reason)
    _sub(business, "Paper", message.paper)
    _staff(business, message.staff)
    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _sub(root, "AttachmentEncoded")
    for index, attachment in enumerate(message.attachments, start=1):
        content_id = attachment.content_id or f"cid:{index}"
        reference = _sub(manifest, "Reference")
        reference.set(f"{{{CG}}}sha256", attachment.sha256)
        reference.set(f"{{{CG}}}size", str(len(attachment.content)))
        _sub(reference, "ContentId", content_id)
        _sub(reference, "ContentType", attachment.content_type)
        _sub(reference, "Description", attachment.description or attachment.name)
        _sub(reference, "AttachmentName", attachment.name)
        item = _sub(encoded, "Attachment")
        _sub(item, "ContentId", content_id)
        _sub(item, "AttachmentName", attachment.name)
        _sub(item, "Description", attachment.description or attachment.name)
        _sub(item, "ContentType", attachment.content_type)
        _sub(item, "ContentTransferEncoded", base64.b64encode(attachment.content).decode("ascii"))
    return _finish(root, header, key)


def status_build(status: Status, *, key: SigningKey | None = None) -> bytes:
    """The status packet answering a document: ``edXMLHeader/Status`` with the code the standard gives."""
    if status.code not in StatusCode.ALL:
        raise EdxmlError("Status/StatusCode", "invalid", status.code)
    root, envelope, header = _root()
    element = _sub(header, "Status")
    _response_for(element, status.response_for)
    _organisation(element, "From", status.sender)
    _sub(element, "StatusCode", status.code)
    _sub(element, "Description", status.description)
    _sub(element, "Timestamp", _timestamp_text(status.timestamp))
    _staff(element, status.staff)
    _sub(envelope, "edXMLBody")
    return _finish(root, header, key)


def _finish(root: etree._Element, header: etree._Element, key: SigningKey | None) -> bytes:
    if key is None:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    # signxml replaces a placeholder Signature with the enveloped signature, where the SDK puts it.
    etree.SubElement(header, f"{{{DS}}}Signature", nsmap={"ds": DS}).set("Id", "placeholder")
    signed = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256 if _is_rsa(key.key_pem) else SignatureMethod.ECDSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
    ).sign(root, key=key.key_pem, cert=key.cert_pem.decode("ascii"))
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _is_rsa(key_pem: bytes) -> bool:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return isinstance(serialization.load_pem_private_key(key_pem, password=None), rsa.RSAPrivateKey)


# ---------------------------------------------------------------------------------------------
# Reading

# Namespaces differ between implementations (the SDK sample's Signature sits in the edXML
# namespace; some builders use none): elements are found by local name.


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(parent: etree._Element | None, name: str) -> list[etree._Element]:
    if parent is None:
        return []
    return [child for child in parent if _local(child) == name]


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _text(parent: etree._Element | None, name: str) -> str:
    element = _child(parent, name)
    return (element.text or "").strip() if element is not None else ""


def _required(parent: etree._Element | None, name: str, path: str) -> str:
    value = _text(parent, name)
    if not value:
        raise EdxmlError(f"{path}/{name}", "missing")
    return value


def _required_element(parent: etree._Element | None, name: str, path: str) -> etree._Element:
    element = _child(parent, name)
    if element is None:
        raise EdxmlError(f"{path}/{name}" if path else name, "missing")
    return element


DATE_FORMS = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _date(text: str, path: str, warnings: list[Warning]) -> dt.date | None:
    if not text:
        return None
    text = text.strip()
    for number, form in enumerate(DATE_FORMS):
        try:
            value = dt.datetime.strptime(text, form).date()  # noqa: DTZ007 (a calendar day, no time zone)
        except ValueError:
            continue
        if number:
            warnings.append(Warning(path, "date_format", text))
        return value
    raise EdxmlError(path, "invalid", text)


def _timestamp(text: str, path: str) -> dt.datetime:
    text = text.strip()
    for form in (TIMESTAMP_FORMAT, "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, form).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise EdxmlError(path, "invalid", text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def _int(text: str, path: str, default: int | None = None) -> int | None:
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise EdxmlError(path, "invalid", text) from None


def _read_organisation(element: etree._Element, path: str, warnings: list[Warning]) -> Organisation:
    organ_id = _required(element, "OrganId", path)
    if not agency_id_fits(organ_id):
        warnings.append(Warning(f"{path}/OrganId", "agency_id", organ_id))
    return Organisation(
        organ_id=organ_id,
        name=_text(element, "OrganName") or _text(element, "OrganizationInCharge"),
        in_charge=_text(element, "OrganizationInCharge"),
        address=_text(element, "OrganAdd"),
        email=_text(element, "Email"),
        telephone=_text(element, "Telephone"),
        fax=_text(element, "Fax"),
        website=_text(element, "Website"),
    )


def _read_staff(element: etree._Element | None) -> StaffInfo:
    return StaffInfo(
        department=_text(element, "Department"),
        staff=_text(element, "Staff"),
        email=_text(element, "Email"),
        mobile=_text(element, "Mobile"),
    )


def _read_response_for(element: etree._Element, path: str, warnings: list[Warning]) -> ResponseFor:
    return ResponseFor(
        organ_id=_text(element, "OrganId"),
        code=_text(element, "Code"),
        promulgation_date=_date(_text(element, "PromulgationDate"), f"{path}/PromulgationDate", warnings),
        document_id=_required(element, "DocumentId", path),
    )


def _tree(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise EdxmlError("edXML", "too_large", str(len(data)))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise EdxmlError("edXML", "malformed", str(exc)) from None
    if root is None or _local(root) != "edXML":
        raise EdxmlError("edXML", "malformed", _local(root) if root is not None else "")
    return root


def _signature(
    data: bytes, root: etree._Element, trusted: Sequence[bytes] | None, warnings: list[Warning], require: bool
) -> tuple[etree._Element, str, bytes]:
    """(the tree to read, the signer's subject, the signer's certificate DER). The tree read is the
    one the signature covers (signxml's ``signed_xml``), never the bytes around it."""
    signatures = [element for element in root.iter() if isinstance(element.tag, str) and _local(element) == "Signature"]
    if not signatures:
        if require:
            raise EdxmlError("edXMLHeader/Signature", "unsigned")
        warnings.append(Warning("edXMLHeader/Signature", "unsigned"))
        return root, "", b""
    certificate_text = "".join(
        (element.text or "") for element in signatures[0].iter() if _local(element) == "X509Certificate"
    )
    try:
        der = base64.b64decode("".join(certificate_text.split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        raise EdxmlError("Signature/KeyInfo/X509Data/X509Certificate", "signature", "certificate") from None
    if signatures[0].tag != f"{{{DS}}}Signature":
        warnings.append(Warning("edXMLHeader/Signature", "namespace", etree.QName(signatures[0]).namespace or ""))
    config = SignatureConfiguration(
        require_x509=True,
        signature_methods=frozenset(
            {
                SignatureMethod.RSA_SHA1,
                SignatureMethod.RSA_SHA256,
                SignatureMethod.RSA_SHA512,
                SignatureMethod.ECDSA_SHA256,
            }
        ),
        digest_algorithms=frozenset({DigestAlgorithm.SHA1, DigestAlgorithm.SHA256, DigestAlgorithm.SHA512}),
    )
    try:
        result = XMLVerifier().verify(
            data, x509_cert=certificate.public_bytes(serialization.Encoding.PEM).decode(), expect_config=config
        )
    except (InvalidSignature, InvalidInput) as exc:
        raise EdxmlError("edXMLHeader/Signature", "signature", str(exc)) from None
    verified = result[0] if isinstance(result, list) else result
    if trusted is not None and der not in {_der(item) for item in trusted}:
        warnings.append(Warning("edXMLHeader/Signature", "untrusted", certificate.subject.rfc4514_string()))
    signed = verified.signed_xml
    if signed is None or _local(signed) != "edXML":
        raise EdxmlError("edXMLHeader/Signature", "signature", "reference")
    return signed, certificate.subject.rfc4514_string(), der


def _der(certificate: bytes) -> bytes:
    if certificate.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(certificate).public_bytes(serialization.Encoding.DER)
    return certificate


def parse(data: bytes, *, trusted: Sequence[bytes] | None = None, require_signature: bool = False) -> Parsed:
    """Read an envelope or a status packet. A signature, when present, must verify (EdxmlError
    otherwise); ``trusted`` (PEM or DER certificates) turns a signer outside it into a warning;
    ``require_signature`` refuses an unsigned packet."""
    root = _tree(data)
    warnings: list[Warning] = []
    if etree.QName(root).namespace != NS:
        warnings.append(Warning("edXML", "namespace", etree.QName(root).namespace or ""))
    tree, subject, der = _signature(data, root, trusted, warnings, require_signature)
    parsed = Parsed(warnings=warnings, signed=bool(subject), signer_subject=subject, signer_certificate=der)
    envelope = _required_element(tree, "edXMLEnvelope", "edXML")
    header = _required_element(envelope, "edXMLHeader", "edXMLEnvelope")
    status = _child(header, "Status")
    if status is not None:
        parsed.status = _read_status(status, warnings)
    else:
        parsed.message = _read_message(tree, envelope, header, warnings)
    return parsed


def _read_status(element: etree._Element, warnings: list[Warning]) -> Status:
    path = "Status"
    code = _required(element, "StatusCode", path)
    if code not in StatusCode.ALL:
        raise EdxmlError(f"{path}/StatusCode", "invalid", code)
    return Status(
        response_for=_read_response_for(
            _required_element(element, "ResponseFor", path), f"{path}/ResponseFor", warnings
        ),
        sender=_read_organisation(_required_element(element, "From", path), f"{path}/From", warnings),
        code=code,
        description=_text(element, "Description"),
        timestamp=_timestamp(_required(element, "Timestamp", path), f"{path}/Timestamp"),
        staff=_read_staff(_child(element, "StaffInfo")),
    )


def _read_message(
    root: etree._Element, envelope: etree._Element, header: etree._Element, warnings: list[Warning]
) -> Message:
    path = "MessageHeader"
    head = _required_element(header, "MessageHeader", "edXMLHeader")
    sender = _read_organisation(_required_element(head, "From", path), f"{path}/From", warnings)
    recipients = [_read_organisation(item, f"{path}/To", warnings) for item in _children(head, "To")]
    if not recipients:
        raise EdxmlError(f"{path}/To", "missing")
    code = _required_element(head, "Code", path)
    promulgation = _required_element(head, "PromulgationInfo", path)
    kind = _child(head, "DocumentType")
    signer = _child(head, "SignerInfo")
    other = _child(head, "OtherInfo")
    trace_list = _child(header, "TraceHeaderList")
    business = _child(trace_list, "Bussiness")
    if business is None:  # the correct spelling, which some builders write
        business = _child(trace_list, "Business")
    message = Message(
        sender=sender,
        recipients=recipients,
        code_number=_required(code, "CodeNumber", f"{path}/Code"),
        code_notation=_text(code, "CodeNotation"),
        promulgation_date=_date(
            _required(promulgation, "PromulgationDate", f"{path}/PromulgationInfo"),
            f"{path}/PromulgationInfo/PromulgationDate",
            warnings,
        ),
        subject=_required(head, "Subject", path),
        type_code=_text(kind, "Type"),
        type_name=_text(kind, "TypeName"),
        type_detail=_text(kind, "TypeDetail"),
        place=_text(promulgation, "Place"),
        content=_text(head, "Content"),
        signer_competence=_text(signer, "Competence"),
        signer_position=_text(signer, "Position"),
        signer_name=_text(signer, "FullName"),
        due_date=_date(_text(head, "DueDate"), f"{path}/DueDate", warnings),
        to_places=[(item.text or "").strip() for item in _children(_child(head, "ToPlaces"), "Place")],
        priority=_int(_text(other, "Priority"), f"{path}/OtherInfo/Priority", 0) or 0,
        sphere=_text(other, "SphereOfPromulgation"),
        typer_notation=_text(other, "TyperNotation"),
        promulgation_amount=_int(_text(other, "PromulgationAmount"), f"{path}/OtherInfo/PromulgationAmount"),
        page_amount=_int(_text(other, "PageAmount"), f"{path}/OtherInfo/PageAmount"),
        appendixes=[(item.text or "").strip() for item in _children(_child(other, "Appendixes"), "Appendix")],
        steering_type=_int(_text(head, "SteeringType"), f"{path}/SteeringType", 0) or 0,
        response_for=[
            _read_response_for(item, f"{path}/ResponseFor", warnings) for item in _children(head, "ResponseFor")
        ],
        document_id=_required(head, "DocumentId", path),
        trace=[
            TraceHeader(
                organ_id=_text(hop, "OrganId"),
                timestamp=_timestamp(_text(hop, "Timestamp"), "TraceHeaderList/TraceHeader/Timestamp")
                if _text(hop, "Timestamp")
                else None,
            )
            for hop in _children(trace_list, "TraceHeader")
        ],
        business_doc_type=_int(_text(business, "BussinessDocType"), "Bussiness/BussinessDocType", 0) or 0,
        business_reason=_text(business, "BussinessDocReason"),
        paper=_int(_text(business, "Paper"), "Bussiness/Paper", 0) or 0,
        staff=_read_staff(_child(business, "StaffInfo")),
    )
    if message.priority not in range(5):
        raise EdxmlError(f"{path}/OtherInfo/Priority", "invalid", str(message.priority))
    message.attachments = _read_attachments(root, envelope)
    return message


def _read_attachments(root: etree._Element, envelope: etree._Element) -> list[Attachment]:
    manifest = _child(_child(envelope, "edXMLBody"), "edXMLManifest")
    references = _children(manifest, "Reference")
    encoded = {
        _text(item, "ContentId"): item
        for item in _children(_child(root, "AttachmentEncoded"), "Attachment")
        + _children(_child(envelope, "AttachmentEncoded"), "Attachment")
    }
    attachments = []
    for reference in references:
        content_id = _required(reference, "ContentId", "edXMLManifest/Reference")
        item = encoded.pop(content_id, None)
        if item is None:
            raise EdxmlError(f"AttachmentEncoded/Attachment[ContentId={content_id}]", "attachment")
        path = f"Attachment[{content_id}]/ContentTransferEncoded"
        text = "".join(_text(item, "ContentTransferEncoded").split())
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise EdxmlError(path, "base64") from None
        size = reference.get(f"{{{CG}}}size")
        if size is not None and size != str(len(content)):
            raise EdxmlError(path, "size", f"{size} ≠ {len(content)}")
        digest = reference.get(f"{{{CG}}}sha256")
        if digest is not None and digest.lower() != hashlib.sha256(content).hexdigest():
            raise EdxmlError(path, "digest")
        attachments.append(
            Attachment(
                name=_text(reference, "AttachmentName") or _text(item, "AttachmentName") or content_id,
                content=content,
                content_type=_text(reference, "ContentType") or _text(item, "ContentType"),
                description=_text(reference, "Description"),
                content_id=content_id,
            )
        )
    if encoded:
        raise EdxmlError(f"edXMLManifest/Reference[ContentId={next(iter(encoded))}]", "attachment")
    return attachments


def recipient_ids(data: bytes) -> list[str]:
    """The To/OrganId values of an envelope, read without any check (to route it to a unit before
    it is read for real); [] for anything else."""
    try:
        root = _tree(data)
    except EdxmlError:
        return []
    head = _child(_child(_child(root, "edXMLEnvelope"), "edXMLHeader"), "MessageHeader")
    return [_text(item, "OrganId") for item in _children(head, "To") if _text(item, "OrganId")]


def pem_certificates(certificates: Iterable[bytes]) -> list[bytes]:
    """Certificates as DER, from PEM or DER (the operator's list of trusted sending systems)."""
    return [_der(item) for item in certificates]
