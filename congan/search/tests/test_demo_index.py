"""`congan demo` builds the index of the demo's documents after the modules' bulk builders (which
write past the write paths): the clerk finds the demo's registers by their words."""

from __future__ import annotations

import pytest

from congan.documents.demo import demo_build_documents
from congan.documents.models import IncomingDocument
from congan.org import roles
from congan.org.tests.factories import OfficerFactory, UnitFactory
from congan.search import selectors as search
from congan.search.demo import demo_build_index
from congan.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def test_the_demo_indexes_its_documents_and_not_its_classified_ones(province, commune, other_commune):
    UnitFactory(parent=province, kind="department", code="CA48-PV01", name="Phòng Tham mưu")
    OfficerFactory(unit=other_commune, roles=[roles.SPECIALIST])
    clerk = OfficerFactory(username="vanthu", unit=commune, roles=[roles.CLERK])
    demo_build_documents(province=province, documents=300)
    built = demo_build_index(province=province)
    searchable = IncomingDocument.objects.filter(classification=0, withdrawn_at__isnull=True)
    assert built["documents.incoming"] == searchable.count() > 0
    assert SearchEntry.objects.filter(kind="documents.incoming").count() == searchable.count()
    subject = searchable.filter(unit=commune).values_list("subject", flat=True).first()
    page = search.search(viewer=clerk, q=" ".join(subject.split()[:4]))
    assert page.count >= 1
    assert demo_build_index(province=province)["documents.incoming"] == searchable.count()  # again: the same
