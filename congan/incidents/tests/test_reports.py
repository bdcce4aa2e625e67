"""Reports: routing to the commune and the department, priority rules, idempotent submission, media
checks with EXIF, duplicate suggestions and merge, triage guards, reporter privacy, the public
tracking page and the API error paths."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, RateLimited, ValidationFailed
from congan.core.models import AuditEvent
from congan.incidents import selectors, services
from congan.incidents.models import Report
from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db
HAI_VAN = (Decimal("16.120000"), Decimal("108.130000"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fire_police(province):
    return UnitFactory(parent=province, kind="department", code="CA48-PC07", name="Phòng Cảnh sát PCCC và CNCH")


@pytest.fixture
def kinds(province, commune, fire_police):
    services.kinds_load(by="system")
    services.routing_rules_for_province(by="system", province=province)


@pytest.fixture
def dispatcher(commune):
    return OfficerFactory(unit=commune, roles=[roles.DISPATCHER])


def _report(token="t-1", kind="GT.TAINAN", text="Va chạm giữa hai xe máy ở ngã tư", location=HAI_VAN, **extra):  # noqa: S107
    values = {
        "kind_code": kind,
        "description": text,
        "commune_code": "20194",
        "client_token": token,
        "latitude": location[0] if location else None,
        "longitude": location[1] if location else None,
        "reporter_name": "Lê Văn Tâm",
        "reporter_phone": "0905333444",
        "client_secret": "one-reporter",  # the same submitter throughout
        **extra,
    }
    return services.report_submit(**values).report


def test_a_fire_goes_to_the_commune_police_and_the_fire_department_as_urgent(kinds, commune, fire_police):
    report = _report(kind="CHAY.NHA", text="Khói bốc lên từ căn nhà hai tầng")
    assert (report.unit, report.department, report.priority) == (commune, fire_police, "urgent")
    assert report.tracking_code.startswith("TB") and len(report.tracking_code) == 12
    assert report.events.get().action == "receive"
    assert AuditEvent.objects.filter(action="incidents.report.receive", target_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("kind", "text", "priority"),
    [
        ("ANTT.PHANANH", "Đề nghị kiểm tra lấn chiếm vỉa hè", "normal"),
        ("ANTT.PHANANH", "Hai nhóm đánh nhau, có người BỊ THƯƠNG", "high"),
        ("GT.UNTAC", "Ùn tắc, có người mắc kẹt trong xe", "urgent"),
        ("ANTT.PHANANH", "Nó đã bổ sung giấy tờ nhưng chưa được trả lời", "normal"),  # "nó", "bổ sung": no alarm
        ("TP.TINBAO", "Đối tượng cầm dao đe dọa người bán hàng", "urgent"),
        # Written with diacritics, the words are matched as written: traffic that runs is no fire.
        ("GT.UNTAC", "Xe chạy chậm, ùn tắc kéo dài trên cầu", "normal"),
        ("GT.UNTAC", "Một xe máy bốc cháy giữa dòng xe", "urgent"),
        ("ANTT.PHANANH", "Có người bị đe doạ trước quán", "high"),  # the tone on the other vowel
        # Written without them, the words could mean either: matched folded, the alarm is raised.
        ("GT.UNTAC", "xe may boc chay giua dong xe", "urgent"),
        ("ANTT.PHANANH", "hai nhom danh nhau", "high"),
    ],
)
def test_priority_comes_from_the_kind_raised_by_words_as_written(kinds, kind, text, priority):
    assert _report(kind=kind, text=text).priority == priority


def test_an_accepted_report_is_stored_as_the_service_returns_it(kinds):
    """The intake writes without Model.save (core.inserts): the stored row is the returned one."""
    report = _report(kind="CHAY.NHA", text="Khói bốc lên từ căn nhà hai tầng")
    stored = Report.objects.get(pk=report.pk)
    columns = [field.attname for field in Report._meta.concrete_fields]
    assert {name: getattr(stored, name) for name in columns} == {name: getattr(report, name) for name in columns}
    assert stored.priority_rank == 0 and stored.created_at is not None and stored.updated_at is not None
    event = stored.events.get()
    assert (event.pk, event.at, event.action, event.public) == (
        report.public_timeline[0].pk,
        report.public_timeline[0].at,
        "receive",
        True,
    )


def test_a_resent_report_returns_the_first_one(kinds):
    assert _report(token="same").pk == _report(token="same").pk
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "KHONG.CO"}, "kind"),
        ({"text": "ngắn"}, "description"),
        ({"commune_code": "99999"}, "commune_code"),
        ({"location": (Decimal("48.85"), Decimal("2.35"))}, "location"),
        ({"reporter_phone": ""}, "reporter_phone"),
        ({"occurred_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "occurred_at"),
        ({"client_token": " "}, "client_token"),
    ],
)
def test_bad_reports_are_refused_field_by_field_and_nothing_is_kept(kinds, overrides, field):
    kind, text = overrides.pop("kind", "GT.TAINAN"), overrides.pop("text", "Va chạm giữa hai xe máy ở ngã tư")
    with pytest.raises(ValidationFailed) as refused:
        _report(kind=kind, text=text, **overrides)
    assert field in refused.value.details
    assert not Report.objects.exists()


def test_an_anonymous_report_keeps_no_contact(kinds):
    report = _report(anonymous=True)
    assert (report.reporter_name, report.reporter_phone) == ("", "")


def _photo_with_exif() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:11:20 21:15:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (16.0, 7.0, 12.0), 3: "E", 4: (108.0, 7.0, 48.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_photos_keep_their_hash_and_exif_time_and_position(kinds):
    content = _photo_with_exif()
    report = _report(media=[SimpleUploadedFile("hien-truong.jpg", content)])
    item = report.media.get()
    import hashlib

    assert item.sha256 == hashlib.sha256(content).hexdigest() and item.content_type == "image/jpeg"
    assert item.taken_at == "2026:11:20 21:15:00"
    assert (item.exif_latitude, item.exif_longitude) == (Decimal("16.12"), Decimal("108.13"))


def test_files_that_are_not_photos_or_videos_are_refused(kinds):
    with pytest.raises(ValidationFailed) as refused:
        _report(media=[SimpleUploadedFile("anh.jpg", b"MZ\x90 not an image")])
    assert "media" in refused.value.details and not Report.objects.exists()


def test_reports_of_the_same_kind_nearby_are_suggested_as_duplicates_and_merged(kinds, dispatcher):
    first = _report(token="a")
    second = _report(token="b", location=(Decimal("16.121000"), HAI_VAN[1]))  # about 111 m north
    _report(token="c", kind="CHAY.NHA", text="Cháy nhà ở gần đó")  # another kind family
    _report(token="d", location=(Decimal("16.130000"), HAI_VAN[1]))  # about 1.1 km away
    nearby = selectors.possible_duplicates(
        kind_code="GT.UNTAC", latitude=second.latitude, longitude=second.longitude, exclude_id=second.pk
    )
    assert [(report.pk, metres) for report, metres in nearby] == [(first.pk, 111)]
    merged = services.report_merge(by=dispatcher, report_id=second.pk, into_id=first.pk)
    assert (merged.status, merged.duplicate_of) == ("merged", first)
    assert list(first.duplicates.all()) == [second]
    with pytest.raises(Conflict):
        services.report_merge(by=dispatcher, report_id=second.pk, into_id=first.pk)


def test_without_a_commune_the_report_goes_to_the_commune_nearest_its_location(kinds, commune, other_commune):
    for unit, (lat, lon) in ((commune, ("16.12", "108.13")), (other_commune, ("16.07", "108.15"))):
        unit.latitude, unit.longitude = Decimal(lat), Decimal(lon)
        unit.save(update_fields=["latitude", "longitude"])
    report = _report(token="near", commune_code="", location=(Decimal("16.075"), Decimal("108.149")))
    assert (report.unit, report.commune_code) == (other_commune, "20197")
    with pytest.raises(ValidationFailed) as caught:
        _report(token="nowhere", commune_code="", location=None)
    assert "commune_code" in caught.value.details


def test_triage_needs_the_permission_and_the_unit(kinds, commune, other_commune, dispatcher):
    report = _report()
    with pytest.raises(PermissionDenied):
        services.report_triage(
            by=OfficerFactory(unit=commune, roles=[roles.CLERK]), report_id=report.pk, priority="high"
        )
    with pytest.raises(NotFound):
        services.report_triage(
            by=OfficerFactory(unit=other_commune, roles=[roles.DISPATCHER]), report_id=report.pk, priority="high"
        )
    triaged = services.report_triage(by=dispatcher, report_id=report.pk, priority="urgent", kind_code="GT.UNTAC")
    assert (triaged.status, triaged.priority, triaged.kind.code) == ("triaged", "urgent", "GT.UNTAC")


def test_the_fire_department_sees_and_triages_fires_of_every_commune(kinds, fire_police, other_commune):
    fire = _report(kind="CHAY.NHA", text="Cháy xưởng gỗ, khói lớn")
    _report(token="x")  # a traffic accident: not theirs
    firefighter = OfficerFactory(unit=fire_police, roles=[roles.DISPATCHER])
    assert [r.pk for r in selectors.triage_queue(viewer=firefighter)] == [fire.pk]
    assert services.report_triage(by=firefighter, report_id=fire.pk, priority="urgent").status == "triaged"


def test_the_queue_puts_urgent_reports_first_then_the_oldest(kinds, dispatcher):
    normal = _report(token="1", kind="ANTT.PHANANH", text="Đề nghị kiểm tra lấn chiếm vỉa hè")
    urgent = _report(token="2", kind="CHAY.XE", text="Xe ô tô bốc cháy trên đường")
    high = _report(token="3")
    assert [r.pk for r in selectors.triage_queue(viewer=dispatcher)] == [urgent.pk, high.pk, normal.pk]


def test_the_queue_sorts_by_a_column_filters_by_date_and_exports_what_it_shows(kinds, dispatcher, client):
    old = _report(token="1", kind="ANTT.PHANANH", text="Đề nghị kiểm tra lấn chiếm vỉa hè", address="=1+1 đường Lê Lợi")
    new = _report(token="2", kind="CHAY.XE", text="Xe ô tô bốc cháy trên đường")
    Report.objects.filter(pk=old.pk).update(
        received_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    )
    client.force_login(dispatcher)
    page = client.get("/tin-bao/xu-ly/?sort=received")
    assert [r.pk for r in page.context["page"]] == [old.pk, new.pk]
    assert [r.pk for r in client.get("/tin-bao/xu-ly/?sort=-received").context["page"]] == [new.pk, old.pk]
    assert 'aria-sort="descending"' in client.get("/tin-bao/xu-ly/?sort=-received").content.decode()
    only_old = client.get("/tin-bao/xu-ly/?date_from=01/11/2026&date_to=02/11/2026")
    assert [r.pk for r in only_old.context["page"]] == [old.pk]
    exported = client.get("/tin-bao/xu-ly/?sort=received&export=csv")
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Ưu tiên,Mã,Loại,Địa điểm,Tiếp nhận lúc,Trạng thái"
    assert lines[1].startswith(f"Thường,{old.tracking_code},") and "'=1+1 đường Lê Lợi" in lines[1]
    assert "02/11/2026 09:00" in lines[1] and len(lines) == 3


def test_status_changes_follow_their_guards_and_closing_needs_a_reason(kinds, dispatcher):
    report = _report()
    with pytest.raises(InvalidTransition):
        services.report_set_status(by=dispatcher, report_id=report.pk, status="resolved")
    with pytest.raises(ValidationFailed):
        services.report_set_status(by=dispatcher, report_id=report.pk, status="closed")
    services.report_set_status(by=dispatcher, report_id=report.pk, status="in_progress", note="Tổ tuần tra đang đến")
    done = services.report_set_status(by=dispatcher, report_id=report.pk, status="resolved", note="Đã giải quyết")
    assert done.status == "resolved"
    assert "Tổ tuần tra đang đến" in [e.note for e in selectors.public_events(report=done)]


def test_the_reporters_identity_is_shown_to_handling_officers_only_and_every_read_is_audited(
    kinds, dispatcher, commune, client
):
    report = _report()
    clerk = OfficerFactory(unit=commune, roles=[roles.CLERK])
    assert selectors.report_view(viewer=clerk, report_id=report.pk).reporter is None
    contact = selectors.report_view(viewer=dispatcher, report_id=report.pk).reporter
    assert contact == {"name": "Lê Văn Tâm", "phone": "0905333444", "personal_id": ""}
    shown = AuditEvent.objects.get(action="incidents.report.view", actor_label=dispatcher.username)
    assert shown.details["reporter_shown"] is True
    public = client.get("/tin-bao/theo-doi/", {"code": report.tracking_code})
    assert public.status_code == 200 and "0905333444" not in public.content.decode()
    assert "Lê Văn Tâm" not in public.content.decode()


def test_the_public_page_takes_a_report_and_shows_its_tracking_page(kinds, client, settings):
    form = client.get("/tin-bao/")
    assert form.status_code == 200
    response = client.post(
        "/tin-bao/",
        {
            "client_token": "page-1",
            "kind": "GT.TAINAN",
            "description": "Va chạm giữa xe máy và xe đạp",
            "commune_code": "20194",
            "anonymous": "on",
            "latitude": "16.120000",
            "longitude": "108.130000",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.tracking_code in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and report.get_status_display() in page.content.decode()
    missing = client.get("/tin-bao/theo-doi/", {"code": "TBKHONGCO"})
    assert missing.status_code == 404


def test_public_tracking_is_rate_limited(kinds):
    for _attempt in range(selectors.TRACK_ATTEMPTS):
        with pytest.raises(NotFound):
            selectors.public_report(tracking_code="TBNOPE", client_ip="198.51.100.7")
    with pytest.raises(RateLimited):
        selectors.public_report(tracking_code="TBNOPE", client_ip="198.51.100.7")


def _error(response, status):
    assert response.status_code == status, response.content
    assert set(response.json()) == {"code", "message", "details"}


def test_the_reports_api_submits_once_tracks_and_explains_errors(kinds, either_client):
    client = either_client
    body = {
        "kind": "CHAY.XE",
        "description": "Xe tải bốc cháy trên cầu",
        "commune_code": "20194",
        "anonymous": True,
        "client_token": "api-1",
    }
    created = client.post("/api/v1/reports", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "received"
    again = client.post("/api/v1/reports", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["tracking_code"] == created.json()["tracking_code"]
    tracked = client.get(f"/api/v1/reports/{created.json()['tracking_code']}")
    assert tracked.status_code == 200 and tracked.json()["events"][0]["note"]
    assert created.json() == tracked.json()  # the lane renders the report as the Django endpoint does
    by_header = {**body, "client_token": ""}
    first = client.post("/api/v1/reports", by_header, content_type="application/json", HTTP_IDEMPOTENCY_KEY="hdr-1")
    second = client.post("/api/v1/reports", by_header, content_type="application/json", HTTP_IDEMPOTENCY_KEY="hdr-1")
    assert (first.status_code, second.status_code) == (201, 200)
    _error(client.get("/api/v1/reports/TBKHONGCO"), 404)
    _error(client.post("/api/v1/reports", {**body, "client_token": ""}, content_type="application/json"), 422)
    _error(client.post("/api/v1/reports", {**body, "commune_code": "1"}, content_type="application/json"), 422)
    _error(
        client.post("/api/v1/reports", {**body, "client_token": "x", "kind": "NO"}, content_type="application/json"),
        422,
    )
    _error(client.post("/api/v1/reports", "{", content_type="application/json"), 400)
    assert client.get("/api/v1/report-kinds").status_code == 200


def test_officers_see_their_queue_through_the_api(kinds, client, dispatcher, other_commune_officer):
    report = _report()
    _error(client.get("/api/v1/incidents/queue"), 401)
    client.force_login(dispatcher)
    assert [item["tracking_code"] for item in client.get("/api/v1/incidents/queue").json()["items"]] == [
        report.tracking_code
    ]
    triaged = client.post(
        f"/api/v1/incidents/reports/{report.pk}/triage", {"priority": "urgent"}, content_type="application/json"
    )
    assert triaged.status_code == 200 and triaged.json()["priority"] == "urgent"
    client.force_login(other_commune_officer)
    _error(
        client.post(
            f"/api/v1/incidents/reports/{report.pk}/triage", {"priority": "urgent"}, content_type="application/json"
        ),
        404,
    )


def test_the_public_duplicate_hint_never_reveals_a_crime_tip_nearby(kinds, client):
    _report(token="tip", kind="TP.TOGIAC", text="Tố giác điểm đánh bạc trong quán cà phê")
    _report(token="crash")
    query = {"latitude": str(HAI_VAN[0]), "longitude": str(HAI_VAN[1])}
    assert "Tố giác" not in client.get("/tin-bao/trung-lap/", {**query, "kind": "TP.TOGIAC"}).content.decode()
    assert "Tai nạn giao thông" in client.get("/tin-bao/trung-lap/", {**query, "kind": "GT.TAINAN"}).content.decode()


def test_a_client_token_is_kept_to_its_submitter(kinds, either_client):
    """Another client resending someone's token gets a report of its own, exactly as for a token never
    used (201, its own tracking code and timeline), and learns nothing of the first report."""
    first_client, other_client = either_client, type(either_client)()
    body = {
        "kind": "GT.TAINAN",
        "description": "Va chạm giữa hai xe máy ở ngã tư",
        "commune_code": "20194",
        "reporter_phone": "0905333444",
        "client_token": "shared-1",
    }
    first = first_client.post("/api/v1/reports", body, content_type="application/json")
    assert first.status_code == 201
    replayed = other_client.post(
        "/api/v1/reports", {**body, "description": "Mô tả khác hẳn tin đầu"}, content_type="application/json"
    )
    assert replayed.status_code == 201, replayed.content
    assert replayed.json()["tracking_code"] != first.json()["tracking_code"]
    assert first.json()["tracking_code"] not in replayed.content.decode()
    by_header = other_client.post(
        "/api/v1/reports",
        {**body, "client_token": ""},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="shared-1",
    )
    assert by_header.status_code == 200 and by_header.json()["tracking_code"] == replayed.json()["tracking_code"]
    again = first_client.post("/api/v1/reports", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Report.objects.count() == 2


def test_the_form_keeps_a_token_to_the_browser_that_sent_it(kinds, client):
    form = {
        "client_token": "page-shared",
        "kind": "GT.TAINAN",
        "description": "Va chạm giữa xe máy và xe đạp",
        "commune_code": "20194",
        "anonymous": "on",
    }
    assert client.get("/tin-bao/").cookies  # the browser's secret, before its first report
    first = client.post("/tin-bao/", form)
    resent = client.post("/tin-bao/", form)
    assert first["Location"] == resent["Location"]
    other_browser = type(client)()
    replayed = other_browser.post("/tin-bao/", form)
    assert replayed.status_code == 302 and replayed["Location"] != first["Location"]
    assert Report.objects.count() == 2


def test_the_page_the_api_and_the_fast_lane_submit_through_the_one_service(kinds, monkeypatch):
    from django.test import Client

    from congan.core.testing.fastlane import FastLaneClient

    calls = []
    submit = services.report_submit

    def spy(**fields):
        calls.append(fields.get("channel", Report.Channel.WEB))
        return submit(**fields)

    monkeypatch.setattr(services, "report_submit", spy)
    body = {"kind": "CHAY.XE", "description": "Xe tải bốc cháy trên cầu", "commune_code": "20194", "anonymous": True}
    assert (
        Client().post("/api/v1/reports", {**body, "client_token": "one-1"}, content_type="application/json").status_code
        == 201
    )
    lane = FastLaneClient().post("/api/v1/reports", {**body, "client_token": "one-2"}, content_type="application/json")
    assert lane.status_code == 201 and lane.served_by_fast_lane
    page = Client().post(
        "/tin-bao/",
        {
            "client_token": "one-3",
            "kind": "CHAY.XE",
            "description": body["description"],
            "commune_code": "20194",
            "anonymous": "on",
        },
    )
    assert page.status_code == 302
    assert calls == ["app", "app", "web"]


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
def test_both_transports_give_a_new_client_the_same_submitter_cookie(kinds, settings, secure):
    from django.test import Client

    from congan.core.testing.fastlane import FastLaneClient
    from congan.incidents import submitters

    settings.SESSION_COOKIE_SECURE = secure
    body = {"kind": "CHAY.XE", "description": "Xe tải bốc cháy trên cầu", "commune_code": "20194", "anonymous": True}
    seen = []
    for number, transport in enumerate((Client, FastLaneClient)):
        answer = transport().post(
            "/api/v1/reports", {**body, "client_token": f"c-{number}"}, content_type="application/json"
        )
        assert answer.status_code == 201
        cookie = answer.cookies[submitters.COOKIE]
        assert cookie["expires"] and len(cookie.value) == 43
        seen.append({name: str(cookie[name]) for name in ("max-age", "path", "secure", "httponly", "samesite")})
    assert seen[0] == seen[1]
    assert seen[0]["httponly"] == "True" and seen[0]["samesite"] == "Lax" and bool(seen[0]["secure"]) is secure
