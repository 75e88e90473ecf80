"""The current user's appointments as occurrences within a range of days, in local time.

The agenda view (ui/agenda_view.py) shows occurrences, not appointments: a single event is
one occurrence, a recurring series synced from a server is expanded from its iCalendar text
(`Appointment.ical`): RRULE, RDATE, EXDATE and the exceptions (components with RECURRENCE-ID,
moved or changed occurrences) in the event's own time zone, so a weekly 09:00 meeting in
Europe/Berlin stays at 09:00 across the DST change. The expansion is done by
`recurring_ical_events` (over `icalendar`; both declared dependencies), which implements
RFC 5545 including RECURRENCE-ID;RANGE=THISANDFUTURE, RDATE periods and DURATION.

An appointment edited in Contactbox since the last sync (a series moved or renamed in the
dialog) is expanded from the text the sync would upload (`ical.edit_event` over the stored
text), so the agenda shows the edit at once. Exceptions with STATUS:CANCELLED (how some
servers cancel single occurrences) are left out. RDATE/EXDATE values icalendar cannot read do not
stop a series: a DATE with a stray "Z" (Google) is read as that date, other ones are skipped.

Times. `Occurrence.start`/`end` are naive *local* times (the machine's time zone), unlike
the store's naive UTC. All-day occurrences keep the store's convention: `start` is midnight
of the first day, `end` midnight of the *last* day (inclusive); they are never shifted by a
time zone.

Each series yields at most `limit` occurrences per call (`MAX_PER_SERIES`), so a minutely
series or a huge range cannot stall the view. No Qt, no peewee object leaves this module.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from peewee import JOIN

from app import ical
from app.i18n import _
from app.store.agenda import current_user, utc_to_local
from app.store.models import Appointment, Contact, User

__all__ = ["MAX_PER_SERIES", "Occurrence", "expand_ical", "occurrences"]

log = logging.getLogger(__name__)

MAX_PER_SERIES = 1000


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an appointment; times naive local (all-day: see module doc)."""

    appointment_id: int
    start: datetime
    end: datetime
    all_day: bool
    summary: str
    location: str
    contact_name: str
    recurring: bool  # part of a recurring series (editing edits the whole series)
    is_exception: bool  # an occurrence the server moved or changed (RECURRENCE-ID)

    def days(self) -> list[date]:
        """The local days this occurrence touches (a timed end at 00:00 ends the day before)."""
        first = self.start.date()
        if self.all_day:
            last = self.end.date()
        else:
            last = (self.end - timedelta(microseconds=1)).date() if self.end > self.start else first
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class _Instance:
    """An expanded occurrence of an iCalendar text, before the appointment's data joins."""

    start: datetime
    end: datetime
    all_day: bool
    summary: str
    location: str
    is_exception: bool


# ---------------------------------------------------------------- time helpers


def _local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _window(first: date, last: date) -> tuple[datetime, datetime]:
    """Aware local datetimes [first 00:00, last + 1 day 00:00)."""
    start = datetime.combine(first, time(0, 0)).astimezone()
    end = datetime.combine(last + timedelta(days=1), time(0, 0)).astimezone()
    return start, end


def _to_local(value: datetime) -> datetime:
    """Aware -> naive local; naive (floating) stays as it is."""
    if value.tzinfo is None:
        return value
    return value.astimezone().replace(tzinfo=None)


def _overlaps(start: datetime, end: datetime, all_day: bool, first: date, last: date) -> bool:
    if all_day:
        return start.date() <= last and end.date() >= first
    lo = datetime.combine(first, time(0, 0))
    hi = datetime.combine(last + timedelta(days=1), time(0, 0))
    if end <= start:  # zero-length: a point in time
        return lo <= start < hi
    return start < hi and end > lo


# ---------------------------------------------------------------- iCalendar expansion


