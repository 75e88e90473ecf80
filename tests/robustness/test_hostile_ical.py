"""Hostile iCalendar: Hypothesis-fuzzed calendar objects through app.ical and the store import.

Like the vCard fuzzing in test_hostile_input.py: a hostile grammar (any component and
property names, broken/duplicated/quoted parameters, TZIDs of every kind including path
tricks and unknown Windows names, VTIMEZONEs with broken rules, dates at the ends of the
calendar (year 1, 9999), absurd durations (P99999999W, thousands of digits), control and
bidi characters, escapes, random folding, mixed CR/LF/CRLF, missing/nested/unterminated
BEGIN/END) plus raw bytes in any encoding through the DAV layer's `decode_body`.

Every function the calendar sync runs on a server object (`components`, `split_objects`,
`summarize`, `normalized_hash`, `edit_event`) raises `ICalError` (with a German message
for the report) and nothing else, within the deadline. The store import does what the
sync does (`CalendarSync._take`, then `calsync.import_event`): a text either becomes an
appointment holding it byte-identical, or is refused with the report's clear message.
Deep nesting (10,000 levels) and a 20 MB object are handled in time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import ical
from app.dav.session import decode_body
from app.store import calsync
from app.store.models import Account, Appointment, CalendarBinding, EventState, User
from app.sync.calendar import CalendarSide

FUZZ_EXAMPLES = 400

_COMPONENTS = ["VEVENT", "VTODO", "VJOURNAL", "VTIMEZONE", "VALARM", "STANDARD", "DAYLIGHT",
               "X-THING", "VCALENDAR", "vevent", "", "VEVENT ", "A" * 100]  # fmt: skip
_PROPS = [
    "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "DTSTART", "DTEND", "DURATION", "DTSTAMP",
    "SEQUENCE", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "ATTENDEE", "ORGANIZER",
    "TRIGGER", "TZID", "TZOFFSETFROM", "TZOFFSETTO", "X-LIC-LOCATION", "LAST-MODIFIED",
    "CATEGORIES", "X-FOO", "BEGIN", "END", "", ";", ":", "dtstart", "ÄÖÜ", "A" * 200,
]  # fmt: skip
_PARAMS = [
    "TZID=Europe/Berlin", "TZID=\"W. Europe Standard Time\"", "TZID=W. Europe Standard Time",
    "TZID=/mozilla.org/20050126_1/Europe/Berlin", "TZID=Unbekannt/Zone", "TZID=../../etc/passwd",
    "TZID=/etc/localtime", "TZID=", "TZID=UTC", "TZID=\"unterminated", "TZID=" + "x/" * 50,
    "VALUE=DATE", "VALUE=DATE-TIME", "VALUE=PERIOD", "VALUE=", "RELATED=END", "RANGE=THISANDFUTURE",
    "CN=\"a;b:c\"", "PARTSTAT=accepted", "X-P=1", "=", "TZID", "LANGUAGE=de",
]  # fmt: skip
_VALUE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")
_TIME_VALUES = [
    "20260315T101500Z", "20260315T101500", "20260315", "00010101", "00010101T000000",
    "99991231", "99991231T235959", "99991231T235959Z", "20260231", "2026-03-15T10:15:00Z",
    "20261301T000000", "20260315T256161", "20260315T1015", "", "T", "20260315T101500ZZ",
    "20260315,20260316", "20260315T101500/PT1H",
]  # fmt: skip
_DURATIONS = [
    "PT1H", "-PT15M", "P1D", "P99999999W", "P" + "9" * 5000 + "D", "PT" + "9" * 20 + "S",
    "P", "PT", "-P", "P1W2D", "P0D", "PT-1H", "1H", "+P1D",
]  # fmt: skip
_VALUES = st.one_of(
    st.text(_VALUE_CHARS, max_size=60),
    st.sampled_from(_TIME_VALUES),
    st.sampled_from(_DURATIONS),
    st.sampled_from(
        [
            "FREQ=WEEKLY;BYDAY=MO", "FREQ=NONSENSE;;;", "FREQ=DAILY;COUNT=" + "9" * 30,
            "mailto:a@b.de", "MAILTO:", "\\", "\\n\\,\\;\\:\\N", ";;;;", ",,,,",
            "\x00\x01\x1b[31m", "\u202e\u200b\ufeff", "A" * 3000, "+0100", "-2400", "+99",
            "Europe/Berlin", "GREGORIAN",
        ]
    ),
)  # fmt: skip


@st.composite
def hostile_calendars(draw: st.DrawFn) -> str:
    lines: list[str] = []
    open_comps: list[str] = []
    if draw(st.integers(0, 5)):
        lines.append(draw(st.sampled_from(["BEGIN:VCALENDAR", "begin:vcalendar", "BEGIN:VCAL"])))
        open_comps.append("VCALENDAR")
    if draw(st.booleans()):
        lines.append("VERSION:" + draw(st.sampled_from(["2.0", "1.0", "", "x"])))
    for _ in range(draw(st.integers(0, 24))):
        step = draw(st.integers(0, 9))
        if step <= 1:
            comp = draw(st.sampled_from(_COMPONENTS))
            lines.append(f"BEGIN:{comp}")
            open_comps.append(comp)
        elif step == 2 and open_comps:
            wrong = draw(st.integers(0, 4)) == 0  # an END that does not match
            comp = draw(st.sampled_from(_COMPONENTS)) if wrong else open_comps.pop()
            lines.append(f"END:{comp}")
        else:
            name = draw(st.sampled_from(_PROPS))
            params = draw(st.lists(st.sampled_from(_PARAMS), max_size=3))
            lines.append(";".join([name, *params]) + ":" + draw(_VALUES))
    while open_comps and draw(st.integers(0, 5)):
        lines.append(f"END:{open_comps.pop()}")
    out: list[str] = []
    for line in lines:
        while len(line) > 10 and draw(st.integers(0, 3)) == 0:  # random folding
            cut = draw(st.integers(1, len(line) - 1))
            out.append(line[:cut])
            line = draw(st.sampled_from([" ", "\t", ""])) + line[cut:]
        out.append(line)
    return "".join(line + draw(st.sampled_from(["\r\n", "\n", "\r", "\r\n"])) for line in out)


@st.composite
def plausible_events(draw: st.DrawFn) -> str:
    """A real-looking event with hostile values in the places the summary reads."""
    start = draw(st.sampled_from(_TIME_VALUES))
    sp = draw(st.sampled_from(["", ";TZID=Europe/Berlin", ";VALUE=DATE", ";TZID=Fantasie",
                               ";TZID=W. Europe Standard Time", ";TZID=Custom"]))  # fmt: skip
    end_line = draw(
        st.sampled_from(
            [f"DTEND{sp}:{v}" for v in _TIME_VALUES[:8]] + [f"DURATION:{d}" for d in _DURATIONS]
        )
    )
    zone = draw(
        st.sampled_from(
            [
                "",
                "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
                "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
                "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nTZOFFSETTO:kaputt\r\n"
                "END:STANDARD\r\nEND:VTIMEZONE\r\n",
                "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nX-LIC-LOCATION:../../etc\r\nEND:VTIMEZONE\r\n",
            ]
        )
    )
    extra = draw(st.lists(st.sampled_from([
        "RRULE:FREQ=WEEKLY", "SEQUENCE:7", "SEQUENCE:x", "LOCATION:Raum\\, 1",
        "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nEND:VALARM", "ATTENDEE;CN=\"A:B\":MAILTO:a@b.de",
    ]), max_size=3))  # fmt: skip
    summary = draw(st.text(_VALUE_CHARS, max_size=40))
    body = "\r\n".join(
        ["BEGIN:VEVENT", "UID:fuzz-1", f"DTSTART{sp}:{start}", end_line,
         f"SUMMARY:{summary}", *extra, "END:VEVENT"]
    )  # fmt: skip
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{zone}{body}\r\nEND:VCALENDAR\r\n"


def _only_ical_error(fn: object, *args: object, **kwargs: object) -> object:
    try:
        return fn(*args, **kwargs)  # type: ignore[operator]
    except ical.ICalError as exc:
        assert str(exc), "an ICalError needs a message for the report"
        return None


EDITS: list[dict[str, object]] = [
    {"summary": "Neu"},
    {"location": ""},
    {"description": "Zeile 1\nZeile 2; mit, Zeichen"},
    {"start": datetime(2026, 3, 15, 9), "end": datetime(2026, 3, 15, 10)},
    {"start": date(2026, 3, 15), "end": date(2026, 3, 16), "all_day": True},
    {"all_day": False},
]


def _must_be_ical_error_only(text: str) -> None:
    _only_ical_error(ical.components, text)
    _only_ical_error(ical.split_objects, text)
    _only_ical_error(ical.normalized_hash, text)
    summary = _only_ical_error(ical.summarize, text)
    if summary is None:
        return
    for edit in EDITS:
        edited = _only_ical_error(ical.edit_event, text, now=datetime(2026, 1, 1), **edit)
        if edited is None:
            continue
        assert isinstance(edited, str)
        after = _only_ical_error(ical.summarize, edited)
        assert after is not None, "an edit must leave a readable event"
        if "summary" in edit:
            assert after.summary == edit["summary"]  # type: ignore[attr-defined]


_FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=2000,  # ms per example: a hang or a blow-up fails the test
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=True,  # the same examples on every run (documented figures)
)


@_FUZZ
@given(hostile_calendars())
def test_fuzzed_calendars_raise_only_ical_error(text: str) -> None:
    _must_be_ical_error_only(text)


@_FUZZ
@given(plausible_events())
def test_fuzzed_events_raise_only_ical_error(text: str) -> None:
    _must_be_ical_error_only(text)


@_FUZZ
@given(
    st.binary(max_size=400),
    st.sampled_from([b"", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260101\r\n"]),
    st.sampled_from([None, "text/calendar", "text/calendar; charset=utf-8",
                     "text/calendar; charset=windows-1252", "text/calendar; charset=bogus"]),
)  # fmt: skip
def test_fuzzed_bytes_decode_and_raise_only_ical_error(
    data: bytes, prefix: bytes, content_type: str | None
) -> None:
    raw = prefix + data + (b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n" if prefix else b"")
    text = decode_body(raw, content_type)
    assert isinstance(text, str)
    _must_be_ical_error_only(text)


# ---------------------------------------------------------------------------- the import


@pytest.fixture
def binding(store: Path) -> Iterator[CalendarBinding]:
    user = User.create(name="Fuzz")
    account = Account.create(
        label="Fuzz", server="x", username="u", base_url="https://x/", kind="caldav"
    )
    yield CalendarBinding.create(account=account, user=user, remote_href="/cal/")


def _import(binding: CalendarBinding, href: str, text: str) -> str | None:
    """What CalendarSync does with a fetched object: None if imported, else the message."""
    try:
        summary = ical.summarize(text)
        content_hash = ical.normalized_hash(text)
    except ical.ICalError as exc:
        return CalendarSide(binding, None).message(exc)  # type: ignore[arg-type]
    uid = summary.uid or calsync.uid_from_href(href)
    with contextlib.suppress(Exception):
        EventState.delete().where(EventState.uid == uid).execute()
        Appointment.delete().where(Appointment.uid == uid).execute()
    appointment_id = calsync.import_event(binding, href, '"1"', text, uid, (summary, content_hash))
    stored = Appointment.get_by_id(appointment_id)
    assert stored.ical == text  # byte-identical: we never damage another client's data
    if summary.start is not None and not summary.all_day:
        assert stored.end >= stored.start
    return None


@settings(
    max_examples=150,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(st.one_of(plausible_events(), hostile_calendars()))
def test_store_import_imports_or_refuses_clearly(binding: CalendarBinding, text: str) -> None:
    message = _import(binding, "/cal/fuzz.ics", text)
    if message is not None:
        assert message.startswith("Der Termin ist kein gültiges iCalendar-Objekt (")
        assert "Traceback" not in message and "Error" not in message


# ---------------------------------------------------------------------------- sizes


def test_deeply_nested_components_are_refused_in_time() -> None:
    depth = 10_000
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260101T100000Z\r\n"
        + "BEGIN:VALARM\r\n" * depth
        + "END:VALARM\r\n" * depth
        + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    start = time.monotonic()
    with pytest.raises(ical.ICalError) as info:
        ical.normalized_hash(text)
    assert "verschachtelt" in str(info.value)
    for fn in (ical.summarize, ical.components, ical.split_objects):
        with contextlib.suppress(ical.ICalError):
            fn(text)  # type: ignore[operator]
    assert time.monotonic() - start < 5.0


def test_moderate_nesting_still_works() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260101T100000Z\r\n"
        "SUMMARY:Tief\r\n"
        + "BEGIN:X-A\r\n" * 20
        + "END:X-A\r\n" * 20
        + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert ical.summarize(text).summary == "Tief"
    assert len(ical.normalized_hash(text)) == 64


def test_huge_event_is_handled_in_time() -> None:
    description = "x" * (20 * 1024 * 1024)
    attendees = "".join(f"ATTENDEE:mailto:p{i}@example.de\r\n" for i in range(20_000))
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:big\r\n"
        "DTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\nSUMMARY:Groß\r\n"
        f"DESCRIPTION:{description}\r\n{attendees}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    start = time.monotonic()
    assert ical.summarize(text).summary == "Groß"
    ical.normalized_hash(text)
    edited = ical.edit_event(text, summary="Klein", now=datetime(2026, 1, 1))
    assert ical.summarize(edited).summary == "Klein"
    assert time.monotonic() - start < 10.0


def test_calendar_edges_do_not_overflow() -> None:
    for start, end in (
        ("DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:00010101"),
        ("DTSTART:99991231T235959Z", "DURATION:P1D"),
        ("DTSTART:00010101T000000", "DURATION:-P1D"),
        ("DTSTART;TZID=Europe/Berlin:99991231T235959", "DTEND;TZID=Europe/Berlin:99991231"),
        ("DTSTART;TZID=Pacific/Kiritimati:00010101T000000", "DURATION:PT1H"),
        ("DTSTART:20260101T000000Z", "DURATION:P99999999W"),
    ):
        text = (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:e\r\n"
            f"{start}\r\n{end}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        _must_be_ical_error_only(text)
    late = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:e\r\n"
        "DTSTART;TZID=Pacific/Kiritimati:99991231T100000\r\n"
        "DTEND;TZID=Pacific/Kiritimati:99991231T110000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for edit in (
        {"start": datetime(9999, 12, 31, 20), "end": datetime(9999, 12, 31, 23)},
        {"start": date(9999, 12, 31), "end": date(9999, 12, 31), "all_day": True},
    ):
        with pytest.raises(ical.ICalError) as info:
            ical.edit_event(late, **edit)  # type: ignore[arg-type]
        assert "Jahr 1 bis 9999" in str(info.value)
