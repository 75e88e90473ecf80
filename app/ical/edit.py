"""Writing iCalendar: new events, and lossless edits of an existing event's master VEVENT.

`edit_event` rewrites only the lines of the master VEVENT whose value changed: VTIMEZONE,
VALARM, ATTENDEE, X- and unknown properties, the exceptions of a recurring series and the
original folding and line endings of untouched lines stay byte-identical (a moved series takes
along what names its occurrences, `app.ical.series`); an edit keeps the line's TZID and writes
the new time in that zone, floating times stay floating (so a floating series does not drift),
DURATION stays DURATION, and SEQUENCE is incremented when the time changes (RFC 5545).
`new_event` writes a single event without VTIMEZONE: timed events in UTC ("...Z"), all-day
events as DATE values. Contactbox creates single events only, so UTC loses nothing (there is
no RRULE whose local wall-clock time would drift across DST changes); clients show them in
their own time zone. Both take the conventions of `summarize` (naive UTC; all-day dates with
`end` the last day inclusive).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from app.contentline import split_unquoted
from app.i18n import _
from app.ical.parse import (
    ICalError,
    _doc,
    _eol_of,
    _escape,
    _fold,
    _Prop,
)
from app.ical.series import _move_series
from app.ical.summary import EventSummary, _master, _summarize_doc
from app.ical.times import (
    _as_date,
    _as_datetime,
    _fmt_date,
    _fmt_utc,
    _format_duration,
    _is_floating,
)
from app.ical.zones import _resolve_zone

PRODID = "-//Contactbox//Contactbox Sync//DE"


def _now(now: datetime | None) -> datetime:
    value = now or datetime.now(UTC)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _check_times(start: datetime | date, end: datetime | date, all_day: bool) -> None:
    if all_day:
        if _as_date(end) < _as_date(start):
            raise ICalError(_("Ende vor Beginn"))
    elif _as_datetime(end) < _as_datetime(start):
        raise ICalError(_("Ende vor Beginn"))


def new_event(
    uid: str | None,
    summary: str,
    start: datetime | date,
    end: datetime | date,
    all_day: bool = False,
    location: str = "",
    description: str = "",
    *,
    now: datetime | None = None,
) -> str:
    """A new single event as a calendar object resource (CRLF, folded, no VTIMEZONE).

    Timed: `start`/`end` naive UTC, written as UTC ("Z"). All-day: dates (or datetimes whose
    date counts), `end` the last day inclusive; written as DATE values with DTEND exclusive.
    """
    _check_times(start, end, all_day)
    stamp = _fmt_utc(_now(now))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid or str(uuid.uuid4())}",
        f"DTSTAMP:{stamp}",
        f"CREATED:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        "SEQUENCE:0",
    ]
    if all_day:
        lines.append(f"DTSTART;VALUE=DATE:{_fmt_date(_as_date(start))}")
        lines.append(f"DTEND;VALUE=DATE:{_fmt_date(_as_date(end) + timedelta(days=1))}")
    else:
        lines.append(f"DTSTART:{_fmt_utc(_as_datetime(start))}")
        lines.append(f"DTEND:{_fmt_utc(_as_datetime(end))}")
    lines.append(f"SUMMARY:{_escape(summary)}")
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line, "\r\n") for line in lines)


def _keep_params(prop: _Prop, drop: frozenset[str]) -> str:
    """The property's parameter text minus the named parameters, as written."""
    kept = [p for p in split_unquoted(prop.param_text, ";")[1:]]
    return "".join(";" + p for p in kept if p.partition("=")[0].strip().upper() not in drop)


