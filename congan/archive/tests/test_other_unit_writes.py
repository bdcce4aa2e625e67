"""Writes reach only the viewer's own units: another commune's officer changes nothing of an item
or a dossier, and what an officer hands in lands in their own unit."""

from __future__ import annotations

import io

from django.urls import reverse

from congan.archive.models import ArchiveItem, Dossier
from congan.archive.tests.factories import dossier, read_item, retention, scan_png


def test_another_communes_officer_changes_no_archive_item(client, commune, other_commune_officer, officer):
    item = read_item(commune, title="Biên bản của phường Hải Vân", text="Nội dung gốc")
    own = dossier(commune)
    suggestion = item.suggestions.create(page_number=1, kind="date", value="2024-03-05", display="05/03/2024")
    client.force_login(other_commune_officer)

    answers = [
        client.post(
            reverse("archive:suggestion_decide", args=[item.pk, suggestion.pk]), {"decision": "confirm"}
        ).status_code,
        client.post(reverse("archive:item_file", args=[item.pk]), {"dossier": own.pk}).status_code,
        client.post(reverse("archive:item_move", args=[item.pk]), {"step": "down"}).status_code,
        client.post(reverse("archive:page_edit", args=[item.pk, 1]), {"text": "Sửa trộm"}).status_code,
        client.put(
            f"/api/v1/archive/items/{item.pk}/pages/1", {"text": "Sửa trộm"}, content_type="application/json"
        ).status_code,
    ]

    assert answers == [404, 404, 404, 404, 404]
    item.refresh_from_db()
    suggestion.refresh_from_db()
    assert (item.dossier_id, item.document_date, suggestion.status) == (None, None, "suggested")
    assert item.pages.get().text == "Nội dung gốc"


def test_uploads_and_dossiers_land_in_the_officers_own_unit(client, officer, commune, other_commune):
    client.force_login(officer)
    schedule = retention(10)

    client.post(reverse("archive:upload"), {"scans": [io.BytesIO(scan_png())]}, format="multipart")
    upload = io.BytesIO(scan_png())
    upload.name = "api.png"
    client.post("/api/v1/archive/items", {"file": upload, "unit": other_commune.pk})
    client.post(
        reverse("archive:dossier_new"),
        {
            "year": 2024,
            "notation": "05.TH",
            "title": "Hồ sơ tuần tra",
            "retention": schedule.pk,
            "unit": other_commune.pk,
        },
    )

    assert set(ArchiveItem.objects.values_list("unit", flat=True)) == {commune.pk}
    assert ArchiveItem.objects.count() == 2
    assert list(Dossier.objects.values_list("unit", flat=True)) == [commune.pk]
