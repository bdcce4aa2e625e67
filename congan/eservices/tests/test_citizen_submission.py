"""A signed-in citizen submits a prefilled dossier with attachments (or for a child), follows it,
downloads its PDFs; officers work it from their inbox pages."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from congan.core.errors import PermissionDenied, ValidationFailed
from congan.eservices import services
from congan.eservices.models import Dossier, DossierAttachment
from congan.population.models import CitizenAccount, Household
from congan.population.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def account(applicant):
    return CitizenAccount.objects.create(resident=applicant, phone="0905111222", password="!", level=2)


@pytest.fixture
def citizen_client(client, account):
    session = client.session
    session["citizen_account"] = account.pk
    session["citizen_credentials"] = account.credentials_version
    session.save()
    return client


def _upload(name="giay-to.pdf", content=PDF, kind="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=kind)


def test_the_submission_page_shows_prefilled_locked_fields(citizen_client, applicant):
    page = citizen_client.get("/dich-vu-cong/thu-tuc/CA.CT.02/nop/")
    assert page.status_code == 200
    assert page.context["prefilled"] == 6  # ID, name, birth date, sex, phone, current address
    assert page.context["form"].fields["full_name"].disabled
    assert not page.context["form"].fields["phone"].disabled  # the citizen may declare another phone
    assert "Phan Thị Thu" in page.content.decode()
    assert 'value="07/05/1991"' in str(page.context["form"]["birth_date"])  # the day first, not ISO
    # The lock is drawn by the page itself: an emoji needs a font an intranet browser may lack.
    locked = page.content.decode().split('class="help locked">')[1].split("</div>")[0]
    assert "<svg" in locked and "🔒" not in page.content.decode()


def test_a_procedures_date_is_written_day_first_and_kept_as_an_iso_date():
    from congan.eservices.forms import WrittenDateField

    field = WrittenDateField(label="Ngày sinh", required=True)
    assert field.clean("02/09/1988") == "1988-09-02"
    assert (field.clean("9/1988"), field.clean("1988")) == ("1988-09", "1988")
    assert field.prepare_value("1988-09-02") == "02/09/1988"
    for wrong in ("31/02/2020", "hôm qua"):
        with pytest.raises(Exception, match="dd/mm/yyyy"):
            field.clean(wrong)


def test_submitting_on_the_page_creates_one_dossier_with_its_files(citizen_client, applicant):
    data = {
        "client_token": "tok-1",
        "full_name": "Ai Khác",
        "new_commune": "20194",
        "new_street": "Số 8 Lê Lợi",
        "phone": "0905111222",
        "file_0": _upload(),
    }
    response = citizen_client.post("/dich-vu-cong/thu-tuc/CA.CT.02/nop/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/dich-vu-cong/ho-so/{dossier.code}/"
    assert dossier.data["full_name"] == "Phan Thị Thu"  # locked: the registry's value
    attachment = dossier.attachments.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    assert default_storage.exists(attachment.file.name) and "giay-to" not in attachment.file.name
    again = citizen_client.post("/dich-vu-cong/thu-tuc/CA.CT.02/nop/", {**data, "file_0": _upload()})
    assert again.status_code == 302 and Dossier.objects.count() == 1
    detail = citizen_client.get(response["Location"])
    assert detail.status_code == 200 and dossier.code in detail.content.decode()
    receipt = citizen_client.get(f"/dich-vu-cong/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content if receipt.streaming else [receipt.content]).startswith(b"%PDF-")


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_kept(citizen_client, applicant):
    data = {
        "client_token": "tok-2",
        "new_commune": "20194",
        "new_street": "Số 8",
        "phone": "0905111222",
        "file_0": _upload("hop-dong.pdf", b"MZ\x90\x00 not a pdf"),
    }
    response = citizen_client.post("/dich-vu-cong/thu-tuc/CA.CT.02/nop/", data)
    assert response.status_code == 400
    assert "hop-dong.pdf" in " ".join(response.context["form"].non_field_errors())
    assert not Dossier.objects.exists() and not DossierAttachment.objects.exists()


def test_files_over_the_size_limit_are_refused(settings, applicant):
    settings.ESERVICES_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as refused:
        large = _upload("anh.png", PNG + b"\x00" * 200, "image/png")
        services.dossier_submit(
            applicant=applicant,
            procedure_code="CA.CT.02",
            client_token="big",
            data={"new_commune": "20194", "new_street": "Số 8"},
            attachments=[("Ảnh", large)],
        )
    assert "attachments" in refused.value.details


def test_a_level_1_account_cannot_submit_a_level_2_procedure(account, applicant):
    account.level = 1
    with pytest.raises(PermissionDenied) as refused:
        services.dossier_submit(
            applicant=applicant,
            procedure_code="CA.XNC.01",
            data={"reason": "Du lịch"},
            client_token="lv",
            account=account,
        )
    assert refused.value.code == "account_level_too_low"
    assert services.dossier_submit(
        applicant=applicant,
        procedure_code="CA.CT.02",
        client_token="lv1",
        data={"new_commune": "20194", "new_street": "Số 8"},
        account=account,
    ).pk


@pytest.fixture
def family(applicant, commune):
    household = Household.objects.create(code="HK000000777", unit=commune, address_commune="20194", head=applicant)
    applicant.household = household
    applicant.save()
    child = ResidentFactory(
        unit=commune,
        household=household,
        full_name="Phan Minh Khôi",
        sex="male",
        birth_year=2016,
        birth_month=2,
        birth_day=3,
    )
    neighbour = ResidentFactory(unit=commune, full_name="Võ Văn Bình", birth_year=2015)
    return child, neighbour


def test_a_parent_submits_for_a_child_of_the_household(account, applicant, family):
    child, neighbour = family
    data = {"new_commune": "20194", "new_street": "Số 8", "phone": "0905111222"}
    dossier = services.dossier_submit(
        applicant=child, procedure_code="CA.CT.02", client_token="g1", account=account, data=data
    )
    assert (dossier.applicant, dossier.submitted_by) == (child, applicant)
    assert dossier.data["full_name"] == "Phan Minh Khôi"  # the child's registry values
    with pytest.raises(PermissionDenied):
        services.dossier_submit(
            applicant=neighbour,
            procedure_code="CA.CT.02",
            client_token="g2",
            account=account,
            data={"new_commune": "20194", "new_street": "Số 8"},
        )
    with pytest.raises(PermissionDenied) as not_allowed:
        services.dossier_submit(
            applicant=child,
            procedure_code="CA.LLTP.01",
            client_token="g3",
            account=account,
            data={"reason": "Xin việc"},
        )
    assert not_allowed.value.code == "guardian_not_allowed"


def test_the_guardian_chooses_the_child_on_the_page(citizen_client, family):
    child, _neighbour = family
    page = citizen_client.get(f"/dich-vu-cong/thu-tuc/CA.CT.02/nop/?for={child.pk}")
    assert page.context["applicant"] == child
    assert [person.pk for person in page.context["dependants"]] == [child.pk]


def test_the_citizen_pages_show_only_their_own_dossiers(citizen_client, applicant, commune, submit):
    mine = submit()
    stranger = ResidentFactory(unit=commune, full_name="Người Lạ", birth_year=1980)
    theirs = submit(who=stranger, phone="0905000999")
    assert citizen_client.get(f"/dich-vu-cong/ho-so/{mine.code}/").status_code == 200
    assert citizen_client.get(f"/dich-vu-cong/ho-so/{theirs.code}/").status_code == 404
    assert citizen_client.get(f"/dich-vu-cong/ho-so/{theirs.code}/giay-tiep-nhan.pdf").status_code == 404


def test_officers_work_a_dossier_from_the_inbox_pages(client, clerk, submit):
    dossier = submit()
    client.force_login(clerk)
    inbox = client.get("/dich-vu-cong/xu-ly/")
    assert inbox.status_code == 200 and dossier.code in inbox.content.decode()
    detail = client.get(f"/dich-vu-cong/xu-ly/{dossier.pk}/")
    assert detail.status_code == 200
    data = detail.content.decode().split('data-testid="dossier-data"')[1].split("</dl>")[0]
    assert "Phường Hải Vân" in data and "<dd>20194" not in data  # the commune picked, by its name
    assert [action for action, _label, _reason in detail.context["actions"]] == ["receive", "reject_intake"]
    client.post(f"/dich-vu-cong/xu-ly/{dossier.pk}/thao-tac/receive/")
    refused = client.post(f"/dich-vu-cong/xu-ly/{dossier.pk}/thao-tac/approve/", follow=True)
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    assert any("không thể" in str(message) for message in refused.context["messages"])


def test_officers_of_another_unit_get_404_for_the_dossier_and_its_files(client, other_commune, submit):
    from congan.org import roles
    from congan.org.tests.factories import OfficerFactory

    dossier = submit()
    client.force_login(OfficerFactory(unit=other_commune, roles=[roles.RECEPTION]))
    assert client.get(f"/dich-vu-cong/xu-ly/{dossier.pk}/").status_code == 404
    assert client.get(f"/dich-vu-cong/xu-ly/{dossier.pk}/tep/1/").status_code == 404
