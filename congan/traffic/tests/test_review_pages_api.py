"""The review desk through its pages and its API: queues, one violation with its steps, field
errors, every API error path; evidence images uploaded with an event."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congan.core import apikeys
from congan.core.models import ApiClient, AuditEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from congan.org.tests.otp import verified_login
from congan.population.tests.factories import ResidentFactory
from congan.traffic import ingest
from congan.traffic.models import Evidence, ViolationEvent
from congan.traffic.plate_reader import PlateReaderUnavailable, PlateReading
from congan.traffic.tests import factories
from congan.traffic.tests.test_lookup import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def camera(commune):
    return factories.camera(commune)


@pytest.fixture
def reviewer_client(client, commune):
    client.force_login(OfficerFactory(unit=commune, roles=[roles.SPECIALIST]))
    return client


def _api(client, path, payload=None):
    return client.post(f"/api/v1/violations/{path}", json.dumps(payload or {}), content_type="application/json")


def test_the_desk_lists_each_queue_with_counts(reviewer_client, camera):
    waiting = factories.event(camera, plate="43A11111")
    factories.event(camera, plate="43A22222", status="dismissed", dismissal_reason="Ảnh mờ")
    page = reviewer_client.get("/giao-thong/vi-pham/")
    text = page.content.decode()
    assert page.status_code == 200 and f"/giao-thong/vi-pham/{waiting.pk}/" in text and "43A22222" not in text
    done = reviewer_client.get("/giao-thong/vi-pham/", {"queue": "done"}).content.decode()
    assert "43A22222" in done and "43A11111" not in done


def test_the_desk_sorts_by_plate_and_exports_the_queue(reviewer_client, camera):
    factories.event(camera, plate="43A22222")
    factories.event(camera, plate="43A11111")
    page = reviewer_client.get("/giao-thong/vi-pham/", {"sort": "-plate"})
    assert [event.plate for event in page.context["page"]] == ["43A22222", "43A11111"]
    exported = reviewer_client.get("/giao-thong/vi-pham/", {"sort": "plate", "export": "csv"})
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Thời điểm,Biển số,Loại xe,Hành vi,Camera,Trạng thái")
    assert [line.split(",")[1] for line in lines[1:]] == ["43A11111", "43A22222"]


def test_an_officer_corrects_the_plate_on_the_page_and_sees_the_step(reviewer_client, camera):
    factories.vehicle(owner=ResidentFactory(full_name="Đặng Văn Sơn"), plate="43A12345")
    event = factories.event(camera, plate="43A12346")
    detail = reviewer_client.get(f"/giao-thong/vi-pham/{event.pk}/")
    assert detail.status_code == 200 and 'data-testid="verify-form"' in detail.content.decode()
    wrong = reviewer_client.post(f"/giao-thong/vi-pham/{event.pk}/verify/", {"plate": "43O-123.45"})
    assert wrong.status_code == 422 and "errorlist" in wrong.content.decode()
    done = reviewer_client.post(f"/giao-thong/vi-pham/{event.pk}/verify/", {"plate": "43A-123.45"}, follow=True)
    text = done.content.decode()
    assert "Đặng Văn Sơn" in text and "43A12346 → 43A12345" in text
    assert AuditEvent.objects.filter(action="traffic.violation.view", target_type="population.resident").exists()
    assert reviewer_client.post(f"/giao-thong/vi-pham/{event.pk}/nonsense/").status_code == 404


def test_a_leader_issues_the_notice_and_downloads_it(client, camera, commune):
    factories.vehicle(owner=ResidentFactory(), plate="43A12345")
    event = factories.event(camera)
    leader = OfficerFactory(unit=commune, roles=[roles.LEADER])
    verified_login(client, leader)
    client.post(f"/giao-thong/vi-pham/{event.pk}/verify/", {"plate": ""})
    client.post(f"/giao-thong/vi-pham/{event.pk}/issue_notice/")
    event.refresh_from_db()
    assert event.status == "notice_issued"
    pdf = client.get(f"/giao-thong/vi-pham/{event.pk}/thong-bao.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_api_walks_a_violation_through_review(reviewer_client, camera, commune):
    factories.vehicle(owner=ResidentFactory(), plate="43A12345")
    event = factories.event(camera)
    listed = reviewer_client.get("/api/v1/violations", {"queue": "review"}).json()
    assert [row["id"] for row in listed["items"]] == [event.pk]
    verified = _api(reviewer_client, f"{event.pk}/verify", {"plate": "43A-123.45"})
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert verified.json()["steps"][0]["action"] == "verify"
    assert reviewer_client.get("/api/v1/violations/counts").json()["verified"] == 1
    assert _api(reviewer_client, f"{event.pk}/notice").status_code == 403  # a leader signs notices
    assert _api(reviewer_client, f"{event.pk}/payment", {"amount": 18_000_000}).status_code == 409
    dismissed = _api(reviewer_client, f"{event.pk}/dismiss", {"reason": "Xe ưu tiên"})
    assert dismissed.json()["dismissal_reason"] == "Xe ưu tiên"


def test_api_error_paths(reviewer_client, client, camera, other_commune):
    event = factories.event(camera, plate="")
    assert _api(reviewer_client, f"{event.pk}/verify").json()["code"] == "validation_failed"
    assert _api(reviewer_client, f"{event.pk}/dismiss", {"reason": ""}).status_code == 422
    assert _api(reviewer_client, f"{event.pk}/dismiss", {"why": "x"}).status_code == 422
    assert _api(reviewer_client, f"{event.pk}/close", {"outcome": "maybe"}).status_code == 422
    assert _api(reviewer_client, "999999/verify", {"plate": "43A12345"}).status_code == 404
    assert reviewer_client.get("/api/v1/violations", {"queue": "nope"}).status_code == 422
    stranger = factories.event(factories.camera(other_commune, code="CAM-LC"))
    assert reviewer_client.get(f"/api/v1/violations/{stranger.pk}").status_code == 404
    client.logout()
    assert client.get("/api/v1/violations").status_code == 401


@pytest.fixture
def ingest_key(camera, admin_officer):
    issued = apikeys.api_key_issue(
        by=admin_officer,
        client=ApiClient.objects.create(name="Máy chủ camera"),
        name="anpr",
        scopes=["violations.ingest"],
        rate_limit_per_minute=1000,
    )
    factories.event(camera)  # loads the fine tables
    return issued.raw


def _item(**extra) -> str:
    at = timezone.now() - dt.timedelta(hours=1)
    return json.dumps(
        {
            "camera": "CAM-001",
            "occurred_at": at.isoformat(),
            "plate": "43A-567.89",
            "vehicle_kind": "car",
            "violation_type": "16824.6.9.b",
            "idempotency_key": "with-image",
            **extra,
        }
    )


def test_an_event_uploaded_with_its_image_keeps_the_image_and_its_hash(client, ingest_key, settings):
    settings.TRAFFIC_PLATE_READER = "none"
    answer = client.post(
        "/api/v1/violation-events",
        {"event": _item(), "evidence": [SimpleUploadedFile("frame.png", PNG, content_type="image/png")]},
        headers={"X-API-Key": ingest_key},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["created"] == 1
    stored = Evidence.objects.get(event__idempotency_key="with-image")
    assert stored.content_type == "image/png" and len(stored.sha256) == 64 and len(stored.token) >= 20


def test_an_upload_that_is_not_an_image_is_refused_and_nothing_is_kept(client, ingest_key):
    answer = client.post(
        "/api/v1/violation-events",
        {"event": _item(), "evidence": [SimpleUploadedFile("frame.exe", b"MZ\x90\x00", content_type="image/png")]},
        headers={"X-API-Key": ingest_key},
    )
    assert answer.status_code == 422 and "evidence" in answer.json()["details"]
    assert not ViolationEvent.objects.filter(idempotency_key="with-image").exists()
    bad_json = client.post("/api/v1/violation-events", {"event": "{"}, headers={"X-API-Key": ingest_key})
    assert bad_json.status_code == 400 and "event" in bad_json.json()["details"]  # as every malformed JSON


def _png() -> SimpleUploadedFile:
    return SimpleUploadedFile("f.png", PNG, content_type="image/png")


class _Reader:
    def __init__(self) -> None:
        self.images: list[bytes] = []

    def read(self, image: bytes) -> PlateReading:
        self.images.append(image)
        return PlateReading(text="29B11234", confidence=0.8123, engine="test", raw="29-B1 1234")


def test_an_event_without_plate_text_gets_the_plate_read_from_its_first_image(ingest_key, camera):
    reader = _Reader()
    item = json.loads(_item(plate="", vehicle_kind="motorbike", violation_type="16824.7.7.c"))
    result = ingest.event_ingest_with_evidence(by="system", item=item, reader_factory=lambda: reader, uploads=[_png()])
    event = ViolationEvent.objects.get(pk=result.id)
    assert reader.images == [PNG] and (event.plate, event.plate_read, event.read_confidence) == (
        "29B11234",
        "29-B1 1234",
        0.812,
    )


def test_a_plate_reader_that_cannot_run_leaves_the_plate_to_the_officer(ingest_key, camera):
    def unavailable():
        raise PlateReaderUnavailable("tesseract is not installed")

    item = json.loads(_item(plate=""))
    result = ingest.event_ingest_with_evidence(by="system", item=item, reader_factory=unavailable, uploads=[_png()])
    event = ViolationEvent.objects.get(pk=result.id)
    assert result.status == "created" and event.plate == "" and event.evidence.count() == 1


SOURCE_STATUS = {"dismiss": "detected", "contest": "notice_issued", "close": "contested"}


@pytest.mark.parametrize("step", list(SOURCE_STATUS))
def test_a_reason_over_500_characters_is_refused_alike_by_the_page_and_the_api(reviewer_client, camera, step):
    event = factories.event(camera)
    ViolationEvent.objects.filter(pk=event.pk).update(status=SOURCE_STATUS[step], notice_number=f"{event.pk}/TB")
    fields = {"reason": "Lý do " * 100, **({"outcome": "withdrawn"} if step == "close" else {})}  # 600 characters
    page = reviewer_client.post(f"/giao-thong/vi-pham/{event.pk}/{step}/", fields)
    api = _api(reviewer_client, f"{event.pk}/{step}", fields)
    assert page.status_code == 422 and api.status_code == 422, api.content
    assert api.json()["details"] == {"reason": ["Tối đa 500 ký tự."]}
    assert "Tối đa 500 ký tự." in page.content.decode()
    assert ViolationEvent.objects.get(pk=event.pk).status == SOURCE_STATUS[step]


def test_many_violations_are_verified_or_dismissed_at_once_each_on_its_own(reviewer_client, camera, other_commune):
    first, second = factories.event(camera, plate="43A11111"), factories.event(camera, plate="43A22222")
    already = factories.event(camera, plate="43A33333", status="verified")
    elsewhere = factories.event(factories.camera(other_commune, code="CAM-OTHER"), plate="43A44444")
    page = reviewer_client.get("/giao-thong/vi-pham/").content.decode()
    assert 'data-testid="bulk-form"' in page and f'data-testid="pick-{first.pk}"' in page
    done = reviewer_client.post(
        "/giao-thong/vi-pham/hang-loat/",
        {"events": [first.pk, second.pk, already.pk, elsewhere.pk], "step": "verify", "back": "queue=review"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/giao-thong/vi-pham/?queue=review"
    shown = [str(message) for message in done.context["messages"]]
    assert "Đã xử lý 2 vi phạm." in shown
    assert any(f"#{already.pk}" in message for message in shown)  # not waiting for verification any more
    assert any(f"#{elsewhere.pk}" in message and "Không tìm thấy" in message for message in shown)
    statuses = dict(ViolationEvent.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[elsewhere.pk]) == ("verified", "verified", "detected")


def test_dismissing_many_needs_one_reason(reviewer_client, camera):
    event = factories.event(camera)
    refused = reviewer_client.post(
        "/giao-thong/vi-pham/hang-loat/", {"events": [event.pk], "step": "dismiss"}, follow=True
    )
    assert any("Nêu lý do loại bỏ." in str(message) for message in refused.context["messages"])
    reviewer_client.post(
        "/giao-thong/vi-pham/hang-loat/", {"events": [event.pk], "step": "dismiss", "reason": "Ảnh mờ, không đọc được"}
    )
    event.refresh_from_db()
    assert (event.status, event.dismissal_reason) == ("dismissed", "Ảnh mờ, không đọc được")
