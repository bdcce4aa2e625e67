"""Violation event ingestion: single events and batches (JSON or NDJSON), per-item rejection with
reasons, idempotence by key, duplicates of one violation, unreadable plates kept for review."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from congan.core import apikeys
from congan.core.models import ApiClient, AuditEvent
from congan.traffic import services
from congan.traffic.models import Camera, ViolationEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(commune, admin_officer):
    services.violation_types_load(by="system")
    Camera.objects.create(
        code="CAM-001",
        name="Ngã tư Điện Biên Phủ",
        kind="red_light",
        latitude="16.06",
        longitude="108.20",
        unit=commune,
    )
    issued = apikeys.api_key_issue(
        by=admin_officer,
        client=ApiClient.objects.create(name="Máy chủ camera"),
        name="anpr",
        scopes=["violations.ingest"],
        rate_limit_per_minute=10_000,
    )
    return issued.raw


def _event(n: int, **extra) -> dict:
    at = timezone.now() - dt.timedelta(hours=1, minutes=10 * n)
    return {
        "camera": "CAM-001",
        "occurred_at": at.isoformat(),
        "plate": f"43A-{100 + n:03d}.45",
        "vehicle_kind": "car",
        "violation_type": "16824.6.9.b",
        "read_confidence": 0.97,
        "evidence_urls": [f"s3://camera/CAM-001/{n}.jpg"],
        "idempotency_key": f"cam1-{n}",
        **extra,
    }


def _post(client, key, body, content_type="application/json"):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/v1/violation-events", data, content_type=content_type, headers={"X-API-Key": key})


def test_a_batch_is_accepted_item_by_item_with_reasons_for_the_bad_ones(client, key):
    batch = [
        _event(1),
        _event(2, camera="CAM-999"),
        _event(3, occurred_at="hôm qua"),
        _event(4, vehicle_kind="tank"),
        _event(5, violation_type="16824.9.9.z"),
        "not an object",
        _event(6, read_confidence=1.5),
        _event(7),
    ]
    answer = _post(client, key, batch)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["created"], body["rejected"]) == (2, 6)
    reasons = {row["index"]: set(row["errors"]) for row in body["results"] if row["status"] == "rejected"}
    assert reasons == {
        1: {"camera"},
        2: {"occurred_at"},
        3: {"vehicle_kind"},
        4: {"violation_type"},
        5: {"item"},
        6: {"read_confidence"},
    }
    event = ViolationEvent.objects.get(idempotency_key="cam1-1")
    assert (event.plate, event.violation_type.fine_max, event.status) == ("43A10145", 20_000_000, "detected")
    audit = AuditEvent.objects.get(action="traffic.events.ingest")
    assert audit.details == {"created": 2, "duplicate": 0, "repeated": 0, "rejected": 6}


def test_sending_the_same_events_again_creates_nothing(client, key):
    first = _post(client, key, [_event(1), _event(2)]).json()
    again = _post(client, key, [_event(1), _event(2), _event(2)]).json()
    assert (again["created"], again["repeated"]) == (0, 3)
    assert [row["id"] for row in again["results"]] == [
        first["results"][0]["id"],
        first["results"][1]["id"],
        first["results"][1]["id"],
    ]
    assert ViolationEvent.objects.count() == 2


def test_frames_of_one_violation_are_marked_duplicates_of_the_first(client, key):
    at = timezone.now() - dt.timedelta(hours=2)
    frames = [
        _event(
            1, occurred_at=(at + dt.timedelta(seconds=s)).isoformat(), plate="43A-555.55", idempotency_key=f"frame-{s}"
        )
        for s in (0, 2, 4)
    ]
    later = _event(1, occurred_at=(at + dt.timedelta(minutes=30)).isoformat(), plate="43A-555.55", idempotency_key="l")
    body = _post(client, key, [*frames, later]).json()
    assert [row["status"] for row in body["results"]] == ["created", "duplicate", "duplicate", "created"]
    original = ViolationEvent.objects.get(idempotency_key="frame-0")
    assert set(ViolationEvent.objects.filter(duplicate_of=original).values_list("idempotency_key", flat=True)) == {
        "frame-2",
        "frame-4",
    }
    next_batch = _post(
        client,
        key,
        [
            _event(
                1, occurred_at=(at + dt.timedelta(seconds=6)).isoformat(), plate="43A55555", idempotency_key="frame-6"
            )
        ],
    ).json()
    assert next_batch["results"][0]["status"] == "duplicate"  # against an event stored earlier


def test_an_unreadable_plate_is_kept_for_an_officer_to_read(client, key):
    body = _post(client, key, [_event(1, plate="43?-1..45", read_confidence=0.31)]).json()
    assert body["created"] == 1
    event = ViolationEvent.objects.get()
    assert (event.plate_read, event.plate) == ("43?-1..45", "")


def test_ndjson_and_a_single_object_are_accepted(client, key):
    lines = "\n".join(json.dumps(_event(n)) for n in (1, 2, 3)) + "\n"
    assert _post(client, key, lines, content_type="application/x-ndjson").json()["created"] == 3
    assert _post(client, key, _event(4)).json()["created"] == 1


def test_ingestion_errors_of_the_whole_request(client, key, admin_officer):
    bad_json = _post(client, key, "[{not json")
    assert bad_json.status_code == 400 and bad_json.json()["code"] == "malformed_body"  # as every JSON body
    assert _post(client, key, []).status_code == 422
    assert _post(client, key, [_event(n) for n in range(5001)]).status_code == 422
    other = apikeys.api_key_issue(
        by=admin_officer, client=ApiClient.objects.create(name="Khác"), name="x", scopes=["camera.device"]
    )
    assert _post(client, other.raw, [_event(1)]).status_code == 403
    assert client.post("/api/v1/violation-events", "[]", content_type="application/json").status_code == 401
    assert ViolationEvent.objects.count() == 0
