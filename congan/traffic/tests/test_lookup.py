"""The public plate lookup (page and API): only violations with a notice, ĐÃ XỬ PHẠT / CHƯA XỬ
PHẠT, nothing about the owner; the proof-of-work challenge, the rate limit, the counter; evidence
images and the owner's notice link."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from congan.core import apikeys
from congan.core.models import ApiClient
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.population.tests.factories import ResidentFactory
from congan.traffic import challenge, counter, review
from congan.traffic.models import Evidence
from congan.traffic.tests import factories

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def client(either_client):
    """Every test here runs through Django and through the fast lane (congan.core.fastlane)."""
    return either_client


@pytest.fixture(autouse=True)
def _easy_challenge(settings):
    settings.TRAFFIC_CHALLENGE_BITS = 4


@pytest.fixture
def noticed(commune):
    """Three events of one plate: one with a notice, one paid, one still in review."""
    camera = factories.camera(commune, road="Quốc lộ 1A")
    commune.address, commune.phone = "1 Nguyễn Văn Cừ", "0236 3840 113"
    commune.save()
    owner = ResidentFactory(full_name="Lê Thị Hoa", phone="0905333444")
    factories.vehicle(owner=owner, plate="43A12345", plate_colour="white")
    reviewer = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    chief = OfficerFactory(unit=commune, roles=[roles.LEADER])
    events = [factories.event(camera, ago=timezone.timedelta(days=days)) for days in (3, 30, 1)]
    for event in events[:2]:
        review.violation_verify(by=reviewer, event_id=event.pk)
        review.violation_issue_notice(by=chief, event_id=event.pk)
    review.violation_record_payment(by=reviewer, event_id=events[1].pk, amount=18_000_000)
    Evidence.objects.create(
        event=events[0],
        token="tok-public",
        content_type="image/png",
        size=len(PNG),
        sha256="x",
        file=ContentFile(PNG, name="a.png"),
    )
    Evidence.objects.create(
        event=events[2],
        token="tok-private",
        content_type="image/png",
        size=len(PNG),
        sha256="y",
        file=ContentFile(PNG, name="b.png"),
    )
    return owner, events


def _proof() -> str:
    issued = challenge.challenge_issue()
    return challenge.proof_solve(issued["challenge"], issued["bits"])


def _lookup(client, proof=None, **params):
    headers = {"X-Challenge-Proof": proof} if proof else {}
    return client.get(
        "/api/v1/violations/lookup", {"plate": "43A-123.45", "vehicle_kind": "car", **params}, headers=headers
    )


def test_a_proof_is_accepted_once_and_forged_or_expired_ones_never(settings):
    issued = challenge.challenge_issue()
    proof = challenge.proof_solve(issued["challenge"], issued["bits"])
    assert challenge.proof_accept(proof) and not challenge.proof_accept(proof)
    salt, expires, _bits, signature = issued["challenge"].split(".")
    assert not challenge.proof_accept(challenge.proof_solve(f"{salt}.{expires}.0.{signature}", 0))  # bits altered
    assert not challenge.proof_accept(_proof(), now=int(expires) + 600)
    assert not challenge.proof_accept("") and not challenge.proof_accept("a.b.c:1")
    settings.TRAFFIC_CHALLENGE_BITS = 12
    weak = challenge.challenge_issue()["challenge"]
    short = next(
        f"{weak}:{n}"
        for n in range(10_000)
        if challenge.leading_zero_bits(hashlib.sha256(f"{weak}:{n}".encode()).digest()) < 12
    )
    assert not challenge.proof_accept(short)


def test_the_lookup_shows_noticed_violations_with_their_status_and_nothing_of_the_owner(client, noticed):
    owner, _events = noticed
    answer = _lookup(client, _proof())
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["plate"] == "43A12345" and body["unpaid"] == 1
    assert [row["status"] for row in body["violations"]] == ["CHƯA XỬ PHẠT", "ĐÃ XỬ PHẠT"]
    first = body["violations"][0]
    assert first["violation_code"] == "16824.6.9.b" and first["place"].startswith("Quốc lộ 1A")
    assert first["resolving_address"] == "1 Nguyễn Văn Cừ" and first["evidence_thumbnail"].endswith("/tok-public/")
    text = answer.content.decode()
    for private in (owner.full_name, owner.personal_id, owner.phone, "owner"):
        assert private not in text
    assert counter.lookups_on(timezone.localdate()) == 1


def test_the_lookup_needs_a_proof_or_a_partner_key_with_its_scope(client, noticed, admin_officer):
    assert _lookup(client).status_code == 401
    assert _lookup(client, "forged:1").status_code == 401
    api_client = ApiClient.objects.create(name="Ứng dụng ngân hàng")
    good = apikeys.api_key_issue(by=admin_officer, client=api_client, name="tra cứu", scopes=["violations.lookup"])
    other = apikeys.api_key_issue(by=admin_officer, client=api_client, name="khác", scopes=["identity.verify"])
    assert (
        client.get(
            "/api/v1/violations/lookup", {"plate": "43A12345", "vehicle_kind": "car"}, headers={"X-API-Key": good.raw}
        ).status_code
        == 200
    )
    refused = client.get(
        "/api/v1/violations/lookup", {"plate": "43A12345", "vehicle_kind": "car"}, headers={"X-API-Key": other.raw}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


def test_bad_lookup_input_gets_a_clear_error(client, noticed):
    impossible = _lookup(client, _proof(), plate="43I-123.45")
    assert impossible.status_code == 422 and "plate" in impossible.json()["details"]
    assert _lookup(client, _proof(), vehicle_kind="tank").status_code == 422
    assert _lookup(client, _proof(), plate="").status_code == 422


PLATE_TOO_LONG = "43A-123.45" + " " * 10 + "9"  # 21 characters: the page cut it to a valid plate
LOOKUP_REFUSED = [
    ("dotted-serial", {"plate": "43A-123.4"}, "plate", "Dấu chấm chỉ đứng trong số thứ tự có 5 chữ số"),
    ("too-long", {"plate": PLATE_TOO_LONG}, "plate", "Biển số dài quá 20 ký tự."),
    ("unknown-kind", {"vehicle_kind": "bus"}, "vehicle_kind", "Loại xe tra cứu là ô tô, xe máy hoặc xe máy điện."),
]


@pytest.mark.parametrize(
    ("params", "field", "message"), [case[1:] for case in LOOKUP_REFUSED], ids=[case[0] for case in LOOKUP_REFUSED]
)
def test_the_lookup_page_and_api_refuse_the_same_input_with_the_same_message(client, noticed, params, field, message):
    answer = _lookup(client, _proof(), **params)
    assert answer.status_code == 422, answer.content
    (api_message,) = answer.json()["details"][field]
    assert api_message.startswith(message)
    page = client.get(
        "/giao-thong/tra-cuu/", {"plate": "43A-123.45", "vehicle_kind": "car", "proof": _proof(), **params}
    )
    assert page.context["result"] is None and api_message in page.context["error"]


def test_the_lookup_is_rate_limited_per_address(client, noticed, settings):
    settings.TRAFFIC_LOOKUP_PER_MINUTE = 2
    answers = [_lookup(client, _proof()).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    page = client.get("/giao-thong/tra-cuu/", {"plate": "43A12345", "vehicle_kind": "car", "proof": _proof()})
    assert page.status_code == 429


def test_the_lookup_page_shows_the_same_rows(client, noticed):
    page = client.get("/giao-thong/tra-cuu/", {"plate": "43A-123.45", "vehicle_kind": "car", "proof": _proof()})
    text = page.content.decode()
    assert page.status_code == 200 and text.count('data-testid="lookup-row"') == 2
    assert "CHƯA XỬ PHẠT" in text and "ĐÃ XỬ PHẠT" in text and noticed[0].full_name not in text
    unproven = client.get("/giao-thong/tra-cuu/", {"plate": "43A12345", "vehicle_kind": "car", "proof": "x:1"})
    assert 'data-testid="lookup-row"' not in unproven.content.decode()


def test_evidence_is_public_only_once_a_notice_is_out(client, noticed, commune):
    assert client.get("/giao-thong/bang-chung/tok-public/").status_code == 200
    assert client.get("/giao-thong/bang-chung/tok-private/").status_code == 404
    client.force_login(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))
    assert client.get("/giao-thong/bang-chung/tok-private/").status_code == 200


def test_the_owner_opens_the_notice_from_the_private_link(client, noticed):
    event = noticed[1][0]
    event.refresh_from_db()
    answer = client.get(f"/giao-thong/thong-bao/{event.notice_token}.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert client.get("/giao-thong/thong-bao/khong-co.pdf").status_code == 404


def test_lookups_are_counted_in_memory_and_written_once_per_interval(client, noticed, settings):
    from congan.traffic.models import LookupCount

    settings.TRAFFIC_LOOKUP_COUNT_SECONDS = 3600
    counter.lookup_counts_write()  # the interval starts now
    for _ in range(3):
        assert _lookup(client, _proof()).status_code == 200
    assert not LookupCount.objects.filter(day=timezone.localdate()).exists()  # nothing written yet
    assert counter.lookups_on(timezone.localdate()) == 3  # reading writes this process's count first
    settings.TRAFFIC_LOOKUP_COUNT_SECONDS = 0
    assert _lookup(client, _proof()).status_code == 200  # the interval is over: written with the lookup
    assert sum(LookupCount.objects.filter(day=timezone.localdate()).values_list("lookups", flat=True)) == 4
