"""Communes are read by name: the ``places`` template filters turn a commune code into its name."""

from __future__ import annotations

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def _render(text: str, **values) -> str:
    return Template("{% load places %}" + text).render(Context(values))


def test_a_commune_code_reads_as_the_communes_name(commune, other_commune):
    assert _render("{{ code|commune_name }}", code="20194") == "Phường Hải Vân"
    assert _render("{{ codes|commune_names }}", codes=["20194", "20197"]) == "Phường Hải Vân, Phường Liên Chiểu"


def test_a_code_no_commune_holds_is_shown_as_it_is_and_nothing_as_nothing(commune):
    assert _render("{{ code|commune_name }}", code="99999") == "99999"
    assert _render("[{{ code|commune_name }}]", code="") == "[]"


def test_an_address_joins_the_street_and_the_communes_name(commune):
    assert _render("{{ s|address:c }}", s="Số 3 Trần Phú", c="20194") == "Số 3 Trần Phú, Phường Hải Vân"
    assert _render("{{ s|address:c }}", s="", c="20194") == "Phường Hải Vân"
    assert _render("{{ s|address:c }}", s="", c="") == "—"
