"""The document types of Decree 30/2020, Appendix III, are data: loaded by a migration from the file."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from congan.documents import labels
from congan.documents.models import DocumentType
from congan.documents.tests.factories import types_loaded
from congan.documents.types import load_types, type_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types():
    types_loaded()


def test_every_type_of_the_file_is_in_the_database_after_migrating():
    assert set(DocumentType.objects.values_list("code", flat=True)) == {row["code"] for row in type_rows()}
    assert DocumentType.objects.get(abbreviation="QĐ").name == "Quyết định"
    assert DocumentType.objects.get(abbreviation="QyĐ").name == "Quy định"
    assert DocumentType.objects.get(abbreviation="SY").kind == DocumentType.Kind.COPY


def test_a_cong_van_has_no_abbreviation_and_nothing_is_called_cv():
    letter = DocumentType.objects.get(code="cong-van")
    assert (letter.abbreviation, letter.kind) == ("", DocumentType.Kind.LETTER)
    assert not DocumentType.objects.filter(abbreviation__iexact="CV").exists()


def test_loading_again_changes_nothing_and_restores_an_edited_name():
    assert load_types(DocumentType) == (0, 0)
    DocumentType.objects.filter(code="thong-bao").update(name="Thong bao")
    assert load_types(DocumentType) == (0, 1)
    assert DocumentType.objects.get(code="thong-bao").name == "Thông báo"


def test_two_types_cannot_share_an_abbreviation_nor_a_cong_van_carry_one():
    with pytest.raises(IntegrityError):
        DocumentType.objects.create(code="quyet-dinh-2", abbreviation="QĐ", name="Quyết định khác")


def test_a_cong_van_with_an_abbreviation_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        DocumentType.objects.create(code="cong-van-2", abbreviation="CV", name="Công văn", kind="letter")


def test_the_names_marked_for_translation_follow_the_data_file():
    assert [row["name"] for row in type_rows()] == labels.NAMES
