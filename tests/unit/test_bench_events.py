"""The calendar benchmark's events (bench/events.py) are what the app reads as appointments:
the same for the same seed, series with time zones and exceptions among them, and a server
change (`mark_event`) is a real change of the event (its hash), not of its identity."""

from __future__ import annotations

from app import ical
from bench.events import generate_events, mark_event


def test_events_are_readable_repeatable_and_varied() -> None:
    events = generate_events(300)
    assert events == generate_events(300)
    assert events != generate_events(300, seed=1)
    summaries = [ical.summarize(text) for _uid, text in events]
    assert [s.uid for s in summaries] == [uid for uid, _ in events]
    assert len({uid for uid, _ in events}) == 300
    assert sum(s.recurring for s in summaries) == 30
    assert sum(s.exceptions for s in summaries) == 10
    assert {s.tzid for s in summaries if s.recurring} == {"Europe/Berlin"}
    assert sum(s.all_day for s in summaries) >= 30
    assert any("ü" in s.summary or "ü" in s.location for s in summaries)


def test_a_marked_event_changes_its_hash_not_its_uid() -> None:
    uid, text = generate_events(31)[30]  # a series with a moved occurrence
    once = mark_event(text, "server-0")
    twice = mark_event(once, "server-1")
    assert ical.summarize(twice).uid == uid
    assert ical.summarize(twice).exceptions == 1
    hashes = {ical.normalized_hash(t) for t in (text, once, twice)}
    assert len(hashes) == 3
    assert twice.count("X-BENCH-EDIT") == 1
