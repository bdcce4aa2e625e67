"""Officer lists sort the Vietnamese way: by given name, in the Vietnamese alphabet, then tones."""

from __future__ import annotations

import random

from congan.core.text import vietnamese_name_sort_key, vietnamese_name_sort_string
from congan.org import selectors
from congan.org.demo import vietnamese_name
from congan.org.tests.factories import OfficerFactory

NAMES = ["Trần Văn Đạt", "Lê Thị Giang", "Nguyễn Văn An", "Phạm Thị Ánh", "Hoàng Văn Dũng", "Võ Thị Ăn"]


def test_officer_list_orders_by_given_name_in_vietnamese_alphabet(commune, leader):
    for name in NAMES:
        OfficerFactory(unit=commune, full_name=name)
    listed = [o.full_name for o in selectors.officer_list(viewer=leader) if o.full_name in NAMES]
    assert listed == ["Nguyễn Văn An", "Phạm Thị Ánh", "Võ Thị Ăn", "Hoàng Văn Dũng", "Trần Văn Đạt", "Lê Thị Giang"]


def test_stored_sort_string_orders_exactly_like_the_sort_key():
    rng = random.Random(7)
    names = [vietnamese_name(rng, female=i % 2 == 0) for i in range(400)] + NAMES
    by_key = sorted(names, key=vietnamese_name_sort_key)
    by_string = sorted(names, key=vietnamese_name_sort_string)
    assert [vietnamese_name_sort_key(n) for n in by_string] == [vietnamese_name_sort_key(n) for n in by_key]
