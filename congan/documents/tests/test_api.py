"""The documents API: receiving from another system (partner key or officer, idempotency key),
the unit-scoped register (list, search, read with the timeline), and every error as
{"code", "message", "details"}."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.utils import timezone

from congan.core import apikeys
from congan.core.models import ApiClient, AuditEvent
from congan.documents.models import Classification, IncomingDocument, Urgency
from congan.documents.tests.factories import PDF, IncomingDocumentFactory, clerk, document_type, register
from congan.org import roles
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents/incoming"


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


def _body(**overrides) -> dict:
    body = {
        "issuer_name": "Ủy ban nhân dân thành phố Đà Nẵng",
        "issuer_agency_id": "000.00.00.H17",
        "number_symbol": "1234/UBND-NC",
        "document_type": "cong-van",
        "issued_on": timezone.localdate().isoformat(),
        "subject": "Về việc phối hợp bảo đảm an ninh trật tự dịp Tết",
        "urgency": Urgency.URGENT,
        "to_unit": "CAP20194",
    }
    body.update(overrides)
    return body


@pytest.fixture
def partner_key(admin_officer):
    system = ApiClient.objects.create(name="Hệ thống quản lý văn bản UBND thành phố")
    return apikeys.api_key_issue(by=admin_officer, client=system, name="vb", scopes=["documents.receive"]).raw


def _post(client, body, key=None, **headers):
    if key:
        headers["X-API-Key"] = key
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_another_system_sends_a_document_that_waits_for_the_clerk(client, commune, partner_key):
    body = _body(file={"filename": "cv.pdf", "content_base64": base64.b64encode(PDF).decode()})
    response = _post(client, body, partner_key, **{"Idempotency-Key": "vb-2026-1234"})
    assert response.status_code == 201, response.content
    sent = response.json()
    assert (sent["status"], sent["arrival_number"], sent["unit_code"], sent["number_symbol"]) == (
        "received",
        None,
        "CAP20194",
        "1234/UBND-NC",
    )
    assert sent["file_sha256"] == hashlib.sha256(PDF).hexdigest() and sent["warnings"] == []
    again = _post(
        client, _body(subject="Nội dung khác của lần gửi lại"), partner_key, **{"Idempotency-Key": "vb-2026-1234"}
    )
    assert (again.status_code, again.json()["id"]) == (200, sent["id"])
    assert IncomingDocument.objects.count() == 1
    event = AuditEvent.objects.get(action="documents.incoming.receive")
    assert event.actor_type == "api_key"


def test_a_strange_agency_identifier_comes_back_as_a_warning(client, commune, partner_key):
    response = _post(client, _body(issuer_agency_id="999.010.01.H22", client_token="k2"), partner_key)
    assert response.status_code == 201
    assert "999.010.01.H22" in response.json()["warnings"][0]


def test_a_receipt_is_refused_with_field_errors(client, commune, partner_key):
    body = _error(
        _post(client, _body(number_symbol="12/QĐ--X", document_type="XX", client_token="k3"), partner_key), 422
    )
    assert {"number_symbol", "document_type"} <= set(body["details"])
    body = _error(_post(client, _body(to_unit="KHONG-CO"), partner_key, **{"Idempotency-Key": "k4"}), 422)
    assert "to_unit" in body["details"]
    body = _error(_post(client, _body(), partner_key), 422)
    assert "client_token" in body["details"]
    body = _error(
        _post(
            client,
            _body(classification=Classification.SECRET, file={"filename": "m.pdf", "content_base64": "JVBERi0="}),
            partner_key,
            **{"Idempotency-Key": "k5"},
        ),
        422,
    )
    assert "file" in body["details"]
    body = _error(_post(client, _body(file={"filename": "x.pdf", "content_base64": "%%%"}), partner_key), 422)
    assert body["details"]["file"] == ["base64 không hợp lệ."]


def test_a_key_without_the_scope_is_refused(client, commune, admin_officer):
    other = ApiClient.objects.create(name="Đối tác khác")
    key = apikeys.api_key_issue(by=admin_officer, client=other, name="x", scopes=["meta.read"]).raw
    body = _error(_post(client, _body(), key, **{"Idempotency-Key": "k6"}), 403)
    assert body["details"] == {"required_scope": "documents.receive"}


def test_a_clerk_receives_into_their_own_unit_and_others_may_not(client, commune, other_commune):
    client.force_login(clerk(commune))
    response = _post(client, _body(to_unit="CAP20197"), **{"Idempotency-Key": "k7"})
    assert response.status_code == 201
    assert response.json()["unit_code"] == "CAP20194"
    client.force_login(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))
    _error(_post(client, _body(), **{"Idempotency-Key": "k8"}), 403)


def test_the_register_lists_and_searches_the_viewers_units(client, commune, other_commune):
    vanthu = clerk(commune)
    fire = register(vanthu, subject="Kế hoạch phòng cháy chữa cháy mùa khô", urgency=Urgency.FLASH).document
    register(vanthu, number_symbol="16/QĐ-CATP-PV01")
    register(clerk(other_commune), number_symbol="17/QĐ-CATP-PV01")
    client.force_login(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))
    listed = client.get(URL).json()
    assert listed["count"] == 2 and listed["items"][0]["id"] == fire.pk
    assert listed["items"][0]["urgency_label"] == "Hỏa tốc"
    found = client.get(URL, {"q": "phong chay"}).json()
    assert [item["id"] for item in found["items"]] == [fire.pk]
    assert client.get(URL, {"document_type": "TB"}).json()["count"] == 0
    assert client.get(URL, {"document_type": "QĐ"}).json()["count"] == 2
    this_year = timezone.localdate().year
    assert client.get(URL, {"year": this_year}).json()["count"] == 2
    assert client.get(URL, {"year": this_year - 1}).json()["count"] == 0
    _error(client.get(URL, {"year": 99999}), 422)


def test_reading_one_document_gives_its_timeline_and_another_units_is_not_found(client, commune, other_commune):
    document = register(clerk(commune)).document
    other = register(clerk(other_commune)).document
    client.force_login(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))
    read = client.get(f"{URL}/{document.pk}").json()
    assert [event["action"] for event in read["events"]] == ["receive", "register"]
    assert read["events"][1]["action_label"] == "Vào sổ văn bản đến"
    assert read["arrival_number"] == 1 and read["document_type"] == "quyet-dinh"
    _error(client.get(f"{URL}/{other.pk}"), 404)


def test_the_secret_register_through_the_api_follows_the_clearance_and_is_audited(client, commune):
    secret = IncomingDocumentFactory(unit=commune, classification=Classification.SECRET)
    reader = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    client.force_login(reader)
    assert client.get(URL, {"book": "secret"}).json()["count"] == 0
    _error(client.get(f"{URL}/{secret.pk}"), 404)
    cleared = OfficerFactory(unit=commune, roles=[roles.SPECIALIST], clearance=Clearance.SECRET)
    client.force_login(cleared)
    assert client.get(URL, {"book": "secret"}).json()["items"][0]["id"] == secret.pk
    assert client.get(f"{URL}/{secret.pk}").status_code == 200
    actions = set(AuditEvent.objects.filter(actor_id=str(cleared.pk)).values_list("action", flat=True))
    assert actions == {"documents.incoming.list_classified", "documents.incoming.read_classified"}


def test_an_officer_without_the_permission_is_refused(client, commune):
    client.force_login(OfficerFactory(unit=commune))
    _error(client.get(URL), 403)


def test_the_list_reads_a_fixed_number_of_queries(client, commune, django_assert_max_num_queries):
    vanthu = clerk(commune)
    for number in range(1, 6):
        register(vanthu, number_symbol=f"{number:02d}/TB-CATP", document_type=document_type("TB"))
    client.force_login(vanthu)
    with django_assert_max_num_queries(12):
        assert client.get(URL).json()["count"] == 5


def test_days_are_iso_and_nothing_else(client, commune, partner_key):
    client.force_login(clerk(commune))
    assert _error(client.get(URL, {"date_to": "0"}), 422)["details"]
    assert client.get(URL, {"date_to": "2026-12-31"}).status_code == 200
    body = _error(_post(client, _body(issued_on=1700000000, client_token="k9"), partner_key), 422)
    assert "issued_on" in body["details"]
