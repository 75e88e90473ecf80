"""app.ical: summary, normalized hash, lossless edits, new events - on real producers' samples."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from app import ical

ICS = Path(__file__).resolve().parents[1] / "servers" / "ics"
SAMPLES = sorted(p.name for p in ICS.glob("*.ics"))
NOW = datetime(2026, 1, 2, 3, 4, 5)


def sample(name: str) -> str:
    return (ICS / name).read_bytes().decode("utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    """Physical lines removed (-) or added (+) between two texts."""
    a, b = before.splitlines(), after.splitlines()
    return [
        line
        for line in difflib.unified_diff(a, b, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# ---------------------------------------------------------------------------
# summarize


@pytest.mark.parametrize(
    ("name", "start", "end", "tzid", "recurring", "exceptions"),
    [
        # Windows zone names (Outlook/Exchange) via the Windows -> IANA table
        ("outlook_recurring_exception.ics", datetime(2025, 1, 13, 8, 30),
         datetime(2025, 1, 13, 9, 0), "W. Europe Standard Time", True, 1),
        ("exchange2010_windows_tzid.ics", datetime(2024, 10, 28, 21, 0),
         datetime(2024, 10, 28, 22, 0), "Eastern Standard Time", False, 0),
        ("exchange2010_quoted_tzid.ics", datetime(2017, 2, 24, 20, 0),
         datetime(2017, 2, 24, 20, 30), "Pacific Standard Time", False, 0),
        # a TZID no table knows: resolved from the VTIMEZONE's own rules (summer: +2)
        ("exchange_cdo_recurring.ics", datetime(2015, 7, 3, 8, 0),
         datetime(2015, 7, 3, 8, 30), "GMT +0100 (Standard) / GMT +0200 (Daylight)", True, 0),
        ("thunderbird_alarms.ics", datetime(2024, 10, 23, 14, 0),
         datetime(2024, 10, 23, 15, 0), "Europe/London", False, 0),
        ("thunderbird_recurring_exception.ics", datetime(2025, 4, 7, 6, 30),
         datetime(2025, 4, 7, 7, 0), "Europe/Berlin", True, 1),
        ("nextcloud_recurring_moved.ics", datetime(2025, 3, 3, 13, 0),
         datetime(2025, 3, 3, 14, 0), "Europe/Berlin", True, 1),
        ("google_alarms.ics", datetime(2024, 10, 4, 18, 15),
         datetime(2024, 10, 4, 19, 0), "", False, 0),
        ("google_apple_location_weekly.ics", datetime(2016, 10, 28, 12, 0),
         datetime(2016, 10, 28, 12, 30), "Europe/Zurich", True, 0),
        ("apple_allday_alarm.ics", date(2025, 3, 17), date(2025, 3, 17), "", False, 0),
    ],
)  # fmt: skip
def test_summarize_real_samples(
    name: str,
    start: datetime | date,
    end: datetime | date,
    tzid: str,
    recurring: bool,
    exceptions: int,
) -> None:
    s = ical.summarize(sample(name))
    assert (s.start, s.end, s.tzid, s.recurring, s.exceptions) == (
        start, end, tzid, recurring, exceptions,
    )  # fmt: skip
    assert s.all_day == (not isinstance(start, datetime))


def test_summarize_text_fields_are_unescaped() -> None:
    s = ical.summarize(sample("outlook_recurring_exception.ics"))
    assert s.summary == "Jour fixe Vertrieb"  # the master, not the moved occurrence
    assert s.location == "Besprechungsraum 2, 3. OG"
    assert s.description == "Wöchentliche Abstimmung zum Projektstand.\n\nBitte Zahlen mitbringen."
    assert s.uid.startswith("040000008200E00074C5B7101A82E008") and s.uid.endswith("C59F61")


def test_summarize_duration_floating_and_missing_end() -> None:
    text = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20250101T100000Z\nDURATION:PT1H30M\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    assert ical.summarize(text).end == datetime(2025, 1, 1, 11, 30)
    one_day = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:y\nDTSTART;VALUE=DATE:20250101\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    s = ical.summarize(one_day)
    assert (s.start, s.end, s.all_day) == (date(2025, 1, 1), date(2025, 1, 1), True)


def test_summarize_event_with_dtend_but_no_dtstart() -> None:
    # Thunderbird writes such events (Nextcloud keeps them): shown at DTEND, not nowhere.
    timed = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:t\r\nSUMMARY:Ohne Beginn\r\n"
        "DTEND;TZID=Europe/Berlin:20240514T133000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    s = ical.summarize(timed)
    assert (s.start, s.end, s.all_day, s.tzid) == (
        datetime(2024, 5, 14, 11, 30), datetime(2024, 5, 14, 11, 30), False, "Europe/Berlin",
    )  # fmt: skip
    # the store's columns give the same text back: no local change, no upload
    assert ical.edit_event(timed, summary=s.summary, start=s.start, end=s.end) == timed
    moved = ical.edit_event(timed, start=datetime(2024, 5, 14, 10), end=datetime(2024, 5, 14, 12))
    assert "DTEND;TZID=Europe/Berlin:20240514T140000\r\n" in moved
    assert "DTSTART;TZID=Europe/Berlin:20240514T120000\r\n" in moved  # DTEND's zone
    all_day = timed.replace("DTEND;TZID=Europe/Berlin:20240514T133000", "DTEND;VALUE=DATE:20240515")
    s = ical.summarize(all_day)
    assert (s.start, s.end, s.all_day) == (date(2024, 5, 14), date(2024, 5, 14), True)
    nothing = timed.replace("DTEND;TZID=Europe/Berlin:20240514T133000\r\n", "")
    assert (ical.summarize(nothing).start, ical.summarize(nothing).end) == (None, None)


def test_summarize_overridden_instances_without_master() -> None:
    # Google/Exchange invitations to single occurrences: only RECURRENCE-ID components.
    def instance(day: int) -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:serie\r\nRECURRENCE-ID:202501{day:02}T090000Z\r\n"
            f"DTSTART:202501{day:02}T100000Z\r\nDTEND:202501{day:02}T110000Z\r\n"
            "SUMMARY:Einzeln eingeladen\r\nEND:VEVENT\r\n"
        )

    def calendar(*events: str) -> str:
        return "BEGIN:VCALENDAR\r\n" + "".join(events) + "END:VCALENDAR\r\n"

    s = ical.summarize(calendar(instance(6), instance(13)))
    assert (s.start, s.recurring, s.exceptions) == (datetime(2025, 1, 6, 10), True, 2)
    s = ical.summarize(calendar(instance(20)))  # one instance alone is still an exception
    assert (s.start, s.recurring, s.exceptions) == (datetime(2025, 1, 20, 10), True, 1)


def test_summarize_refuses_todos_and_garbage() -> None:
    with pytest.raises(ical.NotAnEvent):
        ical.summarize("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    with pytest.raises(ical.ICalError):
        ical.summarize("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n")


# ---------------------------------------------------------------------------
# normalized hash


def _refold(text: str, width: int) -> str:
    """Unfold and fold again at another width with LF: what a server re-serializing does."""
    logical = re.sub(r"\r?\n[ \t]", "", text).replace("\r\n", "\n").splitlines()
    out = []
    for line in logical:
        parts = [line[i : i + width] for i in range(0, len(line), width)] or [""]
        out.append("\n ".join(parts))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", SAMPLES)
def test_hash_ignores_reserialization(name: str) -> None:
    text = sample(name)
    h = ical.normalized_hash(text)
    assert ical.normalized_hash(_refold(text, 40)) == h
    assert ical.normalized_hash(text.replace("\r\n", "\n").replace("\n", "\r\n")) == h
    bumped = re.sub(r"^DTSTAMP:.*$", "DTSTAMP:20990101T000000Z", text, flags=re.M)
    bumped = re.sub(r"^LAST-MODIFIED:.*$", "LAST-MODIFIED:20990101T000000Z", bumped, flags=re.M)
    bumped = re.sub(r"^PRODID:.*$", "PRODID:-//Other//Server//EN", bumped, flags=re.M)
    bumped = re.sub(r"^SEQUENCE:(\d+)", "SEQUENCE:99", bumped, flags=re.M)
    assert ical.normalized_hash(bumped) == h


def test_hash_ignores_order_quoting_and_escaping_but_not_edits() -> None:
    a = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:A\\, B\r\n"
        'DTSTART;TZID="Europe/Berlin":20250101T100000\r\n'
        "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=Max:MAILTO:max@example.org\r\n"
        "BEGIN:VALARM\r\nTRIGGER:-P0DT0H15M0S\r\nACTION:DISPLAY\r\nEND:VALARM\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    b = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nRRULE:FREQ=WEEKLY;COUNT=3;BYDAY=MO\n"
        "attendee;cn=Max;role=req-participant;SCHEDULE-STATUS=1.2:mailto:max@example.org\n"
        "DTSTART;TZID=Europe/Berlin;VALUE=DATE-TIME:20250101T100000\nSUMMARY:A, B\nUID:1\n"
        "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER;VALUE=DURATION:-PT15M\nEND:VALARM\n"
        "END:VEVENT\nVERSION:2.0\nCALSCALE:GREGORIAN\nEND:VCALENDAR\n"
    )
    assert ical.normalized_hash(a) == ical.normalized_hash(b)
    assert ical.normalized_hash(a.replace("SUMMARY:A", "SUMMARY:C")) != ical.normalized_hash(a)
    assert ical.normalized_hash(a.replace("-P0DT0H15M0S", "-PT5M")) != ical.normalized_hash(a)
    assert ical.normalized_hash(a.replace("COUNT=3", "COUNT=4")) != ical.normalized_hash(a)


def test_hash_sees_a_change_of_the_moved_occurrence() -> None:
    text = sample("nextcloud_recurring_moved.ics")
    moved = text.replace(
        "DTSTART;TZID=Europe/Berlin:20250318T160000", "DTSTART;TZID=Europe/Berlin:20250318T170000"
    )
    assert moved != text
    assert ical.normalized_hash(moved) != ical.normalized_hash(text)


# ---------------------------------------------------------------------------
# edit_event


@pytest.mark.parametrize("name", [n for n in SAMPLES if n != "exchange_cdo_recurring.ics"])
def test_edit_without_changes_returns_the_text_itself(name: str) -> None:
    text = sample(name)
    s = ical.summarize(text)
    same = ical.edit_event(
        text, summary=s.summary, start=s.start, end=s.end, all_day=s.all_day,
        location=s.location, description=s.description, now=NOW,
    )  # fmt: skip
    assert same is text


def test_edit_summary_rewrites_only_that_line_and_the_stamps() -> None:
    text = sample("outlook_recurring_exception.ics")
    edited = ical.edit_event(text, summary="Jour fixe Vertrieb & Technik", now=NOW)
    diff = changed_lines(text, edited)
    assert sorted(diff) == sorted(
        [
            "-SUMMARY;LANGUAGE=de-de:Jour fixe Vertrieb",
            "+SUMMARY;LANGUAGE=de-de:Jour fixe Vertrieb & Technik",
            "-DTSTAMP:20250110T081502Z",
            "+DTSTAMP:20260102T030405Z",
            "-LAST-MODIFIED:20250110T081502Z",
            "+LAST-MODIFIED:20260102T030405Z",
        ]
    )
    assert edited.count("\r\n") == text.count("\r\n")
    after = ical.summarize(edited)
    assert after.summary == "Jour fixe Vertrieb & Technik" and after.exceptions == 1
    # the moved occurrence is untouched, byte for byte
    old_ex = [c.text for c in ical.components(text) if c.recurrence_id]
    new_ex = [c.text for c in ical.components(edited) if c.recurrence_id]
    assert old_ex == new_ex


def test_edit_time_keeps_the_tzid_and_bumps_sequence() -> None:
    text = sample("outlook_recurring_exception.ics")
    edited = ical.edit_event(
        text, start=datetime(2025, 1, 13, 9, 0), end=datetime(2025, 1, 13, 10, 0), now=NOW
    )
    diff = changed_lines(text, edited)
    assert '+DTSTART;TZID="W. Europe Standard Time":20250113T100000' in diff
    assert '+DTEND;TZID="W. Europe Standard Time":20250113T110000' in diff
    assert "+SEQUENCE:1" in diff
    # The moved occurrence of 20.1. still names its occurrence of the moved series.
    assert '+RECURRENCE-ID;TZID="W. Europe Standard Time":20250120T100000' in diff
    assert len(diff) == 12  # DTSTART, DTEND, SEQUENCE, DTSTAMP, LAST-MODIFIED, RECURRENCE-ID
    s = ical.summarize(edited)
    assert (s.start, s.end) == (datetime(2025, 1, 13, 9, 0), datetime(2025, 1, 13, 10, 0))


def test_edit_all_day_and_back() -> None:
    text = sample("apple_allday_alarm.ics")
    edited = ical.edit_event(text, start=date(2025, 3, 18), end=date(2025, 3, 20), now=NOW)
    assert "+DTSTART;VALUE=DATE:20250318" in changed_lines(text, edited)
    assert "+DTEND;VALUE=DATE:20250321" in changed_lines(text, edited)  # exclusive
    s = ical.summarize(edited)
    assert (s.start, s.end, s.all_day) == (date(2025, 3, 18), date(2025, 3, 20), True)
    timed = ical.edit_event(
        edited, all_day=False, start=datetime(2025, 3, 18, 8), end=datetime(2025, 3, 18, 9)
    )
    assert "DTSTART:20250318T080000Z" in timed and "DTEND:20250318T090000Z" in timed
    assert "X-WR-ALARMUID:0F5A4D3C" in timed


def test_edit_adds_and_removes_properties_in_the_master_only() -> None:
    text = sample("nextcloud_recurring_moved.ics")
    edited = ical.edit_event(text, location="Raum 4.12", description="Agenda; Punkte, 1-3")
    master = next(c for c in ical.components(edited) if c.name == "VEVENT" and not c.recurrence_id)
    lines = master.text.splitlines()
    assert lines.index("LOCATION:Raum 4.12") < lines.index("BEGIN:VALARM")
    assert "DESCRIPTION:Agenda\\; Punkte\\, 1-3" in lines
    assert ical.summarize(edited).description == "Agenda; Punkte, 1-3"
    removed = ical.edit_event(edited, location="", description="")
    assert ical.normalized_hash(removed) == ical.normalized_hash(text)


def test_edit_keeps_floating_times_floating(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        text = (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART:20250106T090000\r\n"
            "DTEND:20250106T100000\r\nRRULE:FREQ=WEEKLY\r\nEXDATE:20250113T090000\r\n"
            "SUMMARY:Sprechstunde\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        s = ical.summarize(text)  # floating: the computer's local time (CET)
        assert (s.start, s.end) == (datetime(2025, 1, 6, 8), datetime(2025, 1, 6, 9))
        moved = ical.edit_event(text, start=datetime(2025, 1, 6, 9), end=datetime(2025, 1, 6, 10))
        # written as wall-clock time again, not "20250106T090000Z": a floating weekly series
        # in UTC would move to 11:00 in summer; its floating EXDATE moves along, floating
        assert changed_lines(text, moved) == [
            "-DTSTART:20250106T090000", "-DTEND:20250106T100000",
            "+DTSTART:20250106T100000", "+DTEND:20250106T110000",
            "-EXDATE:20250113T090000", "+EXDATE:20250113T100000",
        ]  # fmt: skip
        assert ical.summarize(moved).start == datetime(2025, 1, 6, 9)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_edit_keeps_duration_form() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:20250101T100000Z\r\n"
        "DURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    edited = ical.edit_event(text, end=datetime(2025, 1, 1, 12, 30))
    assert "DURATION:PT2H30M\r\n" in edited and "DTEND" not in edited


def test_edit_rejects_end_before_start() -> None:
    with pytest.raises(ical.ICalError):
        ical.edit_event(sample("google_alarms.ics"), end=datetime(2000, 1, 1))


# ---------------------------------------------------------------------------
# new_event, components, split_objects


def test_new_event_timed_and_all_day() -> None:
    long_summary = "Besprechung " + "ä" * 80 + ", mit; Zeichen"
    text = ical.new_event(
        "uid-1", long_summary, datetime(2025, 5, 5, 7), datetime(2025, 5, 5, 8),
        location="Büro", description="Zeile 1\nZeile 2", now=NOW,
    )  # fmt: skip
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20250505T070000Z\r\n" in text and "VTIMEZONE" not in text
    s = ical.summarize(text)
    assert (s.uid, s.summary, s.location, s.description) == (
        "uid-1", long_summary, "Büro", "Zeile 1\nZeile 2",
    )  # fmt: skip
    day = ical.new_event("uid-2", "Urlaub", date(2025, 8, 1), date(2025, 8, 14), all_day=True)
    assert "DTEND;VALUE=DATE:20250815\r\n" in day
    s = ical.summarize(day)
    assert (s.start, s.end, s.all_day) == (date(2025, 8, 1), date(2025, 8, 14), True)
    assert ical.summarize(ical.new_event(None, "x", date(2025, 1, 1), date(2025, 1, 1), True)).uid


def test_components_and_split_objects() -> None:
    outlook = sample("outlook_recurring_exception.ics")
    names = [(c.name, c.recurrence_id is not None) for c in ical.components(outlook)]
    assert names == [("VTIMEZONE", False), ("VEVENT", False), ("VEVENT", True)]
    # an .ics with two series: one resource per UID, each with the VTIMEZONE it uses
    google = sample("google_apple_location_weekly.ics").replace("\n", "\r\n")
    body_a = outlook.split("END:VCALENDAR")[0]
    g_parts = ical.components(google)
    combined = body_a + "".join(c.text for c in g_parts) + "END:VCALENDAR\r\n"
    parts = ical.split_objects(combined)
    assert len(parts) == 2
    assert ical.normalized_hash(parts[0]) == ical.normalized_hash(outlook)
    assert ical.summarize(parts[1]).uid == "BFE33ADD-5553-48B5-B5A5-F9DA5CA4C393"
    assert "TZID:Europe/Zurich" in parts[1] and "W. Europe" not in parts[1]
    assert ical.split_objects(outlook) == [outlook]
