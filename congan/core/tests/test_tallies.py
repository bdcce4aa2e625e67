"""Tallies: deltas summed per key, applied by one upsert that creates a row at first use and adds to
it after (negative deltas too), on SQLite and PostgreSQL; and `congan stats check|rebuild` over the
registered aggregates.

The kernel has no aggregate model of its own: the rate counters (a key and two integers) stand in
for one, given a TALLY_KEY for the test."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from congan.core import aggregates, tallies
from congan.core.models import RateCounter
from congan.core.tallies import Tally, tally_apply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counters_as_aggregates(monkeypatch):
    monkeypatch.setattr(RateCounter, "TALLY_KEY", ("bucket",), raising=False)


def stored() -> dict[str, tuple[int, int]]:
    return {row.bucket: (row.hits, row.expires_ms) for row in RateCounter.objects.all()}


def test_a_tally_creates_its_rows_then_adds_to_them():
    tally = Tally()
    tally.add(RateCounter, ("a",), hits=2, expires_ms=10)
    tally.add(RateCounter, ("b",), hits=1)
    assert tally_apply(tally) == 2
    assert stored() == {"a": (2, 10), "b": (1, 0)}
    again = Tally()
    again.add(RateCounter, ("a",), hits=-1)
    again.add(RateCounter, ("b",), hits=5, expires_ms=7)
    tally_apply(again)
    assert stored() == {"a": (1, 10), "b": (6, 7)}


def test_deltas_of_one_key_are_summed_and_rows_without_change_are_not_written():
    tally = Tally()
    tally.add(RateCounter, ("a",), hits=1)
    tally.add(RateCounter, ("a",), hits=2)
    tally.add(RateCounter, ("z",), hits=1)
    tally.add(RateCounter, ("z",), hits=-1)
    assert tally.nonzero() == {RateCounter: {("a",): {"hits": 3}}}
    assert tally_apply(tally) == 1
    assert stored() == {"a": (3, 0)}
    assert not Tally() and not tally.minus(tally)


def test_minus_is_what_turns_one_tally_into_the_other():
    before, after = Tally(), Tally()
    before.add(RateCounter, ("old",), hits=1)
    before.add(RateCounter, ("same",), hits=1)
    after.add(RateCounter, ("new",), hits=1)
    after.add(RateCounter, ("same",), hits=1)
    assert after.minus(before).nonzero() == {RateCounter: {("new",): {"hits": 1}, ("old",): {"hits": -1}}}


def test_more_rows_than_one_statement_holds_are_all_written(monkeypatch):
    monkeypatch.setattr(tallies, "CHUNK", 7)
    tally = Tally()
    for index in range(30):
        tally.add(RateCounter, (f"k{index:02d}",), hits=index + 1)
    assert tally_apply(tally) == 30
    assert sum(hits for hits, _expires in stored().values()) == sum(range(1, 31))


@pytest.fixture
def registry(monkeypatch):
    """One registered set of aggregates over the counters: ``recount`` says every bucket holds 1."""
    monkeypatch.setattr(aggregates, "_registry", {})

    def recount():
        return {bucket: 1 for bucket in ("a", "b")}

    def rebuild():
        RateCounter.objects.all().delete()
        RateCounter.objects.bulk_create(RateCounter(bucket=key, hits=1, expires_ms=0) for key in recount())
        return 2

    aggregates.register(
        aggregates.Aggregates(
            name="counters",
            recount=recount,
            stored=lambda: {row.bucket: row.hits for row in RateCounter.objects.all() if row.hits},
            rebuild=rebuild,
        )
    )


def test_stats_check_fails_on_a_difference_and_rebuild_repairs_it(registry):
    RateCounter.objects.create(bucket="a", hits=3, expires_ms=0)
    output = io.StringIO()
    with pytest.raises(CommandError, match="counters"):
        call_command("stats", "check", stdout=output)
    assert "2 aggregate rows differ from a recount" in output.getvalue()
    call_command("stats", "rebuild", "counters", stdout=output)
    assert "counters: rebuilt 2 aggregate rows" in output.getvalue()
    call_command("stats", "check", stdout=output)
    assert "counters: aggregates equal a recount" in output.getvalue()


def test_stats_refuses_an_unknown_name(registry):
    with pytest.raises(CommandError, match=r"unknown aggregates .*choose from counters"):
        call_command("stats", "check", "nothing", stdout=io.StringIO())
