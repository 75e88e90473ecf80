"""Time values of iCalendar: DATE and DATE-TIME read into the store's conventions, durations.

`_parse_time` reads a DTSTART/DTEND-like value as naive UTC (a `date` for VALUE=DATE), the
TZID resolved by `app.ical.zones`; floating times and unknown zones are taken as the computer's
local time, and values at the ends of the calendar (year 1 / 9999) come back as None rather
than failing. `_parse_duration`/`_format_duration` read and write DURATION values (None for
unreadable or absurd ones); `_fmt_utc`, `_fmt_date`, `_as_date`, `_as_datetime` and `_shifted`
are the small conversions the summary and the edits share; `_is_floating` tells a DATE-TIME
without "Z".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from app.ical.parse import _Prop
from app.ical.zones import _resolve_zone

_T = TypeVar("_T", datetime, date)


_DT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?\Z")
_DUR_RE = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\Z", re.I
)


def _parse_time(
    value: str, prop: _Prop, zones: dict[str, str]
) -> tuple[datetime | date | None, bool]:
    """(value, is_date): naive UTC datetime, or a date for VALUE=DATE; (None, False) if bad."""
    m = _DT_RE.match(value.strip())
    if not m:
        return None, False
    y, mo, d, hh, mm, ss, z = m.groups()
    try:
        if hh is None:
            return date(int(y), int(mo), int(d)), True
        local = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None, False
    if z:
        return local, False
    tzid = prop.param("TZID")
    zone = _resolve_zone(tzid, zones.get(tzid, "")) if tzid else None
    try:
        if zone is None:
            # Floating or unknown zone: the computer's local time.
            return local.astimezone(UTC).replace(tzinfo=None), False
        return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None), False
    except (OverflowError, ValueError, OSError):
        return None, False  # at the very ends of the calendar (year 1 / 9999)


def _shifted(value: _T, delta: timedelta) -> _T | None:
    """value + delta, or None beyond the calendar's ends (year 1 / 9999)."""
    try:
        return value + delta
    except OverflowError:
        return None


def _parse_duration(value: str) -> timedelta | None:
    """A DURATION value; None if unreadable or beyond what a timedelta holds."""
    m = _DUR_RE.match(value.strip())
    if not m or value.strip().upper() in ("P", "PT", "-P", "+P"):
        return None
    sign, w, d, h, mi, s = m.groups()
    if any(part is not None and len(part) > 12 for part in (w, d, h, mi, s)):
        return None  # thousands of digits: no real duration (and int() would refuse)
    try:
        delta = timedelta(
            weeks=int(w or 0), days=int(d or 0), hours=int(h or 0), minutes=int(mi or 0),
            seconds=int(s or 0),
        )  # fmt: skip
    except OverflowError:
        return None
    return -delta if sign == "-" else delta


def _format_duration(delta: timedelta) -> str:
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = f"{sign}P"
    if days:
        out += f"{days}D"
    if rest or not days:
        out += "T"
        if hours:
            out += f"{hours}H"
        if minutes:
            out += f"{minutes}M"
        if seconds or (not hours and not minutes):
            out += f"{seconds}S"
    return out


def _fmt_utc(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _fmt_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _is_floating(value: str) -> bool:
    """A DATE-TIME value without "Z" (with no TZID on its line: the caller checks)."""
    m = _DT_RE.match(value.strip())
    return m is not None and m.group(4) is not None and m.group(7) is None
