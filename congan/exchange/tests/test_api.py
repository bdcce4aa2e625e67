"""The exchange API: an envelope as the raw XML body or as base64 JSON, with a partner key of
scope documents.receive or a clerk's session; idempotency; status packets; every error as
{"code", "message", "details"} naming the element at fault."""

from __future__ import annotations

import base64

import pytest

from congan.core import apikeys
from congan.core.models import ApiClient
from congan.exchange import services
from congan.exchange.models import ExchangeMessage
from congan.exchange.tests.factories import clerk, exchanging_unit, outgoing

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents/edxml"


@pytest.fixture
def pair(province):
    a = exchanging_unit(province, "CAPA", "000.01.48.G01", "Công an phường Hải Châu")
    b = exchanging_unit(province, "CAPB", "000.02.48.G01", "Công an phường Thanh Khê")
    return a, b


@pytest.fixture
def partner_key(admin_officer):
    system = ApiClient.objects.create(name="Trục liên thông văn bản")
    return apikeys.api_key_issue(by=admin_officer, client=system, name="edxml", scopes=["documents.receive"]).raw


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


def test_a_partner_sends_the_raw_envelope_routed_by_its_to_organ_id(client, pair, partner_key):
    a, b = pair
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    headers = {"X-API-Key": partner_key, "Idempotency-Key": "axis-1"}
    response = client.post(URL, data, content_type="application/xml", headers=headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["incoming_status"] == "received" and body["signed"] and body["created"]
    message = ExchangeMessage.objects.get(pk=body["message_id"])
    assert message.unit == b and message.incoming.unit == b
    again = client.post(URL, data, content_type="application/xml", headers=headers)
    assert again.status_code == 200 and again.json()["message_id"] == body["message_id"]


def test_a_clerk_sends_base64_json_into_their_own_unit(client, pair):
    a, b = pair
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    client.force_login(clerk(b))
    response = client.post(
        URL,
        {"envelope_base64": base64.b64encode(data).decode(), "to_unit": "CAPA"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert ExchangeMessage.objects.get(pk=response.json()["message_id"]).unit == b


def test_errors_name_the_element_and_keep_the_error_shape(client, pair, partner_key):
    a, b = pair
    headers = {"X-API-Key": partner_key}
    body = _error(client.post(URL, b"<edXML><x></edXML>", content_type="application/xml", headers=headers), 422)
    assert "to_unit" in body["details"]  # unreadable, so no recipient to route it to
    broken = client.post(URL + "?to_unit=CAPB", b"<edXML><x></edXML>", content_type="application/xml", headers=headers)
    assert _error(broken, 422)["details"]["element"] == ["edXML"]
    tampered = services.envelope_for_outgoing(outgoing(a, [b])).replace("Quyết định".encode(), b"Quyet dinh")
    body = _error(client.post(URL + "?to_unit=CAPB", tampered, content_type="application/xml", headers=headers), 422)
    assert body["details"]["element"] == ["edXMLHeader/Signature"]
    body = _error(client.post(URL, {"envelope_base64": "%%%"}, content_type="application/json", headers=headers), 422)
    assert "envelope_base64" in body["details"]
    body = _error(client.post(URL, b"", content_type="application/xml", headers=headers), 422)
    _error(client.post(URL, b"<edXML/>", content_type="application/xml"), 401)


def test_a_key_without_the_scope_is_refused(client, pair, admin_officer):
    a, b = pair
    system = ApiClient.objects.create(name="Hệ thống khác")
    key = apikeys.api_key_issue(by=admin_officer, client=system, name="x", scopes=["identity.verify"]).raw
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    _error(client.post(URL, data, content_type="application/xml", headers={"X-API-Key": key}), 403)


def test_status_packets_come_back_through_the_api(client, pair, partner_key):
    a, b = pair
    sent = services.envelope_send(by=clerk(a), message=outgoing(a, [b]))
    imported = services.envelope_import(by=clerk(b), unit=b, data=sent.envelope.read())
    packet = imported.message.statuses.get(code="01").packet.encode()
    headers = {"X-API-Key": partner_key}
    response = client.post(URL + "/status", packet, content_type="application/xml", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json() == [{"message_id": sent.pk, "code": "01", "code_label": "Đã đến", "created": True}]
    again = client.post(URL + "/status", packet, content_type="application/xml", headers=headers)
    assert again.json()[0]["created"] is False
    body = _error(
        client.post(URL + "/status", sent.envelope.read(), content_type="application/xml", headers=headers), 422
    )
    assert body["code"] == "validation_failed"


def test_a_clerk_of_another_unit_cannot_post_statuses_onto_our_messages(client, pair, other_commune):
    a, b = pair
    sent = services.envelope_send(by=clerk(a), message=outgoing(a, [b]))
    imported = services.envelope_import(by=clerk(b), unit=b, data=sent.envelope.read())
    packet = imported.message.statuses.get(code="01").packet.encode()
    client.force_login(clerk(other_commune))
    _error(client.post(URL + "/status", packet, content_type="application/xml"), 404)
    assert sent.statuses.count() == 0


def test_a_nul_in_the_idempotency_key_or_the_unit_is_a_field_error(client, pair, partner_key):
    a, b = pair
    data = services.envelope_for_outgoing(outgoing(a, [b]))
    headers = {"X-API-Key": partner_key, "Idempotency-Key": "axis\x00-1"}
    body = _error(client.post(URL, data, content_type="application/xml", headers=headers), 422)
    assert "client_token" in body["details"]
    headers = {"X-API-Key": partner_key}
    body = _error(client.post(URL + "?to_unit=CAP%00B", data, content_type="application/xml", headers=headers), 422)
    assert "to_unit" in body["details"]
    assert not ExchangeMessage.objects.exists()