def _time_line(
    name: str, old: _Prop | None, value: datetime | date, all_day: bool, zones: dict[str, str]
) -> str:
    """DTSTART/DTEND line for a new value, keeping the old line's TZID and other params."""
    drop = frozenset({"VALUE", "TZID"})
    rest = _keep_params(old, drop) if old is not None else ""
    if all_day:
        return f"{name};VALUE=DATE{rest}:{_fmt_date(_as_date(value))}"
    utc_value = _as_datetime(value)
    tzid = old.param("TZID") if old is not None else None
    if tzid and old is not None:
        zone = _resolve_zone(tzid, zones.get(tzid, ""))
        if zone is not None and zone is not UTC:
            local = utc_value.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
            tz_text = next(
                p
                for p in split_unquoted(old.param_text, ";")[1:]
                if p.partition("=")[0].strip().upper() == "TZID"
            )
            return f"{name};{tz_text}{rest}:{local.strftime('%Y%m%dT%H%M%S')}"
    elif old is not None and _is_floating(old.value):
        # Floating stays floating (read as the computer's local time, written back so): a
        # floating series written in UTC would drift by an hour across DST changes.
        try:
            local = utc_value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError, OSError):  # the ends of the calendar: UTC
            return f"{name}{rest}:{_fmt_utc(utc_value)}"
        return f"{name}{rest}:{local.strftime('%Y%m%dT%H%M%S')}"
    return f"{name}{rest}:{_fmt_utc(utc_value)}"


def edit_event(
    text: str,
    *,
    summary: str | None = None,
    start: datetime | date | None = None,
    end: datetime | date | None = None,
    all_day: bool | None = None,
    location: str | None = None,
    description: str | None = None,
    now: datetime | None = None,
    current: EventSummary | None = None,
) -> str:
    """Change fields of the master VEVENT, rewriting only the lines whose value changed.

    None leaves a field as it is; "" removes LOCATION/DESCRIPTION (SUMMARY is kept, empty).
    Times follow the module conventions (naive UTC; all-day dates with `end` inclusive). A
    timed start/end keeps the line's TZID (written in that zone) when the zone is known,
    else it is written in UTC; DURATION stays DURATION. DTSTAMP and LAST-MODIFIED (if
    present) get `now`, SEQUENCE (if present) is incremented when the time changed.
    A moved series takes along what names its occurrences (EXDATE, RDATE, UNTIL, the
    overrides' RECURRENCE-ID, see `_move_series`); otherwise exceptions, VALARMs,
    VTIMEZONEs, ATTENDEEs and unknown properties are left byte-identical; an unchanged
    event returns `text` itself. `current`: `summarize(text)`, if the caller has it (an
    event just read): an unchanged event is then returned without reading the text again.
    """
    try:
        return _edit_event(
            text, summary=summary, start=start, end=end, all_day=all_day, location=location,
            description=description, now=now, current=current,
        )  # fmt: skip
    except OverflowError:
        # a time at the very end of the calendar, shifted by its zone or by a day
        raise ICalError(
            _("Zeitpunkt außerhalb des darstellbaren Bereichs (Jahr 1 bis 9999)")
        ) from None


def _new_times(
    cur: EventSummary,
    start: datetime | date | None,
    end: datetime | date | None,
    all_day: bool | None,
) -> tuple[bool, datetime | date | None, datetime | date | None, bool]:
    """(all-day, start, end, whether the time changes) after an edit of `cur`'s times;
    ICalError if the end would be before the start."""
    new_all_day = cur.all_day if all_day is None else all_day
    new_start = start if start is not None else cur.start
    new_end = end if end is not None else cur.end
    time_changed = False
    if new_start is not None and new_end is not None:
        if new_all_day:
            new_start, new_end = _as_date(new_start), _as_date(new_end)
        else:
            new_start, new_end = _as_datetime(new_start), _as_datetime(new_end)
        _check_times(new_start, new_end, new_all_day)
        time_changed = new_all_day != cur.all_day or new_start != cur.start or new_end != cur.end
    return new_all_day, new_start, new_end, time_changed


