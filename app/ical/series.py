"""Moving a recurring series: what names its occurrences moves along with its start.

When `edit_event` moves the start of a series, EXDATE and RDATE of the master, the RRULE's UNTIL
and every override's RECURRENCE-ID (and the overrides that had not been moved on their own)
are shifted with it (`_move_series`), in the wall clock of DTSTART's zone so that "one hour
later" stays one hour later across DST; each value is written back in its own zone and form
(`_Move`). Left as they were, a cancelled occurrence would come back and a changed one would
show twice. `_wall`/`_unwall`/`_line_zone` convert between naive UTC and a line's wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from app.ical.parse import _Comp, _Doc, _parse_prop, _Prop
from app.ical.times import _DT_RE, _as_date, _as_datetime, _fmt_date, _fmt_utc, _parse_time
from app.ical.zones import _resolve_zone


def _line_zone(prop: _Prop | None, value: str, zones: dict[str, str]) -> tzinfo | None:
    """The zone a DATE-TIME is written in: its TZID's (if known), UTC for "Z"; None for
    floating (and an unknown TZID): the computer's local time, as `_parse_time` reads it."""
    if value.strip().upper().endswith("Z"):
        return UTC
    tzid = prop.param("TZID") if prop is not None else None
    return _resolve_zone(tzid, zones.get(tzid, "")) if tzid else None


def _wall(utc: datetime, zone: tzinfo | None) -> datetime:
    """Naive UTC -> the wall-clock time in `zone` (None: local time)."""
    aware = utc.replace(tzinfo=UTC)
    return (aware.astimezone(zone) if zone is not None else aware.astimezone()).replace(tzinfo=None)


def _unwall(wall: datetime, zone: tzinfo | None) -> datetime:
    """A wall-clock time in `zone` (None: local time) -> naive UTC."""
    aware = wall.replace(tzinfo=zone) if zone is not None else wall.astimezone()
    return aware.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class _Move:
    """How a series moved: by `wall` in the wall clock of its start's zone (`zone`), or for
    all-day series by `days`."""

    zone: tzinfo | None
    wall: timedelta
    days: int

    def value(self, raw: str, prop: _Prop | None, zones: dict[str, str]) -> str:
        """One DATE or DATE-TIME value moved along, written as it was (same zone, form);
        anything unreadable is returned unchanged."""
        text = raw.strip()
        m = _DT_RE.match(text)
        if not m:
            return raw
        if m.group(4) is None:  # a DATE
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                return _fmt_date(day + timedelta(days=self.days))
            except (ValueError, OverflowError):
                return raw
        parsed, _ = _parse_time(text, prop or _Prop("", (), "", text), zones)
        if not isinstance(parsed, datetime):
            return raw
        try:
            moved = _unwall(_wall(parsed, self.zone) + self.wall, self.zone)
            own = _line_zone(prop, text, zones)
            if own is UTC:
                return _fmt_utc(moved)
            return _wall(moved, own).strftime("%Y%m%dT%H%M%S")
        except (ValueError, OverflowError, OSError):
            return raw

    def line(self, prop: _Prop, zones: dict[str, str]) -> str:
        """A property line whose (comma-separated) values all move along."""
        values = ",".join(self.value(v, prop, zones) for v in prop.value.split(","))
        return f"{prop.name}{prop.param_text}:{values}"

    def rrule(self, prop: _Prop, zones: dict[str, str]) -> str:
        """RRULE with its UNTIL moved along (the last occurrence stays in the series)."""
        parts = []
        for part in prop.value.split(";"):
            key, eq, val = part.partition("=")
            if key.strip().upper() == "UNTIL" and eq:
                part = f"{key}={self.value(val, None, zones)}"
            parts.append(part)
        return f"{prop.name}{prop.param_text}:{';'.join(parts)}"


def _move_series(
    doc: _Doc,
    master: _Comp,
    overrides: list[_Comp],
    zones: dict[str, str],
    start_prop: _Prop | None,
    old_start: datetime | date,
    new_start: datetime | date,
    all_day: bool,
    replace: dict[int, str | None],
) -> None:
    """The series' start moved: move what names its occurrences along with it.

    EXDATE and RDATE of the master, the RRULE's UNTIL and every override's RECURRENCE-ID
    name occurrences by their original start; left as they were, a cancelled occurrence
    would come back and a changed one would show twice. An override that was not moved
    itself (DTSTART = RECURRENCE-ID) moves with the series. The shift is in the wall clock
    of DTSTART's zone, so "one hour later" stays one hour later across DST. Single events
    (no RRULE, RDATE or override) have nothing to move.
    """
    recurring = any(doc.prop(master, n) for n in ("RRULE", "RDATE")) or bool(overrides)
    if not recurring:
        return
    if all_day:
        move = _Move(None, timedelta(0), (_as_date(new_start) - _as_date(old_start)).days)
    else:
        zone = _line_zone(start_prop, start_prop.value if start_prop else "", zones)
        old_wall = _wall(_as_datetime(old_start), zone)
        new_wall = _wall(_as_datetime(new_start), zone)
        move = _Move(zone, new_wall - old_wall, (new_wall.date() - old_wall.date()).days)
    for i in master.props:
        name = doc.lines[i].name
        if name in ("EXDATE", "RDATE"):
            prop = _parse_prop(doc.lines[i].content)
            if (prop.param("VALUE") or "").upper() != "PERIOD":
                replace[i] = move.line(prop, zones)
        elif name == "RRULE":
            prop = _parse_prop(doc.lines[i].content)
            if "UNTIL=" in prop.value.upper():
                replace[i] = move.rrule(prop, zones)
    for comp in overrides:
        rid = doc.prop(comp, "RECURRENCE-ID")
        if rid is None:
            continue
        replace[rid[0]] = move.line(rid[1], zones)
        start = doc.prop(comp, "DTSTART")
        if start is None:
            continue
        at, _ = _parse_time(start[1].value, start[1], zones)
        was, _ = _parse_time(rid[1].value, rid[1], zones)
        if at is None or at != was:
            continue  # moved on its own: it stays where it was put
        replace[start[0]] = move.line(start[1], zones)
        end = doc.prop(comp, "DTEND")
        if end is not None:
            replace[end[0]] = move.line(end[1], zones)
