"""Numbers and amounts read the way the active language writes them (core.templatetags.readable)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from congan.core.templatetags.readable import number, vnd


@pytest.mark.parametrize(
    ("value", "vietnamese", "english"),
    [
        (200152, "200.152", "200,152"),
        (1234567, "1.234.567", "1,234,567"),
        (Decimal("1500000.50"), "1.500.000,50", "1,500,000.50"),
        (12.0, "12", "12"),
        (None, "—", "—"),
        ("85%", "85%", "85%"),
        ("4200", "4.200", "4,200"),
        ("NaN", "NaN", "NaN"),
    ],
)
def test_numbers_are_grouped_as_the_language_groups_them(value, vietnamese, english):
    with translation.override("vi"):
        assert number(value) == vietnamese
    with translation.override("en"):
        assert number(value) == english


def test_fees_and_fine_brackets_read_in_dong():
    with translation.override("vi"):
        assert vnd(7000) == "7.000 đ"
        assert vnd(0) == "Miễn phí"
        rendered = Template("{% load readable %}{% vnd_range 400000 600000 %}|{% vnd_range 50000 50000 %}").render(
            Context()
        )
    assert rendered == "400.000–600.000 đồng|50.000 đồng"
