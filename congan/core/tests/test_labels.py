"""Names that come from data read in the reader's language (congan.core.labels)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from congan.core.labels import data_label


def test_a_marked_name_reads_in_english_and_stays_vietnamese_in_vietnamese():
    with translation.override("en"):
        assert data_label("Điều phối viên") == "Dispatcher"
    with translation.override("vi"):
        assert data_label("Điều phối viên") == "Điều phối viên"


def test_a_declared_purpose_translates_the_chosen_reason_and_keeps_the_officers_words():
    with translation.override("en"):
        assert data_label("Quản lý cư trú — Hồ sơ CT01 số 7") == "Residence management — Hồ sơ CT01 số 7"
        assert data_label("Lý do riêng — Hồ sơ CT01 số 7") == "Lý do riêng — Hồ sơ CT01 số 7"


def test_a_name_nobody_marked_and_nothing_stay_as_written():
    with translation.override("en"):
        assert data_label("Công an phường Hải Châu") == "Công an phường Hải Châu"
        assert (data_label(""), data_label(None), data_label("  ")) == ("", "", "  ")


def test_pages_use_the_same_filter():
    with translation.override("en"):
        rendered = Template("{% load readable %}{{ position|data_label }}").render(Context({"position": "Giám đốc"}))
    assert rendered == "Director"