def _rid_key(value: Any) -> str:
    """A comparable key for a RECURRENCE-ID value (aware in UTC, floating, or a date)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)


_STRAY_Z_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})Z\Z")


def _repair_dates(comp: Any) -> None:
    """RDATE/EXDATE values icalendar cannot read would stop the whole series: a DATE with a
    stray "Z" (Google's birthday calendar writes "RDATE:20131210Z") is read as that date,
    anything else unreadable is left out, so the rest of the series still expands. Only the
    parsed copy is changed; the stored text stays as it is."""
    import icalendar

    for name in ("RDATE", "EXDATE"):
        found = comp.get(name)
        items = found if isinstance(found, list) else [found]
        if found is None or not any(isinstance(i, icalendar.vBroken) for i in items):
            continue
        kept: list[Any] = []
        for item in items:
            if not isinstance(item, icalendar.vBroken):
                kept.append(item)
                continue
            values = str(item).split(",")
            good = [d for d in map(_stray_z_date, values) if d is not None]
            if good:
                kept.append(icalendar.vDDDLists(good))
            if len(good) < len(values):
                log.info("%s %r nicht lesbar, ausgelassen", name, str(item))
        del comp[name]
        if kept:
            comp[name] = kept if len(kept) > 1 else kept[0]


def _stray_z_date(value: str) -> date | None:
    m = _STRAY_Z_DATE.match(value.strip())
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _parsed(text: str) -> tuple[Any, frozenset[str]]:
    """(icalendar.Calendar, RECURRENCE-ID keys of the exceptions); cached per text."""
    import icalendar

    cal = icalendar.Calendar.from_ical(text)
    for comp in cal.walk("VEVENT"):
        _repair_dates(comp)
    rids = frozenset(
        _rid_key(comp.decoded("RECURRENCE-ID"))
        for comp in cal.walk("VEVENT")
        if comp.get("RECURRENCE-ID") is not None
    )
    return cal, rids


def _decoded_time(comp: Any, name: str) -> datetime | date | None:
    if comp.get(name) is None:
        return None
    value = comp.decoded(name)
    return value if isinstance(value, (datetime, date)) else None


def expand_ical(text: str, first: date, last: date, limit: int = MAX_PER_SERIES) -> list[_Instance]:
    """The occurrences of an iCalendar event touching local days `first`..`last`.

    At most `limit`, in order of start; raises `ical.ICalError` for unreadable text.
    """
    import recurring_ical_events  # type: ignore[import-untyped]

    try:
        cal, rids = _parsed(text)
    except ValueError as exc:
        raise ical.ICalError(str(exc)) from exc
    lo, hi = _window(first, last)
    out: list[_Instance] = []
    try:
        query = recurring_ical_events.of(cal)
        for comp in query.after(lo):
            start = _decoded_time(comp, "DTSTART")
            if start is None:
                continue
            end = _decoded_time(comp, "DTEND")
            all_day = not isinstance(start, datetime)
            if all_day:
                first_day = start if isinstance(start, date) else start.date()
                end_excl = end if isinstance(end, date) and not isinstance(end, datetime) else None
                last_day = (end_excl - timedelta(days=1)) if end_excl else first_day
                last_day = max(first_day, last_day)
                if first_day > last:
                    break
                s = datetime.combine(first_day, time(0, 0))
                e = datetime.combine(last_day, time(0, 0))
            else:
                assert isinstance(start, datetime)
                aware = start if start.tzinfo is not None else start.replace(tzinfo=_local_zone())
                if aware >= hi:
                    break
                s = _to_local(start)
                e = _to_local(end) if isinstance(end, datetime) else s
                if e < s:
                    e = s
            if not _overlaps(s, e, all_day, first, last):
                continue
            rid = comp.get("RECURRENCE-ID")
            is_exception = rid is not None and _rid_key(comp.decoded("RECURRENCE-ID")) in rids
            if is_exception and str(comp.get("STATUS", "")).upper() == "CANCELLED":
                continue
            out.append(
                _Instance(
                    start=s,
                    end=e,
                    all_day=all_day,
                    summary=str(comp.get("SUMMARY", "")),
                    location=str(comp.get("LOCATION", "")),
                    is_exception=is_exception,
                )
            )
            if len(out) >= limit:
                log.info("Serie nach %d Terminen im Zeitraum abgeschnitten", limit)
                break
    except ical.ICalError:
        raise
    except Exception as exc:  # bad RRULE and the like: the caller falls back to one event
        raise ical.ICalError(_("Serie nicht auswertbar: {error}").format(error=exc)) from exc
    return out


# ---------------------------------------------------------------- appointments


def _series_text(a: Any) -> str:
    """The iCalendar text with local edits applied (deterministic, so the parse is cached)."""
    text: str = a.ical
    if a.start is None:
        return text
    try:
        return ical.edit_event(
            text,
            summary=a.summary,
            start=a.start,
            end=a.end if a.end is not None else a.start,
            all_day=bool(a.all_day),
            location=a.location or "",
            description=a.notes or "",
            now=a.modified,
        )
    except ical.ICalError:
        return text


def _single(a: Any, contact_name: str, first: date, last: date) -> Occurrence | None:
    if a.start is None:
        return None
    end = a.end if a.end is not None else a.start
    if a.all_day:
        s = datetime.combine(a.start.date(), time(0, 0))
        e = datetime.combine(end.date(), time(0, 0))
    else:
        s, e = utc_to_local(a.start), utc_to_local(end)
    if not _overlaps(s, e, bool(a.all_day), first, last):
        return None
    return Occurrence(
        appointment_id=int(a.id),
        start=s,
        end=e,
        all_day=bool(a.all_day),
        summary=a.summary,
        location=a.location or "",
        contact_name=contact_name,
        recurring=False,
        is_exception=False,
    )


def _rows(user: User, first: date, last: date) -> Iterable[Any]:
    """Candidates: single appointments near the range (UTC with a day's margin either side
    for time zones and floating all-day dates) and every recurring series of the user."""
    lo = datetime.combine(first - timedelta(days=1), time(0, 0))
    hi = datetime.combine(last + timedelta(days=2), time(0, 0))
    recurring = (
        Appointment.ical.contains("RRULE")
        | Appointment.ical.contains("RDATE")
        | Appointment.ical.contains("RECURRENCE-ID")
    )
    near = (
        Appointment.start.is_null(False)
        & (Appointment.start < hi)
        & (Appointment.end.is_null(True) | (Appointment.end >= lo) | (Appointment.start >= lo))
    )
    return (
        Appointment.select(Appointment, Contact)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(
            (Appointment.user == user)
            & Appointment.deleted_at.is_null()
            & (near | (Appointment.ical.is_null(False) & recurring))
        )
        .order_by(Appointment.start, Appointment.id)
    )


def occurrences(
    first: date,
    last: date,
    user: User | None = None,
    limit: int = MAX_PER_SERIES,
) -> list[Occurrence]:
    """The (current) user's occurrences touching local days `first`..`last` (inclusive).

    Sorted by day, all-day first, then by start and summary. A series whose text cannot be
    expanded shows as the single event its columns describe.
    """
    if last < first:
        return []
    user = user or current_user()
    out: list[Occurrence] = []
    for a in _rows(user, first, last):
        contact_name = (a.contact.fn or "") if a.contact_id is not None else ""
        if ical.is_recurring(a.ical):
            try:
                instances = expand_ical(_series_text(a), first, last, limit)
            except ical.ICalError as exc:
                log.warning("Termin %s: %s", a.id, exc)
            else:
                out.extend(
                    Occurrence(
                        appointment_id=int(a.id),
                        start=i.start,
                        end=i.end,
                        all_day=i.all_day,
                        summary=i.summary or a.summary,
                        location=i.location,
                        contact_name=contact_name,
                        recurring=True,
                        is_exception=i.is_exception,
                    )
                    for i in instances
                )
                continue
        single = _single(a, contact_name, first, last)
        if single is not None:
            out.append(single)
    out.sort(key=lambda o: (o.start.date(), not o.all_day, o.start, o.summary, o.appointment_id))
    return out
