"""app.store.occurrences: single events and recurring series expanded in local time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.store.agenda import add_appointment, delete_appointment, local_to_utc, update_appointment
from app.store.models import Appointment
from app.store.occurrences import Occurrence, expand_ical, occurrences

BERLIN_TZ = """BEGIN:VTIMEZONE\r
TZID:Europe/Berlin\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700329T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
END:VTIMEZONE\r
"""


def calendar(*events: str, tz: bool = True) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
        + (BERLIN_TZ if tz else "")
        + "".join(events)
        + "END:VCALENDAR\r\n"
    )


def vevent(*lines: str, uid: str = "series-1") -> str:
    body = "".join(line + "\r\n" for line in lines)
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{body}END:VEVENT\r\n"


WEEKLY = calendar(
    vevent(
        "DTSTART;TZID=Europe/Berlin:20261005T090000",
        "DTEND;TZID=Europe/Berlin:20261005T100000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "EXDATE;TZID=Europe/Berlin:20261019T090000",  # cancelled
        "SUMMARY:Jour fixe",
        "LOCATION:Raum 2",
    ),
    vevent(  # the occurrence of 12.10. moved to Tuesday afternoon
        "RECURRENCE-ID;TZID=Europe/Berlin:20261012T090000",
        "DTSTART;TZID=Europe/Berlin:20261013T140000",
        "DTEND;TZID=Europe/Berlin:20261013T153000",
        "SUMMARY:Jour fixe (verschoben)",
    ),
)


# Local time is Europe/Berlin for every test (occurrences come in local time).
pytestmark = pytest.mark.usefixtures("berlin_time")


def series(text: str, summary: str = "Serie", all_day: bool = False) -> int:
    """An appointment as the calendar sync stores it: columns from the master, the text."""
    from app import ical

    s = ical.summarize(text)
    assert s.start is not None
    start = (
        s.start if isinstance(s.start, datetime) else datetime.combine(s.start, datetime.min.time())
    )
    end = s.end if isinstance(s.end, datetime) else datetime.combine(s.end, datetime.min.time())  # type: ignore[arg-type]
    aid = add_appointment(
        None,
        s.summary or summary,
        start,
        end,
        all_day=s.all_day,
        location=s.location,
        notes=s.description,
    )
    Appointment.update(ical=text, uid=s.uid).where(Appointment.id == aid).execute()
    return aid


def local(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi)


def test_weekly_series_with_moved_and_cancelled_occurrence(store: Path) -> None:
    aid = series(WEEKLY)
    occs = occurrences(date(2026, 10, 1), date(2026, 11, 1))
    assert [(o.start, o.end, o.summary, o.is_exception) for o in occs] == [
        (local(2026, 10, 5, 9), local(2026, 10, 5, 10), "Jour fixe", False),
        (local(2026, 10, 13, 14), local(2026, 10, 13, 15, 30), "Jour fixe (verschoben)", True),
        # 19.10. cancelled by EXDATE; 26.10. is after the DST change and still at 09:00
        (local(2026, 10, 26, 9), local(2026, 10, 26, 10), "Jour fixe", False),
    ]
    assert all(o.appointment_id == aid and o.recurring and not o.all_day for o in occs)
    assert occs[0].location == "Raum 2"


def test_moved_occurrence_appears_in_its_new_week_only(store: Path) -> None:
    series(WEEKLY)
    # the week of the original date (12.10.) shows the moved one on Tuesday 13.10.
    week = occurrences(date(2026, 10, 12), date(2026, 10, 18))
    assert [o.start for o in week] == [local(2026, 10, 13, 14)]
    assert occurrences(date(2026, 10, 19), date(2026, 10, 25)) == []  # cancelled


def test_daily_series_with_count(store: Path) -> None:
    text = calendar(
        vevent(
            "DTSTART:20260302T070000Z",
            "DURATION:PT30M",
            "RRULE:FREQ=DAILY;COUNT=5",
            "SUMMARY:Standup",
        ),
        tz=False,
    )
    series(text)
    occs = occurrences(date(2026, 3, 1), date(2026, 3, 31))
    assert [o.start for o in occs] == [local(2026, 3, d, 8) for d in range(2, 7)]  # UTC+1
    assert all(o.end - o.start == (local(2026, 3, 2, 8, 30) - local(2026, 3, 2, 8)) for o in occs)
    # a range in the middle of the series
    assert [o.start.day for o in occurrences(date(2026, 3, 4), date(2026, 3, 5))] == [4, 5]


def test_all_day_yearly_birthday(store: Path) -> None:
    text = calendar(
        vevent(
            "DTSTART;VALUE=DATE:19650714",
            "DTEND;VALUE=DATE:19650715",
            "RRULE:FREQ=YEARLY",
            "SUMMARY:Geburtstag Oma",
            uid="birthday",
        ),
        tz=False,
    )
    series(text)
    occs = occurrences(date(2026, 1, 1), date(2028, 12, 31))
    assert [(o.start, o.end, o.all_day) for o in occs] == [
        (local(y, 7, 14), local(y, 7, 14), True) for y in (2026, 2027, 2028)
    ]
    assert occs[0].days() == [date(2026, 7, 14)]
    # the day range boundaries are inclusive and all-day dates are not shifted
    assert len(occurrences(date(2026, 7, 14), date(2026, 7, 14))) == 1
    assert occurrences(date(2026, 7, 15), date(2026, 7, 20)) == []


def test_dst_transition_keeps_the_wall_clock_time(store: Path) -> None:
    text = calendar(
        vevent(
            "DTSTART;TZID=Europe/Berlin:20260323T083000",
            "DTEND;TZID=Europe/Berlin:20260323T090000",
            "RRULE:FREQ=DAILY;UNTIL=20260402T000000Z",
            "SUMMARY:Morgenrunde",
        )
    )
    series(text)
    occs = occurrences(date(2026, 3, 27), date(2026, 3, 31))
    # 29.03.2026: clocks go forward; the meeting stays at 08:30 local (06:30 UTC after)
    assert [o.start for o in occs] == [local(2026, 3, d, 8, 30) for d in range(27, 32)]
    utc = [local_to_utc(o.start) for o in occs]
    assert utc[0].hour == 7 and utc[-1].hour == 6


def test_local_only_appointment_is_a_single_occurrence(store: Path) -> None:
    start = local_to_utc(local(2026, 11, 30, 10))
    aid = add_appointment(None, "Beratung", start, local_to_utc(local(2026, 11, 30, 11)))
    occs = occurrences(date(2026, 11, 30), date(2026, 12, 6))
    assert occs == [
        Occurrence(
            appointment_id=aid,
            start=local(2026, 11, 30, 10),
            end=local(2026, 11, 30, 11),
            all_day=False,
            summary="Beratung",
            location="",
            contact_name="",
            recurring=False,
            is_exception=False,
        )
    ]
    assert occurrences(date(2026, 12, 1), date(2026, 12, 6)) == []
    # a local all-day appointment spanning the range start
    add_appointment(None, "Messe", local(2026, 11, 29), local(2026, 12, 1), all_day=True)
    messe = [o for o in occurrences(date(2026, 11, 30), date(2026, 12, 6)) if o.all_day]
    assert [(o.start, o.end) for o in messe] == [(local(2026, 11, 29), local(2026, 12, 1))]
    assert messe[0].days() == [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)]


def test_synced_single_event_uses_the_columns_and_deleted_ones_are_hidden(store: Path) -> None:
    text = calendar(
        vevent(
            "DTSTART;TZID=Europe/Berlin:20261201T150000",
            "DTEND;TZID=Europe/Berlin:20261201T160000",
            "SUMMARY:Einzeln",
            uid="single",
        )
    )
    aid = series(text)
    assert [o.start for o in occurrences(date(2026, 12, 1), date(2026, 12, 1))] == [
        local(2026, 12, 1, 15)
    ]
    delete_appointment(aid)
    assert occurrences(date(2026, 12, 1), date(2026, 12, 1)) == []


def test_series_edited_locally_shows_the_edit(store: Path) -> None:
    aid = series(WEEKLY)
    update_appointment(aid, summary="Jour fixe neu")
    occs = occurrences(date(2026, 11, 2), date(2026, 11, 8))
    assert [o.summary for o in occs] == ["Jour fixe neu"]


def test_range_capping(store: Path) -> None:
    text = calendar(
        vevent(
            "DTSTART:20260101T000000Z",
            "DURATION:PT1M",
            "RRULE:FREQ=MINUTELY",
            "SUMMARY:Zu oft",
        ),
        tz=False,
    )
    series(text)
    occs = occurrences(date(2026, 1, 1), date(2026, 12, 31), limit=250)
    assert len(occs) == 250
    assert occs[0].start == local(2026, 1, 1, 1)  # 00:00 UTC, in order from the start
    assert len(expand_ical(text, date(2026, 1, 1), date(2026, 1, 2))) == 1000  # the default cap


def test_unreadable_series_falls_back_to_its_columns(store: Path) -> None:
    text = calendar(
        vevent(
            "DTSTART:20260105T090000Z",
            "DTEND:20260105T100000Z",
            "RRULE:FREQ=SOMETIMES;BYDAY=XX",
            "SUMMARY:Kaputt",
        ),
        tz=False,
    )
    series(text)
    occs = occurrences(date(2026, 1, 5), date(2026, 1, 11))
    assert [(o.summary, o.start, o.recurring) for o in occs] == [
        ("Kaputt", local(2026, 1, 5, 10), False)
    ]


def test_other_users_appointments_are_not_shown(store: Path) -> None:
    from app.store.models import User

    other = User.create(name="Zweiter")
    add_appointment(None, "Fremd", local_to_utc(local(2026, 5, 4, 9)), None, user=other)
    assert occurrences(date(2026, 5, 4), date(2026, 5, 4)) == []
    assert [o.summary for o in occurrences(date(2026, 5, 4), date(2026, 5, 4), user=other)] == [
        "Fremd"
    ]


def test_unreadable_rdate_and_exdate_values_do_not_stop_the_series(store: Path) -> None:
    # Google's birthday calendar writes dates with a stray "Z" ("RDATE:20131210Z"); icalendar
    # refuses them, which used to stop the whole series (shown as one event only).
    text = calendar(
        vevent(
            "DTSTART;VALUE=DATE:20141210",
            "DTEND;VALUE=DATE:20141211",
            "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=1",
            "RDATE:20131210Z",
            "RDATE:20121210Z",
            "EXDATE:kaputt",
            "SUMMARY:Geburtstag",
            uid="birthday",
        ),
        tz=False,
    )
    occs = expand_ical(text, date(2012, 1, 1), date(2015, 12, 31))
    assert [(o.start, o.all_day, o.summary) for o in occs] == [
        (local(y, 12, 10), True, "Geburtstag") for y in (2012, 2013, 2014)
    ]
    series(text, all_day=True)
    assert [o.start.year for o in occurrences(date(2012, 1, 1), date(2015, 12, 31))] == [
        2012, 2013, 2014,
    ]  # fmt: skip


# ---------------------------------------------------------------- moving a series


def _starts(text: str, first: date, last: date) -> list[tuple[datetime, str]]:
    return [(o.start, o.summary) for o in expand_ical(text, first, last)]


def test_moving_a_series_keeps_its_cancelled_and_changed_occurrences() -> None:
    """Weekly on Tuesdays 10:00 across the DST change, moved to 11:00 in the editor: the
    cancelled dates stay cancelled (EXDATE with TZID and in UTC), a moved occurrence stays
    where it was put and is not doubled, one only renamed moves along, and the last
    occurrence (UNTIL in UTC) is not cut off."""
    from app import ical

    text = calendar(
        vevent(
            "DTSTART;TZID=Europe/Berlin:20260303T100000",
            "DTEND;TZID=Europe/Berlin:20260303T110000",
            "RRULE:FREQ=WEEKLY;UNTIL=20260407T080000Z",
            "EXDATE:20260310T090000Z",  # 10.3. cancelled, written in UTC
            "EXDATE;TZID=Europe/Berlin:20260317T100000",  # 17.3. cancelled
            "SUMMARY:Teamrunde",
        ),
        vevent(  # 24.3. moved to 14:00
            "RECURRENCE-ID;TZID=Europe/Berlin:20260324T100000",
            "DTSTART;TZID=Europe/Berlin:20260324T140000",
            "DTEND;TZID=Europe/Berlin:20260324T150000",
            "SUMMARY:Teamrunde (verschoben)",
        ),
        vevent(  # 7.4. only renamed
            "RECURRENCE-ID;TZID=Europe/Berlin:20260407T100000",
            "DTSTART;TZID=Europe/Berlin:20260407T100000",
            "DTEND;TZID=Europe/Berlin:20260407T110000",
            "SUMMARY:Teamrunde mit Chefin",
        ),
    )
    first, last = date(2026, 3, 1), date(2026, 4, 30)
    before = [
        (local(2026, 3, 3, 10), "Teamrunde"),
        (local(2026, 3, 24, 14), "Teamrunde (verschoben)"),
        (local(2026, 3, 31, 10), "Teamrunde"),
        (local(2026, 4, 7, 10), "Teamrunde mit Chefin"),
    ]
    assert _starts(text, first, last) == before

    moved = ical.edit_event(
        text, start=local_to_utc(local(2026, 3, 3, 11)), end=local_to_utc(local(2026, 3, 3, 12))
    )
    assert _starts(moved, first, last) == [
        (local(2026, 3, 3, 11), "Teamrunde"),
        (local(2026, 3, 24, 14), "Teamrunde (verschoben)"),
        (local(2026, 3, 31, 11), "Teamrunde"),  # after the DST change: still 11:00
        (local(2026, 4, 7, 11), "Teamrunde mit Chefin"),
    ]
    # Written as they were: the zone of each line, UTC stays UTC.
    assert "EXDATE:20260310T100000Z\r\n" in moved
    assert "EXDATE;TZID=Europe/Berlin:20260317T110000\r\n" in moved
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260407T090000Z\r\n" in moved
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20260324T110000\r\n" in moved
    assert "DTSTART;TZID=Europe/Berlin:20260324T140000\r\n" in moved  # stays put

    # Only the end changed: nothing else moves.
    longer = ical.edit_event(text, end=local_to_utc(local(2026, 3, 3, 11, 30)))
    assert "EXDATE:20260310T090000Z\r\n" in longer
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20260324T100000\r\n" in longer


def test_moving_an_all_day_series_moves_its_dates() -> None:
    from app import ical

    text = calendar(
        vevent(
            "DTSTART;VALUE=DATE:20260601",
            "DTEND;VALUE=DATE:20260602",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;VALUE=DATE:20260608",
            "SUMMARY:Markttag",
        ),
    )
    moved = ical.edit_event(text, start=date(2026, 6, 2), end=date(2026, 6, 2))
    days = [o.start.date() for o in expand_ical(moved, date(2026, 6, 1), date(2026, 7, 31))]
    assert days == [date(2026, 6, 2), date(2026, 6, 16), date(2026, 6, 23)]
    assert "EXDATE;VALUE=DATE:20260609\r\n" in moved


def test_moving_a_single_event_touches_nothing_else() -> None:
    from app import ical

    text = calendar(
        vevent(
            "DTSTART;TZID=Europe/Berlin:20260303T100000",
            "DTEND;TZID=Europe/Berlin:20260303T110000",
            "SUMMARY:Einmal",
            "X-EXDATE-LIKE:20260303T100000",
        )
    )
    moved = ical.edit_event(
        text, start=local_to_utc(local(2026, 3, 3, 12)), end=local_to_utc(local(2026, 3, 3, 13))
    )
    assert "DTSTART;TZID=Europe/Berlin:20260303T120000\r\n" in moved
    assert "X-EXDATE-LIKE:20260303T100000\r\n" in moved
