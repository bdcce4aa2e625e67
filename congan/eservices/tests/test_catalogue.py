"""The procedure catalogue: loaded from data idempotently, versioned forms, public pages and API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from congan.core.errors import ValidationFailed
from congan.eservices.catalogue import CATALOGUE, catalogue_load
from congan.eservices.formdefs import check_definition, json_schema
from congan.eservices.models import Procedure, ProcedureForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    catalogue_load(by="system")


def test_the_seed_catalogue_has_at_least_15_real_procedures_in_every_field(catalogue):
    assert Procedure.objects.count() >= 15
    assert set(Procedure.objects.values_list("field", flat=True)) == set(Procedure.Field.values)
    permanent = Procedure.objects.get(code="CA.CT.01")
    assert (permanent.fee_in_person, permanent.fee_online) == (20000, 10000)
    assert "processing_days" in permanent.unverified  # marked in the data, not in code


def test_loading_twice_changes_nothing_and_a_changed_form_adds_a_version(catalogue, tmp_path):
    assert catalogue_load(by="system") == {"created": 0, "updated": 0, "forms": 0}
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    data["procedures"][0]["form"] = ["identity"]
    changed = tmp_path / "catalogue.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert catalogue_load(by="system", path=changed)["forms"] == 1
    procedure = Procedure.objects.get(code=data["procedures"][0]["code"])
    assert list(procedure.forms.values_list("version", flat=True)) == [2, 1]
    assert len(ProcedureForm.objects.get(procedure=procedure, version=1).fields) > len(procedure.current_form.fields)


def test_form_definitions_are_checked():
    with pytest.raises(ValidationFailed) as caught:
        check_definition([{"name": "Bad Name", "type": "blob", "label": "x", "prefill": "salary"}])
    assert len(caught.value.details["Bad Name"]) == 3
    fields = check_definition([{"name": "full_name", "label": "Họ tên", "type": "text", "prefill": "full_name"}])
    assert fields[0]["locked"] is True
    schema = json_schema(fields)
    assert schema["properties"]["full_name"] == {
        "type": "string",
        "title": "Họ tên",
        "x-prefill": "full_name",
        "readOnly": True,
    }


def test_public_catalogue_search_ignores_diacritics_and_filters(client, catalogue):
    page = client.get(reverse("eservices:catalogue"), {"q": "dang ky tam tru"})
    assert page.status_code == 200
    assert "Đăng ký tạm trú" in page.content.decode()
    assert "Cấp hộ chiếu" not in page.content.decode()
    filtered = client.get(reverse("eservices:catalogue"), {"field": "xuat_nhap_canh", "level": "toan_trinh"})
    names = [p.name for p in filtered.context["page"]]
    assert names and all("hộ chiếu" in name for name in names)


def test_procedure_page_shows_fees_times_and_unverified_marks(client, catalogue):
    page = client.get(reverse("eservices:procedure_detail", args=["CA.CT.02"]))
    text = page.content.decode()
    assert "7,000 đ" in text or "7.000 đ" in text
    assert 'data-testid="unverified"' in text
    assert client.get(reverse("eservices:procedure_detail", args=["KHONG-CO"])).status_code == 404


def test_catalogue_api_lists_procedures_and_serves_the_form_as_json_schema(client, catalogue):
    listing = client.get("/api/v1/procedures", {"q": "ho chieu"})
    assert listing.status_code == 200
    assert {item["code"] for item in listing.json()} == {"CA.XNC.01", "CA.XNC.02"}
    schema = client.get("/api/v1/procedures/CA.CT.01/form").json()
    assert schema["properties"]["full_name"]["x-prefill"] == "full_name"
    assert "new_street" in schema["required"]
    assert schema["x-form-version"] == 1
    missing = client.get("/api/v1/procedures/KHONG-CO")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
