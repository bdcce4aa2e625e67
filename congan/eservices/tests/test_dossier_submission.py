"""Submitting a dossier: coded per Circular 01/2018, idempotent, prefilled and locked from the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congan.core.errors import Conflict, ValidationFailed
from congan.core.models import AuditEvent
from congan.eservices.formdefs import json_schema
from congan.eservices.models import Dossier, ProcedureForm
from congan.eservices.services import dossier_submit

pytestmark = pytest.mark.django_db


def _submit(applicant, code="CA.CT.02", key="k-1", **data):
    body = {"new_commune": "20194", "new_street": "Số 8 Lê Lợi", **data}
    return dossier_submit(applicant=applicant, procedure_code=code, data=body, client_token=key)


def test_codes_follow_circular_01_2018_with_a_daily_sequence_per_agency(applicant):
    first, second = _submit(applicant, key="a"), _submit(applicant, key="b")
    day = timezone.localdate().strftime("%y%m%d")
    assert (first.code, second.code) == (f"000.00.20.H48-{day}-0001", f"000.00.20.H48-{day}-0002")
    passport = dossier_submit(
        applicant=applicant, procedure_code="CA.XNC.01", data={"reason": "Du lịch"}, client_token="c"
    )
    assert passport.code == f"000.00.00.H48-{day}-0001"  # province procedures go to the province police
    assert passport.unit.kind == "province"


def test_a_resubmitted_form_creates_no_second_dossier(applicant):
    assert _submit(applicant, key="same").pk == _submit(applicant, key="same").pk
    assert Dossier.objects.count() == 1
    event = AuditEvent.objects.get(action="eservices.dossier.submit")
    assert (event.actor_type, event.actor_label) == ("citizen", f"******{applicant.personal_id[-6:]}")


def test_registry_fields_are_filled_and_locked(applicant):
    dossier = _submit(applicant, full_name="Tên Khác", phone="0912000000")
    assert dossier.data["full_name"] == "Phan Thị Thu"  # locked: the registry wins
    assert dossier.data["birth_date"] == "1991-05-07"
    assert dossier.data["phone"] == "0912000000"  # declared by the citizen (not locked)
    assert set(dossier.prefilled) == {"personal_id", "full_name", "birth_date", "sex", "current_address"}


def test_the_registry_address_names_the_commune_and_province(applicant):
    assert _submit(applicant).data["current_address"] == "Số 3 Trần Phú, Phường Hải Vân, thành phố Đà Nẵng"


def test_bad_input_is_refused_with_every_problem(applicant):
    with pytest.raises(ValidationFailed) as caught:
        dossier_submit(
            by=applicant,
            applicant=applicant,
            procedure_code="CA.CT.02",
            client_token="x",
            data={"new_commune": "2019412345", "unknown": "1"},
        )
    assert set(caught.value.details) == {"new_commune", "new_street", "unknown"}
    assert not Dossier.objects.exists()


def test_a_new_form_version_never_changes_a_submitted_dossier(applicant):
    dossier = _submit(applicant)
    current = dossier.procedure.current_form
    relabelled = [{**field, "label": field["label"] + " (mới)"} for field in current.fields]
    ProcedureForm.objects.create(procedure=dossier.procedure, version=current.version + 1, fields=relabelled)
    dossier.refresh_from_db()
    assert dossier.form_id == current.pk
    assert _submit(applicant, key="later").form.version == current.version + 1


def test_a_unit_without_an_agency_code_is_a_clear_configuration_error(applicant, commune):
    commune.agency_code = ""
    commune.save()
    with pytest.raises(Conflict, match="mã định danh điện tử"):
        _submit(applicant)


def test_the_daily_sequence_restarts_each_day(applicant):
    from congan.eservices.services import dossier_code

    day = dt.date(2026, 11, 20)
    assert dossier_code(agency_code="000.00.20.H48", day=day).endswith("-261120-0001")
    assert dossier_code(agency_code="000.00.20.H48", day=day + dt.timedelta(days=1)).endswith("-261121-0001")


def test_the_commune_of_an_application_is_one_of_the_provinces_communes(applicant):
    with pytest.raises(ValidationFailed) as caught:
        _submit(applicant, new_commune="99999")
    assert caught.value.details == {"new_commune": ["Chọn xã, phường trong danh sách."]}
    assert _submit(applicant, key="ok", new_commune="20194").data["new_commune"] == "20194"
    schema = json_schema(ProcedureForm.objects.filter(procedure__code="CA.CT.02").latest("version").fields)
    assert "20194" in schema["properties"]["new_commune"]["enum"]
