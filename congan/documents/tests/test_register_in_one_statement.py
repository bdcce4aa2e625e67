"""Registering on PostgreSQL in one statement (decision 0032): one round trip, the same entry, steps,
audit event and errors as the ORM path, types read again after any change, and the chain intact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congan.core.audit.chain import verify
from congan.core.audit.in_statement import Appended
from congan.core.errors import ApplicationError, ValidationFailed
from congan.core.models import AuditChainHead, AuditEvent
from congan.documents import closing, registration, services, type_catalogue
from congan.documents.models import Classification, DocumentEvent, DocumentType, IncomingDocument, NumberSeries
from congan.documents.tests.factories import clerk, document_type, pdf_upload, register
from congan.org.models import Clearance
from congan.org.tests.factories import OfficerFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

# What differs between two registrations of the same entries whatever the path: ids, times and the
# stored file's (random) name.
VARYING = {"id", "created_at", "updated_at", "registered_at", "handed_at", "file"}


class _Forget(Exception):
    pass


def _on_both_paths(settings, run) -> tuple[Any, Any]:
    """``run()`` on the one-statement path, then on the ORM path, each from the same state: each run
    is rolled back (a savepoint) once ``run`` has described what it wrote."""
    results = []
    for one_statement in (True, False):
        settings.DOCUMENTS_REGISTER_ONE_STATEMENT = one_statement
        try:
            with transaction.atomic():
                results.append(run())
                raise _Forget
        except _Forget:
            pass
    return results[0], results[1]


def _described(outcomes: list[services.Outcome]) -> list[dict[str, Any]]:
    """Each registration as stored: the entry's columns, its steps, its audit event; ids of the
    entries written here replaced by their place in ``outcomes``."""
    place = {outcome.document.pk: index for index, outcome in enumerate(outcomes)}
    described = []
    for outcome in outcomes:
        document = outcome.document
        row = IncomingDocument.objects.filter(pk=document.pk).values().get()
        event = AuditEvent.objects.get(action="documents.incoming.register", target_id=str(document.pk))
        details = dict(event.details)
        details["duplicates_confirmed"] = [place[pk] for pk in details["duplicates_confirmed"]]
        described.append(
            {
                "entry": {name: value for name, value in row.items() if name not in VARYING},
                "steps": list(
                    DocumentEvent.objects.filter(document=document)
                    .order_by("pk")
                    .values_list("action", "note", "actor_label", "officer_id")
                ),
                "event": (event.actor_type, event.actor_id, event.actor_label, event.target_type, event.unit_id),
                "details": details,
                "warnings": outcome.warnings,
                "chain": verify()[1],
            }
        )
    return described


@pytest.fixture
def vanthu(commune):
    return clerk(commune, clearance=Clearance.TOP_SECRET)


def test_both_paths_store_the_same_entries_steps_and_audit_events(settings, vanthu):
    last_year = dt.date(timezone.localdate().year - 1, 12, 30)
    recipient = OfficerFactory(unit=vanthu.unit, full_name="Trần Văn Minh")

    def registrations() -> list[dict[str, Any]]:
        return _described(
            [
                register(vanthu),
                register(vanthu, number_symbol="05/CATP-PV01", document_type=document_type(""), urgency=2),
                register(vanthu, number_symbol="07/QĐ-CATP", classification=Classification.SECRET),
                register(vanthu, number_symbol="08/QĐ-CATP", recipient_officer=recipient, note="Chuyển gấp"),
                register(vanthu, number_symbol="09/QĐ-CATP", file=pdf_upload(), issuer_agency_id="999.010.01.H22"),
                register(vanthu, number_symbol="", document_type="cong-van"),
                register(vanthu, number_symbol="11/QĐ-CATP", received_on=last_year, issued_on=last_year),
                register(vanthu, confirm_not_duplicate=True),  # the first one again, confirmed
            ]
        )

    new, old = _on_both_paths(settings, registrations)

    assert [entry["entry"]["arrival_number"] for entry in new] == [1, 2, 1, 3, 4, 5, 1, 6]
    for one, other in zip(new, old, strict=True):
        assert one == other
    assert new[-1]["entry"]["duplicate_confirmed"] and new[-1]["details"]["duplicates_confirmed"] == [0]
    assert new[3]["steps"][-1][:2] == ("hand_over", f"{vanthu.unit} — {recipient}")
    assert {entry["chain"] for entry in new} == {None}


def test_the_outcome_is_the_entry_as_stored(settings, vanthu):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    document = register(vanthu, file=pdf_upload()).document
    stored = IncomingDocument.objects.get(pk=document.pk)
    assert not document._state.adding
    for field in IncomingDocument._meta.concrete_fields:
        if field.name != "pending_urgency":
            assert getattr(document, field.attname) == getattr(stored, field.attname), field.name
    assert document.file.read().startswith(b"%PDF")


def test_both_paths_refuse_alike(settings, vanthu):
    today = timezone.localdate()

    def refusals() -> list[tuple[Any, ...]]:
        seen: list[tuple[Any, ...]] = []
        register(vanthu)
        for attempt in (
            lambda: register(vanthu),  # the duplicate alarm
            lambda: register(vanthu, number_symbol="15/TB-CATP"),  # the symbol's type is not the one chosen
            lambda: register(vanthu, received_on=today + dt.timedelta(days=1), subject="x"),
            lambda: register(vanthu, classification=Classification.TOP_SECRET, file=pdf_upload()),
            lambda: register(OfficerFactory(unit=vanthu.unit)),  # not a clerk
        ):
            try:
                attempt()
            except services.PossibleDuplicate as error:
                seen.append((error.code, error.details["confirm_not_duplicate"], len(error.duplicates)))
            except ApplicationError as error:
                seen.append((error.code, error.details, str(error.message)))
        closing.register_close(by=vanthu, book="ordinary", start=today.replace(day=1), end=today)
        try:
            register(vanthu, number_symbol="99/QĐ-CATP")
        except ValidationFailed as error:
            seen.append((error.code, error.details))
        seen.append(("numbers taken", NumberSeries.objects.get(unit=vanthu.unit, secret=False).last))
        return seen

    new, old = _on_both_paths(settings, refusals)
    assert new == old
    assert [entry[0] for entry in new] == [
        "possible_duplicate",
        "validation_failed",
        "validation_failed",
        "validation_failed",
        "permission_denied",
        "validation_failed",
        "numbers taken",
    ]
    assert new[-1] == ("numbers taken", 1)  # refusals took no number


@pytest.mark.django_db(transaction=True)  # outside a transaction: the statement commits by itself
def test_a_registration_is_one_round_trip(settings, vanthu):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    by = vanthu
    register(by)  # the year's series row, the types, the clerk's permissions, the prepared statement
    data = services.IncomingInput(
        issuer_name="Công an thành phố Đà Nẵng",
        subject="Về việc tăng cường bảo đảm an ninh trật tự",
        document_type="QĐ",
        number_symbol="16/QĐ-CATP",
    )
    with CaptureQueriesContext(connection) as captured:
        document = services.incoming_register(by=by, data=data).document
    assert document.arrival_number == 2
    # One statement registers; what follows it, after its commit, is the search entry's own transaction.
    sqls = [query["sql"] for query in captured.captured_queries]
    registering = sqls[: sqls.index("BEGIN")] if "BEGIN" in sqls else sqls
    assert len(registering) == 1, registering


def test_a_type_retired_after_the_types_were_cached_is_refused(settings, vanthu):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    by = vanthu
    register(by, number_symbol="01/TB-CATP", document_type="TB")
    cached = type_catalogue.cached()
    DocumentType.objects.filter(abbreviation="TB").update(active=False)  # another process, say, in the admin
    with pytest.raises(ValidationFailed) as refused:
        register(by, number_symbol="02/TB-CATP", document_type="TB")
    assert "document_type" in refused.value.details
    assert type_catalogue.cached() is not cached


def test_a_type_added_after_the_types_were_cached_is_read(settings, vanthu):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    by = vanthu
    register(by)
    DocumentType.objects.create(code="phieu-thu", abbreviation="PTh", name="Phiếu thu", order=99)
    document = register(by, number_symbol="03/PTh-CATP", document_type="phieu-thu").document
    assert (document.document_type.code, document.notation) == ("phieu-thu", "PTh-CATP")


def test_the_chains_first_event_is_written_through_the_orm_path(settings, vanthu):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    document = register(vanthu).document
    assert AuditEvent.objects.get().target_id == str(document.pk)
    assert register(vanthu, number_symbol="16/QĐ-CATP").document.arrival_number == 2
    assert verify() == (2, None)


def test_a_register_with_no_series_row_for_the_year_starts_at_one(settings, vanthu):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    by = vanthu
    register(by)
    NumberSeries.objects.filter(unit=by.unit).delete()
    IncomingDocument.objects.filter(unit=by.unit).delete()
    assert register(by).document.arrival_number == 1
    assert NumberSeries.objects.get(unit=by.unit, secret=False).last == 1


def test_a_statement_whose_audit_event_is_not_appended_keeps_nothing(settings, vanthu, monkeypatch):
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    register(vanthu)
    appending = registration.append_ctes

    def eventless(*args: Any, **kwargs: Any) -> Appended:
        """As if the event's insert wrote nothing."""
        appended = appending(*args, **kwargs)
        nothing = "FROM audit_new n CROSS JOIN (SELECT WHERE false) AS nothing CROSS JOIN"
        return Appended(sql=appended.sql.replace("FROM audit_new n CROSS JOIN", nothing), value=appended.value)

    monkeypatch.setattr(registration, "append_ctes", eventless)
    with pytest.raises(DataError, match="audit event was not appended"):
        register(vanthu, number_symbol="16/QĐ-CATP")
    monkeypatch.undo()
    assert IncomingDocument.objects.filter(unit=vanthu.unit).count() == 1  # nothing of it was kept
    assert NumberSeries.objects.get(unit=vanthu.unit, secret=False).last == 1  # nor its number
    assert register(vanthu, number_symbol="17/QĐ-CATP").document.arrival_number == 2


def test_without_prepared_statements_the_statement_is_sent_as_it_is(settings, vanthu):
    """Behind PgBouncer in transaction mode (DATABASE_PREPARED_STATEMENTS off)."""
    settings.DOCUMENTS_REGISTER_ONE_STATEMENT = True
    settings.DATABASE_PREPARED_STATEMENTS = False
    register(vanthu)
    assert register(vanthu, number_symbol="16/QĐ-CATP").document.arrival_number == 2
    assert verify()[1] is None
