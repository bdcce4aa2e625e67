"""Processing dossiers: every transition guard, deadlines with pause and extension, overdue,
apology letters, results and their public verification, notifications, ratings, tracking."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from congan.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, RateLimited, ValidationFailed
from congan.core.models import AuditEvent, Notification
from congan.eservices import documents, selectors, services, stats, workflow
from congan.eservices.models import Dossier, DossierEvent
from congan.org import roles
from congan.org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def clock(monkeypatch):
    """Set the platform's clock: ``clock(2026, 12, 7)`` is 09:00 that day in Vietnam."""

    def set_to(year: int, month: int, day: int, hour: int = 9) -> None:
        moment = dt.datetime(year, month, day, hour, tzinfo=HANOI)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def _act(clerk, dossier, action, reason=""):
    return workflow.transition(by=clerk, dossier_id=dossier.pk, action=action, reason=reason)


def _through(clerk, dossier, *actions):
    for action in actions:
        dossier = _act(clerk, dossier, action, reason="Lý do")
    return dossier


def test_a_dossier_goes_from_submission_to_returned_result_with_a_timeline(submit, clerk, clock):
    clock(2026, 12, 7)  # a Monday
    dossier = _through(clerk, submit(), "receive", "start", "approve", "return_result")
    assert dossier.status == Dossier.Status.RETURNED
    assert (dossier.received_on, dossier.due_on) == (dt.date(2026, 12, 7), dt.date(2026, 12, 10))  # 3 working days
    assert dossier.assigned_to == clerk
    steps = list(dossier.events.order_by("pk").values_list("action", "status_to"))
    assert steps == [
        ("submit", "submitted"),
        ("receive", "received"),
        ("start", "processing"),
        ("approve", "approved"),
        ("return_result", "returned"),
    ]
    assert AuditEvent.objects.filter(action__startswith="eservices.dossier.", target_id=str(dossier.pk)).count() == 5
    assert set(dossier.events.values_list("actor_label", flat=True)) == {"Công dân", clerk.unit.name}


def _refuses_key_share(table: str, pk: int) -> bool:
    """Whether another connection is refused the lock a foreign-key check takes on the row."""
    refused = []

    def probe() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE NOWAIT", [pk])  # noqa: S608
            refused.append(False)
        except OperationalError:
            refused.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(10)
    return refused == [True]


