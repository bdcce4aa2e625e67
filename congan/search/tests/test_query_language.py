"""The search language and the index's folding, engine-free: what a query means, which queries are
refused and with which code, and how marks found in folded text land on the text as written."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congan.core.errors import ValidationFailed
from congan.core.text import fold
from congan.search import highlight
from congan.search.engines import GAP, START, STOP
from congan.search.query import MAX_QUERY, Term, parse
from congan.search.text import fold_aligned, words


def test_words_are_folded_the_platforms_way_without_diacritics_and_with_d_for_dj():
    query = parse("Điều tra ĐỘI Cảnh sát")
    assert query.words() == ["dieu", "tra", "doi", "canh", "sat"]
    assert [term.words for term in query.terms] == [("dieu",), ("tra",), ("doi",), ("canh",), ("sat",)]


def test_the_index_folds_one_character_for_one_as_core_fold_does():
    written = "Về việc đẩy mạnh cấp Căn cước, tài khoản định danh (VNeID) – 15/QĐ-CAT"
    folded = fold_aligned(written)
    assert len(folded) == len(written)
    assert (
        folded.split()
        == fold(written)
        .replace(",", " ")
        .replace("(", " ")
        .replace(")", " ")
        .replace("–", " ")
        .replace("/", " ")
        .replace("-", " ")
        .split()
    )
    assert words("Hòa / hoà, HOÀ") == ["hoa", "hoa", "hoa"]


def test_quotes_make_a_phrase_and_a_star_a_prefix():
    query = parse('"điều tra viên" cảnh*')
    assert query.terms == (Term(("dieu", "tra", "vien")), Term(("canh",), prefix=True))
    assert query.fts5() == '"dieu tra vien" AND "canh" *'
    assert query.tsquery() == "(dieu <-> tra <-> vien) & (canh:*)"


def test_a_symbol_typed_with_punctuation_is_a_phrase_of_its_words():
    query = parse("15/QĐ-CAT")
    assert query.terms == (Term(("15", "qd", "cat")),)
    assert parse('"dieu tr"*').terms == (Term(("dieu", "tr"), prefix=True),)


def test_typographic_quotes_count_as_quotes_and_repeated_terms_once():
    assert parse("“an ninh” an ninh an").terms == (Term(("an", "ninh")), Term(("an",)), Term(("ninh",)))


def test_operator_characters_of_either_engine_are_only_separators():
    query = parse("a:b (c) & d | !e NEAR/2 f^ 'g' -h")
    assert all(word.isalnum() for word in query.words())
    assert query.fts5().count('"') == 2 * len(query.terms)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "query_empty"),
        ("   ", "query_empty"),
        ("!!! ... ///", "query_empty"),
        ('""', "query_empty"),
        ("x" * (MAX_QUERY + 1), "query_too_long"),
        ('"an ninh', "query_unbalanced_quotes"),
        ('an "ninh" "trat', "query_unbalanced_quotes"),
        ("a*", "query_prefix_too_short"),
        (" ".join(f"tu{n}" for n in range(11)), "query_too_many_terms"),
        ('"' + " ".join(f"tu{n}" for n in range(25)) + '"', "query_too_many_terms"),
    ],
)
def test_a_query_that_cannot_be_run_is_refused_with_a_code_saying_why(text, code):
    with pytest.raises(ValidationFailed) as refused:
        parse(text)
    assert refused.value.code == code
    assert refused.value.details["q"]


def test_marks_in_the_folded_text_land_on_the_text_as_written():
    written = "Công an phường Hải Vân đề nghị điều tra vụ việc."
    folded = fold_aligned(written)
    marked = folded.replace("dieu tra", f"{START}dieu tra{STOP}")
    assert highlight.pieces(marked, folded, written, whole=True) == [
        ("Công an phường Hải Vân đề nghị ", False),
        ("điều tra", True),
        (" vụ việc.", False),
    ]


def test_a_fragment_inside_a_long_text_is_shown_with_ellipses_and_escaped_as_html():
    written = "Mở đầu <b>văn bản</b>. Đoạn giữa nói về cháy nổ. Đoạn cuối."
    folded = fold_aligned(written)
    start = folded.index("doan giua")
    fragment = folded[start : start + 26].replace("chay", f"{START}chay{STOP}")
    parts = highlight.pieces(fragment + GAP, folded, written)
    assert parts[0][0].startswith("…Đoạn giữa") and parts[-1][0].endswith("…")
    assert ("cháy", True) in parts
    assert (
        highlight.as_html([("<b>cháy</b>", True), (" & nổ", False)]) == "<mark>&lt;b&gt;cháy&lt;/b&gt;</mark> &amp; nổ"
    )


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=80))
def test_any_text_is_searched_or_refused_with_a_code_never_an_engine_error(officer, text):
    from congan.search import selectors

    try:
        selectors.search(viewer=officer, q=text)
    except ValidationFailed as refused:
        assert refused.code.startswith("query_")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        '"',
        'a" OR "b',
        "NEAR(a b)",
        "a:b",
        "col:word",
        "^start",
        "a AND",
        "OR",
        "NOT x",
        "*",
        "x*y*",
        "'",
        "(a",
        "a)",
        "a & | b",
        "!a",
        "a <-> b",
        "a:*",
        "\\",
        "-a",
        "+a",
        "{a b}",
        "a.b",
        "đ*",
        "Đ",
        "…",
        "ﬁ",
        "²",
    ],
)
def test_the_query_syntax_of_either_engine_typed_by_hand_is_searched_or_refused(officer, text):
    from congan.search import selectors

    try:
        selectors.search(viewer=officer, q=text)
    except ValidationFailed as refused:
        assert refused.code.startswith("query_")