def _edit_event(
    text: str,
    *,
    summary: str | None,
    start: datetime | date | None,
    end: datetime | date | None,
    all_day: bool | None,
    location: str | None,
    description: str | None,
    now: datetime | None,
    current: EventSummary | None,
) -> str:
    if current is not None:
        texts = ((summary, current.summary), (location, current.location),
                 (description, current.description))  # fmt: skip
        unchanged = all(v is None or v.strip() == now_ for v, now_ in texts)
        if unchanged and not _new_times(current, start, end, all_day)[3]:
            return text
    doc = _doc(text)
    master, overrides, zones = _master(doc)
    eol = _eol_of(text)
    cur = current or _summarize_doc(doc)  # the same parse: one pass over the text per edit
    replace: dict[int, str | None] = {}  # line index -> new logical line (None: delete)
    append: list[str] = []

    def set_text(name: str, value: str | None, current: str, *, removable: bool) -> None:
        if value is None or value.strip() == current:
            return
        found = doc.prop(master, name)
        if not value.strip() and removable:
            if found:
                replace[found[0]] = None
            return
        if found:
            params = _keep_params(found[1], frozenset())
            replace[found[0]] = f"{name}{params}:{_escape(value)}"
        else:
            append.append(f"{name}:{_escape(value)}")

    set_text("SUMMARY", summary, cur.summary, removable=False)
    set_text("LOCATION", location, cur.location, removable=True)
    set_text("DESCRIPTION", description, cur.description, removable=True)

    new_all_day, new_start, new_end, time_changed = _new_times(cur, start, end, all_day)
    if time_changed and new_start is not None and new_end is not None:
        s_found = doc.prop(master, "DTSTART")
        e_found = doc.prop(master, "DTEND")
        d_found = doc.prop(master, "DURATION")
        s_old = s_found[1] if s_found else None
        # An event with DTEND only gets a DTSTART in DTEND's zone (TZID or floating).
        s_model = s_old if s_old is not None else (e_found[1] if e_found else None)
        s_line = _time_line("DTSTART", s_model, new_start, new_all_day, zones)
        if s_found:
            replace[s_found[0]] = s_line
        else:
            append.append(s_line)
        if new_all_day:
            excl: datetime | date = _as_date(new_end) + timedelta(days=1)
            length = _as_date(excl) - _as_date(new_start)
        else:
            excl = new_end
            length = _as_datetime(new_end) - _as_datetime(new_start)
        if d_found and not e_found:
            rest = _keep_params(d_found[1], frozenset())
            replace[d_found[0]] = f"DURATION{rest}:{_format_duration(length)}"
        else:
            e_old = e_found[1] if e_found else s_old
            e_line = _time_line("DTEND", e_old, excl, new_all_day, zones)
            if e_found:
                replace[e_found[0]] = e_line
            else:
                append.append(e_line)

    if (
        time_changed
        and new_start is not None
        and cur.start is not None
        and new_all_day == cur.all_day
        and new_start != cur.start
    ):
        s_found = doc.prop(master, "DTSTART")
        _move_series(
            doc, master, overrides, zones, s_found[1] if s_found else None,
            cur.start, new_start, new_all_day, replace,
        )  # fmt: skip

    if not replace and not append:
        return text
    stamp = _fmt_utc(_now(now))
    for name in ("DTSTAMP", "LAST-MODIFIED"):
        found = doc.prop(master, name)
        if found:
            replace[found[0]] = f"{name}{_keep_params(found[1], frozenset())}:{stamp}"
    seq = doc.prop(master, "SEQUENCE")
    if time_changed and seq and seq[1].value.strip().isdigit():
        rest = _keep_params(seq[1], frozenset())
        replace[seq[0]] = f"SEQUENCE{rest}:{int(seq[1].value.strip()) + 1}"

    insert_after = master.props[-1] if master.props else master.begin
    out: list[str] = []
    for i, line in enumerate(doc.lines):
        if i in replace:
            new = replace[i]
            if new is not None:
                out.append(_fold(new, eol))
        else:
            raw = line.raw
            if i == insert_after and append and not raw.endswith(("\n", "\r")):
                raw += eol
            out.append(raw)
        if i == insert_after:
            out.extend(_fold(a, eol) for a in append)
    return "".join(out)