@pytest.mark.django_db(transaction=True)
def test_acting_on_a_dossier_locks_the_dossier_but_not_its_procedure_applicant_or_unit(submit, clerk, monkeypatch):
    """New dossiers, reports and audit records refer to the same procedure, resident and unit: an
    officer's step must not hold them up until it commits."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    dossier = submit()
    seen = {}
    record = workflow.record_step

    def record_and_probe(locked, **kwargs):
        seen.update(
            {
                table: _refuses_key_share(table, pk)
                for table, pk in [
                    ("eservices_dossier", locked.pk),
                    ("eservices_procedure", locked.procedure_id),
                    ("population_resident", locked.applicant_id),
                    ("org_unit", locked.unit_id),
                ]
            }
        )
        return record(locked, **kwargs)

    monkeypatch.setattr(workflow, "record_step", record_and_probe)
    _act(clerk, dossier, "receive")
    assert seen == {
        "eservices_dossier": True,
        "eservices_procedure": False,
        "population_resident": False,
        "org_unit": False,
    }


def test_each_status_change_notifies_the_citizen_through_the_outbox(submit, clerk):
    dossier = _through(clerk, submit(), "receive")
    messages = Notification.objects.filter(target_id=str(dossier.pk)).order_by("pk")
    assert [(m.channel, m.recipient) for m in messages] == [
        ("sms", "0905111222"),
        ("email", "thu@example.vn"),
        ("sms", "0905111222"),
        ("email", "thu@example.vn"),
    ]
    assert dossier.code in messages.last().body and "/dich-vu-cong/tra-cuu/?code=" in messages.last().body
    assert list(selectors.dossier_notifications(dossier=dossier)) == list(messages)


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ((), "approve"),
        ((), "start"),
        ((), "return_result"),
        (("receive",), "receive"),
        (("receive",), "reject_intake"),
        (("receive", "start", "approve"), "refuse"),
        (("receive", "start", "approve", "return_result"), "request_supplement"),
        (("receive", "start"), "resume"),
    ],
)
def test_a_transition_from_the_wrong_status_is_refused(submit, clerk, steps, action):
    dossier = _through(clerk, submit(), *steps)
    with pytest.raises(InvalidTransition) as refused:
        _act(clerk, dossier, action, reason="Lý do")
    assert refused.value.details["status"] == dossier.status
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.status


@pytest.mark.parametrize("action", ["reject_intake", "request_supplement", "refuse"])
def test_refusals_and_supplement_requests_need_a_reason(submit, clerk, action):
    dossier = _through(
        clerk,
        submit(),
        *{"reject_intake": (), "request_supplement": ("receive",), "refuse": ("receive", "start")}[action],
    )
    with pytest.raises(ValidationFailed) as refused:
        _act(clerk, dossier, action, reason="  ")
    assert "reason" in refused.value.details


def test_only_officers_with_the_permission_and_in_the_unit_may_act(submit, commune, other_commune):
    dossier = submit()
    specialist = OfficerFactory(unit=commune, roles=[roles.SPECIALIST])
    with pytest.raises(PermissionDenied):
        _act(specialist, dossier, "receive")
    outsider = OfficerFactory(unit=other_commune, roles=[roles.RECEPTION])
    with pytest.raises(NotFound):
        _act(outsider, dossier, "receive")
    assert not selectors.inbox(viewer=outsider).exists()
    reception = OfficerFactory(unit=commune, roles=[roles.RECEPTION])
    dossier = _act(reception, dossier, "receive")
    with pytest.raises(PermissionDenied):  # reception does not decide
        _act(reception, _act(OfficerFactory(unit=commune, roles=[roles.PROCESSING]), dossier, "start"), "approve")


def test_a_supplement_request_pauses_the_clock_until_the_citizen_answers(submit, clerk, clock, applicant):
    clock(2026, 12, 7)
    dossier = _through(clerk, submit(), "receive", "start")
    clock(2026, 12, 8)
    dossier = _act(clerk, dossier, "request_supplement", reason="Thiếu giấy xác nhận chỗ ở")
    assert (dossier.status, dossier.paused_since) == ("waiting", dt.date(2026, 12, 8))
    clock(2026, 12, 11)  # the citizen answers on Friday: Wed, Thu and Fri did not count
    dossier = services.dossier_supplement(resident=applicant, dossier=dossier, note="Đã bổ sung", attachments=[])
    assert (dossier.status, dossier.paused_since) == ("processing", None)
    assert dossier.due_on == dt.date(2026, 12, 15)  # 3 + 3 working days after Monday the 7th
    assert dossier.pauses.get().ended_on == dt.date(2026, 12, 11)


def test_a_procedure_that_cannot_pause_refuses_a_supplement_request(submit, clerk):
    dossier = _through(clerk, submit("CA.CT.05"), "receive", "start")  # stay notification: no pause
    with pytest.raises(InvalidTransition):
        _act(clerk, dossier, "request_supplement", reason="Thiếu")


@pytest.fixture
def province_clerk(province):
    return OfficerFactory(unit=province, roles=[roles.RECEPTION, roles.PROCESSING])


def test_an_extension_is_granted_once_where_the_procedure_allows_it(submit, clerk, province_clerk, clock):
    clock(2026, 12, 7)
    record = _through(province_clerk, submit("CA.LLTP.01", reason="Xin việc"), "receive", "start")
    assert record.due_on == dt.date(2026, 12, 21)  # 10 working days
    record = workflow.extend(by=province_clerk, dossier_id=record.pk, days=5, reason="Chờ xác minh liên tỉnh")
    assert (record.extension_days, record.due_on) == (5, dt.date(2026, 12, 28))
    with pytest.raises(InvalidTransition):
        workflow.extend(by=province_clerk, dossier_id=record.pk, days=2, reason="Lần nữa")
    residence = _through(clerk, submit(), "receive")
    with pytest.raises(InvalidTransition):
        workflow.extend(by=clerk, dossier_id=residence.pk, days=2, reason="Không được phép")


def test_overdue_dossiers_are_found_and_paused_ones_are_not(submit, clerk, clock):
    clock(2026, 12, 7)
    late = _through(clerk, submit(), "receive", "start")
    paused = _act(clerk, _through(clerk, submit(), "receive"), "request_supplement", reason="Thiếu")
    on_time = _through(clerk, submit(), "receive")
    clock(2026, 12, 14)
    assert Dossier.objects.get(pk=late.pk).is_overdue
    assert {d.pk for d in selectors.inbox(viewer=clerk, due="overdue")} == {late.pk, on_time.pk}
    assert not Dossier.objects.get(pk=paused.pk).is_overdue


def test_an_apology_letter_gives_a_new_date_and_the_dossier_still_counts_as_late(submit, clerk, clock):
    clock(2026, 12, 7)
    dossier = _through(clerk, submit(), "receive", "start")
    letter = workflow.apologise(
        by=clerk, dossier_id=dossier.pk, new_due_on=dt.date(2026, 12, 16), reason="Cần xác minh thêm tại nơi cư trú cũ"
    )
    dossier.refresh_from_db()
    assert (letter.old_due_on, letter.new_due_on, dossier.due_on) == (dt.date(2026, 12, 10),) * 1 + (
        dt.date(2026, 12, 16),
        dt.date(2026, 12, 10),
    )
    assert "16/12/2026" in Notification.objects.filter(channel="sms").latest("pk").body
    assert documents.apology_pdf(letter).startswith(b"%PDF-")
    with pytest.raises(ValidationFailed):
        workflow.apologise(by=clerk, dossier_id=dossier.pk, new_due_on=dt.date(2026, 12, 9), reason="Sớm hơn hạn")
    clock(2026, 12, 16)
    dossier = _act(clerk, dossier, "approve")
    row = stats.stats_stored()[(dossier.unit_id, dossier.procedure_id, dt.date(2026, 12, 1))]
    assert (row["resolved"], row["resolved_on_time"]) == (1, 0)


def test_an_approved_result_has_a_pdf_and_a_public_verification_page(submit, clerk, client):
    dossier = _through(clerk, submit(), "receive", "start", "approve")
    assert dossier.result_number == f"{dossier.code}/KQ" and len(dossier.verify_token) >= 20
    assert documents.result_pdf(dossier).startswith(b"%PDF-")
    assert documents.verify_url(dossier).endswith(f"/dich-vu-cong/xac-minh/{dossier.verify_token}/")
    page = client.get(f"/dich-vu-cong/xac-minh/{dossier.verify_token}/")
    text = page.content.decode()
    assert page.status_code == 200 and dossier.result_number in text and "Phan Thị Thu" in text
    assert dossier.applicant.personal_id not in text and "0905111222" not in text  # not printed, not shown
    assert client.get("/dich-vu-cong/xac-minh/khong-co-ma-nay/").status_code == 404


def test_a_refused_dossier_has_no_result_to_verify(submit, clerk):
    dossier = _through(clerk, submit(), "receive", "start", "refuse")
    assert dossier.verify_token == "" and dossier.decision_note == "Lý do"
    with pytest.raises(NotFound):
        selectors.verified_result(token="")


def test_public_tracking_needs_the_code_and_the_last_four_digits(submit, client, applicant):
    dossier = submit()
    ok = client.get("/dich-vu-cong/tra-cuu/", {"code": dossier.code, "id_last4": applicant.personal_id[-4:]})
    assert ok.status_code == 200 and dossier.get_status_display() in ok.content.decode()
    wrong = client.get("/dich-vu-cong/tra-cuu/", {"code": dossier.code, "id_last4": "0000"})
    unknown = client.get("/dich-vu-cong/tra-cuu/", {"code": "000.00.20.H48-000000-0000", "id_last4": "1234"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "0905111222" not in ok.content.decode()


def test_public_tracking_is_rate_limited(submit):
    dossier = submit()
    for _attempt in range(selectors.TRACK_ATTEMPTS):
        with pytest.raises(NotFound):
            selectors.public_status(code=dossier.code, id_last4="0000", client_ip="203.0.113.9")
    with pytest.raises(RateLimited):
        selectors.public_status(code=dossier.code, id_last4=dossier.applicant.personal_id[-4:], client_ip="203.0.113.9")


def test_a_rating_comes_after_the_result_and_only_once(submit, clerk, applicant):
    dossier = submit()
    with pytest.raises(InvalidTransition):
        services.dossier_rate(resident=applicant, dossier=dossier, score=5)
    dossier = _through(clerk, dossier, "receive", "start", "approve", "return_result")
    services.dossier_rate(resident=applicant, dossier=dossier, score=4, comment="Nhanh")
    with pytest.raises(Conflict):
        services.dossier_rate(resident=applicant, dossier=dossier, score=5)
    with pytest.raises(ValidationFailed):
        services.dossier_rate(
            resident=applicant, dossier=_through(clerk, submit(), "receive", "start", "approve"), score=9
        )


def test_a_complaint_is_answered_by_an_officer_of_the_unit(submit, clerk, applicant, other_commune):
    dossier = submit()
    complaint = services.complaint_submit(resident=applicant, dossier=dossier, text="Chưa thấy tiếp nhận")
    with pytest.raises(NotFound):
        services.complaint_answer(
            by=OfficerFactory(unit=other_commune, roles=[roles.PROCESSING]),
            complaint_id=complaint.pk,
            answer="Đã xử lý xong hồ sơ",
        )
    answered = services.complaint_answer(by=clerk, complaint_id=complaint.pk, answer="Đã tiếp nhận sáng nay")
    assert answered.status == "answered"
    with pytest.raises(Conflict):
        services.complaint_answer(by=clerk, complaint_id=complaint.pk, answer="Trả lời lần thứ hai")


def test_aggregates_equal_a_recount_from_the_raw_rows(submit, clerk, applicant, clock):
    clock(2026, 11, 27)
    rejected = submit()
    _act(clerk, rejected, "reject_intake", reason="Sai thủ tục")
    approved = _through(clerk, submit(), "receive", "start")
    _act(clerk, _through(clerk, submit(), "receive"), "request_supplement", reason="Thiếu")
    clock(2026, 12, 3)  # decided the next month
    approved = _through(clerk, approved, "approve", "return_result")
    services.dossier_rate(resident=applicant, dossier=approved, score=5)
    refused = _through(clerk, submit(), "receive", "start", "refuse")
    services.dossier_rate(resident=applicant, dossier=refused, score=2)
    stored = stats.stats_stored()
    assert stored == stats.stats_recount()
    november = stored[(approved.unit_id, approved.procedure_id, dt.date(2026, 11, 1))]
    december = stored[(approved.unit_id, approved.procedure_id, dt.date(2026, 12, 1))]
    assert (november["received"], november["rejected_at_intake"], november["suspended"]) == (3, 1, 1)
    assert (december["received"], december["resolved"], december["rating_sum"], december["satisfied"]) == (1, 2, 7, 1)
    assert stats.stats_rebuild() == len(stored)
    assert stats.stats_stored() == stored


def test_the_timeline_records_who_acted_without_naming_officers_to_the_public(submit, clerk, client, applicant):
    dossier = _through(clerk, submit(), "receive")
    page = client.get("/dich-vu-cong/tra-cuu/", {"code": dossier.code, "id_last4": applicant.personal_id[-4:]})
    assert clerk.full_name not in page.content.decode()
    assert DossierEvent.objects.filter(dossier=dossier, officer=clerk).count() == 1


def test_dossiers_due_within_two_days_are_flagged_as_due_soon(submit, clerk, clock):
    clock(2026, 12, 7)
    dossier = _through(clerk, submit(), "receive")  # due Thursday the 10th
    assert not Dossier.objects.get(pk=dossier.pk).is_due_soon
    clock(2026, 12, 8)
    assert Dossier.objects.get(pk=dossier.pk).is_due_soon
    assert [d.pk for d in selectors.inbox(viewer=clerk, due="soon")] == [dossier.pk]
    _act(clerk, dossier, "request_supplement", reason="Thiếu")
    assert not selectors.inbox(viewer=clerk, due="soon").exists()  # a paused clock is not running out


@pytest.mark.parametrize("text", ["a", "   ", "........", "ok ok"])
def test_a_complaint_or_answer_without_content_is_a_field_error(submit, clerk, applicant, text):
    dossier = submit()
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_submit(resident=applicant, dossier=dossier, text=text)
    assert "ít nhất 10 chữ hoặc số" in refused.value.details["text"][0]
    complaint = services.complaint_submit(resident=applicant, dossier=dossier, text="Chưa thấy tiếp nhận hồ sơ")
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_answer(by=clerk, complaint_id=complaint.pk, answer=text)
    assert "answer" in refused.value.details


def test_the_result_reads_like_an_official_document_with_its_content_and_signer(submit, clerk):
    from io import BytesIO

    from pypdf import PdfReader

    dossier = _through(clerk, submit(), "receive", "start", "approve")
    text = PdfReader(BytesIO(documents.result_pdf(dossier))).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines()]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines  # the motto on one line, never "…VIỆT / NAM"
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert "Số 8 Lê Lợi" in text and "Phường Hải Vân" in text  # the address the dossier registers
    assert f"THỦ TRƯỞNG {dossier.unit.name.upper()}" in lines and clerk.full_name in lines  # title and signer
