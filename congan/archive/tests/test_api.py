"""The archive API: a scan handed in once per Idempotency-Key, its status and pages, a page
corrected, dossiers with their items in order; errors as JSON with field details."""

from __future__ import annotations

import io

from congan.archive.services import item_file
from congan.archive.tests.factories import dossier, read_item, scan_png


def _scan(name="trang.png"):
    data = io.BytesIO(scan_png())
    data.name = name
    return data


def test_the_same_idempotency_key_answers_the_first_item(officer_client):
    first = officer_client.post(
        "/api/v1/archive/items", {"file": _scan(), "title": "Biên bản"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = officer_client.post("/api/v1/archive/items", {"file": _scan()}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "queued" and first.json()["title"] == "Biên bản"
    assert len(first.json()["original_sha256"]) == 64


def test_a_file_that_is_no_scan_is_refused_with_a_json_error(officer_client):
    data = io.BytesIO(b"hello")
    data.name = "note.txt"
    response = officer_client.post("/api/v1/archive/items", {"file": data})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["details"]["scans"] == [
        "note.txt: Kiểu tệp không được nhận: chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, TIFF."
    ]


def test_pages_are_read_and_corrected_through_the_api(officer_client, commune):
    item = read_item(commune, title="Công văn", text="nội dung sai")

    pages = officer_client.get(f"/api/v1/archive/items/{item.pk}/pages").json()
    corrected = officer_client.put(
        f"/api/v1/archive/items/{item.pk}/pages/1",
        {"text": "nội dung đúng", "note": "sửa"},
        content_type="application/json",
    )

    assert pages[0]["text"] == "nội dung sai" and pages[0]["language"] == "vie"
    assert corrected.status_code == 200
    assert corrected.json()["text"] == "nội dung đúng" and corrected.json()["corrected"] is True


def test_a_dossier_lists_its_items_in_order(officer_client, commune):
    made = dossier(commune, title="Hồ sơ vụ việc", notation="07.VV")
    for title in ("Đơn trình báo", "Biên bản", "Kết luận"):
        item_file(by="system", item=read_item(commune, title=title), dossier=made)

    listed = officer_client.get("/api/v1/archive/dossiers?q=ho so vu viec").json()
    detail = officer_client.get(f"/api/v1/archive/dossiers/{made.pk}").json()

    assert [d["file_code"] for d in listed["items"]] == [made.file_code]
    assert made.file_code.endswith(".2024.07.VV")
    assert [(i["position"], i["title"]) for i in detail["items"]] == [
        (1, "Đơn trình báo"),
        (2, "Biên bản"),
        (3, "Kết luận"),
    ]
