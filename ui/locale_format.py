"""Dates, times and numbers as the window's language writes them (issue 20).

The locale is QLocale's default, which ui/app.install_translations sets for the chosen
language: German "06.12.2026 09:00", English "12/6/2026 9:00 AM". The formats come from
the locale's short formats, always with the year in four digits; German gives exactly the
texts the window showed before ("06.12.2026", "06.12.", "6.12.2026", "09:00").

    date_text(d)                 06.12.2026      12/6/2026
    date_text(d, padded=False)   6.12.2026       12/6/2026
    day_month_text(d)            06.12.          12/6
    time_text(t)                 09:05           9:05 AM
    date_time_text(dt)           06.12.2026 09:05   12/6/2026 9:05 AM
    number_text(n)               1.234.567       1,234,567

Only naive local datetimes are formatted here; `local(dt)` turns a stored naive-UTC time
into one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime

_YEAR_AT_END = re.compile(r"[^dM]*y+$")
_YEAR_AT_START = re.compile(r"^y+[^dM]*")


def date_format(*, padded: bool = True) -> str:
    """The locale's short date format with a four-digit year ("dd.MM.yyyy", "M/d/yyyy")."""
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    if not padded:
        fmt = fmt.replace("dd", "d").replace("MM", "M")
    return fmt


def time_format(*, seconds: bool = False) -> str:
    """The locale's short time format ("HH:mm", "h:mm AP"); with seconds if asked."""
    fmt = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
    if seconds and "ss" not in fmt:
        fmt = fmt.replace("mm", "mm:ss", 1)
    return fmt


def day_month_format(*, padded: bool = True) -> str:
    """The short date format without the year: German "dd.MM." (the dot stays), English
    "M/d", Swedish "MM-dd"."""
    fmt = date_format(padded=padded)
    if fmt.endswith(".yyyy"):
        return fmt[: -len("yyyy")]
    return _YEAR_AT_START.sub("", _YEAR_AT_END.sub("", fmt))


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def date_text(d: date, *, padded: bool = True) -> str:
    return QLocale().toString(_qdate(d), date_format(padded=padded))


def day_month_text(d: date, *, padded: bool = True) -> str:
    return QLocale().toString(_qdate(d), day_month_format(padded=padded))


def time_text(t: time | datetime, *, seconds: bool = False) -> str:
    qtime = QTime(t.hour, t.minute, t.second if seconds else 0)
    return QLocale().toString(qtime, time_format(seconds=seconds))


def date_time_text(dt: datetime, *, seconds: bool = False) -> str:
    return f"{date_text(dt.date())} {time_text(dt, seconds=seconds)}"


def local(value: datetime) -> datetime:
    """A stored time (naive UTC, or aware) as naive local time."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone().replace(tzinfo=None)


def number_text(n: int) -> str:
    """A count with the locale's digit grouping ("1.234" / "1,234")."""
    return QLocale().toString(n)
