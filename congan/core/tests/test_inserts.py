"""insert_new writes the row save() would write: same columns, defaults, pre_save and conversions."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from congan.core.inserts import insert_new
from congan.core.models import Notification

pytestmark = pytest.mark.django_db


def _stored(pk: int) -> dict:
    row = model_to_dict(Notification.objects.get(pk=pk))
    row.pop("id")
    return row


def test_insert_new_stores_what_save_stores():
    values = {"channel": "sms", "recipient": "0905111222", "subject": "Chủ đề", "body": "Nội dung có dấu: đ, ư, ơ"}
    saved = Notification(key="saved", **values)
    saved.save()
    inserted = Notification(key="inserted", **values)
    insert_new(inserted)
    assert inserted.pk is not None and inserted.pk != saved.pk and not inserted._state.adding
    by_save, by_insert = _stored(saved.pk), _stored(inserted.pk)
    assert by_save.pop("key") == "saved" and by_insert.pop("key") == "inserted"
    assert by_insert == by_save | {"next_attempt_at": by_insert["next_attempt_at"]}
    fresh = Notification.objects.get(pk=inserted.pk)
    assert fresh.updated_at is not None and fresh.created_at == inserted.created_at  # auto_now ran


def test_insert_new_raises_integrity_errors_like_save():
    insert_new(Notification(key="once", channel="sms", recipient="1", body="x"))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(Notification(key="once", channel="sms", recipient="2", body="y"))
    assert Notification.objects.filter(key="once").count() == 1
