"""The lists an officer picks from: 54 ethnic groups, the recognised religions."""

from __future__ import annotations

from congan.population.vocabularies import ethnicities, religions


def test_the_lists_hold_the_54_ethnic_groups_and_no_religion_first():
    assert len(ethnicities()) == len(set(ethnicities())) == 54
    assert religions()[0] == "Không" and "Phật giáo Hòa Hảo" in religions()
