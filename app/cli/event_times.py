"""The times of `contactbox-sync calendar event …`: the argument types and the conversions
between what is typed, what the store keeps (naive UTC; an all-day bound a floating
midnight) and what is shown. Input is ISO 8601: `2026-12-24` (a date: all-day),
`2026-12-24T14:00` (local time of this computer), `2026-12-24T14:00+01:00` / `…Z` (that
offset); a duration `PT1H30M`, `P2D` or short `90m`, `1h30m`, `2d`. Output: in JSON timed
appointments in local time with the UTC offset (`2026-12-24T14:00:00+01:00`), all-day ones
as dates; in text a span in the language's format (app/i18n.py): `24.12.2026 14:00–15:00`,
in English `2026-12-24 14:00–15:00`. The agenda's time functions (app/store/agenda.py) are
imported when used, so start-up stays lean."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, date, datetime, time, timedelta

from app.cli.common import EXIT_USAGE, CliError
from app.i18n import _, format_date, format_datetime, format_time

#: Without --to, `calendar event list` ends this many days after --from (inclusive).
DEFAULT_RANGE_DAYS = 30

_ISO_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$",
    re.IGNORECASE,
)
_SHORT_DURATION = re.compile(
    r"^(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*(?:min|m))?$", re.IGNORECASE
)


# ---------------------------------------------------------------- argument types


def when_arg(value: str) -> date | datetime:
    """An ISO 8601 date (all-day) or date and time (local, or with its offset)."""
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _(
                "„{value}“ ist kein Datum nach ISO 8601 (z. B. 2026-12-24, 2026-12-24T14:00 "
                "oder mit Zeitzone 2026-12-24T14:00+01:00)"
            ).format(value=value)
        ) from None


def day_arg(value: str) -> date:
    """An ISO 8601 date (a date and time counts as its day)."""
    parsed = when_arg(value)
    return parsed.date() if isinstance(parsed, datetime) else parsed


def duration_arg(value: str) -> timedelta:
    """An ISO 8601 duration (`PT1H30M`, `P2D`) or a short one (`90m`, `1h30m`, `2d`)."""
    text = value.strip()
    for pattern in (_ISO_DURATION, _SHORT_DURATION):
        m = pattern.match(text)
        if m and any(m.groupdict().values()) and text.upper() not in ("P", "PT"):
            parts = {k: int(v) for k, v in m.groupdict().items() if v}
            return timedelta(
                weeks=parts.get("w", 0),
                days=parts.get("d", 0),
                hours=parts.get("h", 0),
                minutes=parts.get("m", 0),
                seconds=parts.get("s", 0),
            )
    raise argparse.ArgumentTypeError(
        _("„{value}“ ist keine Dauer (z. B. PT1H30M, P2D, 90m, 1h30m oder 2d)").format(value=value)
    )


# ---------------------------------------------------------------- times


def is_day(value: date | datetime) -> bool:
    return not isinstance(value, datetime)


def to_utc(value: datetime) -> datetime:
    """A typed time as the store keeps it: naive UTC (naive input is local time)."""
    from app.store.agenda import local_to_utc

    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return local_to_utc(value)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0))


def day_of(value: date | datetime) -> date:
    """The day of an all-day bound as written (a time of day is dropped)."""
    return value.date() if isinstance(value, datetime) else value


def timed(value: date | datetime, option: str) -> datetime:
    if not isinstance(value, datetime):
        raise CliError(
            _(
                "{option}: der Termin hat eine Uhrzeit, bitte {option} mit Uhrzeit angeben "
                "(z. B. {example}) oder --all-day."
            ).format(option=option, example=f"{value.isoformat()}T10:00"),
            EXIT_USAGE,
        )
    return to_utc(value)


def whole_days(length: timedelta) -> int:
    if length.days < 1 or length % timedelta(days=1):
        raise CliError(
            _("--duration: ein ganztägiger Termin dauert ganze Tage (z. B. P1D oder 3d)."),
            EXIT_USAGE,
        )
    return length.days


def local_day_of_utc(when: datetime, end_of_span: bool = False) -> date:
    """The local day of a stored timed bound (an end at local 00:00 ends the day before)."""
    from app.store.agenda import utc_to_local

    local = utc_to_local(when)
    if end_of_span and local.time() == time(0, 0):
        local -= timedelta(microseconds=1)
    return local.date()


def span_text(start: datetime | None, end: datetime | None, all_day: bool) -> str:
    """`24.12.2026 14:00–15:00`, `24.12.2026 ganztägig`, … (times local, naive), in the
    current language (English: `2026-12-24 14:00–15:00`, `2026-12-24 all day`)."""
    if start is None:
        return _("ohne Beginn")
    end = end or start
    if all_day:
        if end.date() == start.date():
            return _("{day} ganztägig").format(day=format_date(start))
        return _("{first} – {last} ganztägig").format(
            first=format_date(start), last=format_date(end)
        )
    if end.date() == start.date():
        return f"{format_datetime(start)}–{format_time(end)}"
    return f"{format_datetime(start)} – {format_datetime(end)}"


def iso(value: datetime | None, all_day: bool) -> str | None:
    """A local naive time as ISO 8601 with its offset; all-day: the date."""
    if value is None:
        return None
    if all_day:
        return value.date().isoformat()
    return value.astimezone().isoformat(timespec="seconds")


def to_local(value: datetime | None, all_day: bool) -> datetime | None:
    """A stored bound (naive UTC; all-day: a floating midnight) as naive local time."""
    from app.store.agenda import utc_to_local

    if value is None or all_day:
        return value
    return utc_to_local(value)
