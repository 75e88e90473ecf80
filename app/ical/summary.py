"""What lists and the sync need of an event: `summarize` and its `EventSummary`.

The master VEVENT (the component without RECURRENCE-ID; where the server holds only overridden
instances, the first of them) gives UID, title, location, description and times with the
store's conventions: timed events as naive UTC datetimes, all-day events as dates with `end`
the last day inclusive (iCalendar's DTEND is exclusive), DURATION instead of DTEND honoured,
and an event with DTEND but no DTSTART (Thunderbird writes them) a point in time at its DTEND.
`recurring` and `exceptions` say whether it is a series and how many occurrences it overrides.
Runs on every calendar object of every calendar run: one pass over the lines, no re-parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.i18n import _
from app.ical.parse import ICalError, NotAnEvent, _Comp, _Doc, _doc, _unescape
from app.ical.times import _as_date, _as_datetime, _parse_duration, _parse_time, _shifted


@dataclass(frozen=True)
class EventSummary:
    """What lists and the sync need of an event (its master VEVENT).

    Timed: `start`/`end` naive UTC datetimes. All-day: dates, `end` the last day inclusive.
    """

    uid: str
    summary: str
    start: datetime | date | None
    end: datetime | date | None
    all_day: bool
    location: str
    recurring: bool  # RRULE/RDATE on the master, or exceptions (RECURRENCE-ID) present
    tzid: str  # TZID of DTSTART as written ("" for UTC, floating and all-day)
    description: str = ""
    exceptions: int = 0  # number of overridden occurrences (components with RECURRENCE-ID)


def _master(doc: _Doc, kind: str = "VEVENT") -> tuple[_Comp, list[_Comp], dict[str, str]]:
    """(master VEVENT, exceptions, {tzid: VTIMEZONE text}); raises NotAnEvent without one."""
    events: list[_Comp] = []
    zones: dict[str, str] = {}
    for cal in doc.calendars():
        for comp in cal.children:
            if comp.name == kind:
                events.append(comp)
            elif comp.name == "VTIMEZONE":
                tz = doc.prop(comp, "TZID")
                if tz:
                    zones[tz[1].value.strip()] = doc.raw(comp)
    if not events:
        if not doc.calendars():
            raise ICalError(_("kein VCALENDAR"))
        raise NotAnEvent(_("kein {kind}").format(kind=kind))
    masters = [e for e in events if doc.prop(e, "RECURRENCE-ID") is None]
    master = masters[0] if masters else events[0]
    return master, [e for e in events if e is not master], zones


def _times(
    doc: _Doc, comp: _Comp, zones: dict[str, str]
) -> tuple[datetime | date | None, datetime | date | None, bool, str]:
    """(start, end, all_day, tzid) of a component with the store's conventions."""
    found = doc.prop(comp, "DTSTART")
    if found is None:
        return _end_only(doc, comp, zones)
    sprop = found[1]
    start, all_day = _parse_time(sprop.value, sprop, zones)
    tzid = (sprop.param("TZID") or "") if not all_day else ""
    if start is None:
        return None, None, False, tzid
    end: datetime | date | None = None
    found_end = doc.prop(comp, "DTEND")
    if found_end is not None:
        end, _ = _parse_time(found_end[1].value, found_end[1], zones)
    else:
        found_dur = doc.prop(comp, "DURATION")
        delta = _parse_duration(found_dur[1].value) if found_dur else None
        if delta is not None:
            end = _shifted(start, delta)
    if all_day:
        start_d = _as_date(start)
        end_excl = _as_date(end) if end is not None else _shifted(start_d, timedelta(days=1))
        last = _shifted(end_excl, -timedelta(days=1)) if end_excl is not None else None
        return start_d, max(start_d, last or start_d), True, ""
    if isinstance(end, date) and not isinstance(end, datetime):
        end = _as_datetime(end)
    if end is None or end < start:
        end = start
    return start, end, False, tzid


def _end_only(
    doc: _Doc, comp: _Comp, zones: dict[str, str]
) -> tuple[datetime | date | None, datetime | date | None, bool, str]:
    """Times of an event with DTEND but no DTSTART (Thunderbird writes such events; RFC 5545
    requires DTSTART): a point in time at DTEND, all-day the last day before the exclusive
    DTEND. Without either it has no time: (None, None, False, "")."""
    found = doc.prop(comp, "DTEND")
    if found is None:
        return None, None, False, ""
    value, is_date = _parse_time(found[1].value, found[1], zones)
    if value is None:
        return None, None, False, ""
    if is_date:
        day = _as_date(value)
        last = _shifted(day, -timedelta(days=1)) or day
        return last, last, True, ""
    return value, value, False, found[1].param("TZID") or ""


def summarize(text: str) -> EventSummary:
    """Summary of the master VEVENT; raises NotAnEvent / ICalError if there is none."""
    return _summarize_doc(_doc(text))


def _summarize_doc(doc: _Doc) -> EventSummary:
    """`summarize` of a parsed text (the parse shared with the hash or an edit)."""
    master, others, zones = _master(doc)

    def text_of(name: str) -> str:
        found = doc.prop(master, name)
        return _unescape(found[1].value).strip() if found else ""

    uid = doc.prop(master, "UID")
    start, end, all_day, tzid = _times(doc, master, zones)
    # Without a master (the server holds only overridden instances, e.g. an invitation to
    # some occurrences of a series) the component summarized is an exception itself.
    exceptions = sum(1 for c in [master, *others] if doc.prop(c, "RECURRENCE-ID") is not None)
    recurring = (
        doc.prop(master, "RRULE") is not None
        or doc.prop(master, "RDATE") is not None
        or exceptions > 0
    )
    return EventSummary(
        uid=uid[1].value.strip() if uid else "",
        summary=text_of("SUMMARY"),
        start=start,
        end=end,
        all_day=all_day,
        location=text_of("LOCATION"),
        recurring=recurring,
        tzid=tzid,
        description=text_of("DESCRIPTION"),
        exceptions=exceptions,
    )


#: A text without any of these is no series: `is_recurring` does not read it.
_RECURRENCE_MARKERS = ("RRULE", "RDATE", "RECURRENCE-ID")


def is_recurring(text: str | None) -> bool:
    """Whether an iCalendar text is a series (`EventSummary.recurring`); a text without
    RRULE, RDATE or RECURRENCE-ID is not parsed at all, an unreadable one is no series."""
    if not text or not any(marker in text for marker in _RECURRENCE_MARKERS):
        return False
    try:
        return summarize(text).recurring
    except ICalError:
        return False
