"""The contact editor's birthday conversions (no widgets): the card's ISO date to the text
the field shows, and what the user typed back to the card's form (issue 20).

The field speaks the window's language (QLocale's default, ui/locale_format.py): German
"17.05.1980" and without the year "17.05.", English "5/17/1980" and "5/17". It reads that
short date (one- or two-digit day and month, four-digit year), ISO "1980-05-17" and, without
the year, "05-17" or the card's own "--05-17" — in every language. The card keeps what it
kept before: BDAY "1980-05-17", or "--05-17" without the year.

    birthday_to_text("1980-05-17")   17.05.1980      5/17/1980
    birthday_to_text("--05-17")      17.05.          5/17
    parse_birthday(...)              "17.5.1980", "17.05.", "17.05" (German),
                                     "5/17/1980", "5/17" (English), "1980-05-17",
                                     "05-17", "--05-17" (both) -> "1980-05-17" / "--05-17"
"""

from __future__ import annotations

import re
from datetime import date

from ui.locale_format import date_format, date_text, day_month_format, day_month_text

_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_ISO_NOYEAR_RE = re.compile(r"(?:--)?(\d{1,2})-(\d{1,2})\Z")
_FIELD = re.compile(r"d+|M+|y+|'[^']*'|.", re.DOTALL)

#: A leap year, so that a birthday on 29 February without a year is a date.
_LEAP_YEAR = 2000
EXAMPLE = date(1980, 5, 17)


def _pattern(fmt: str) -> re.Pattern[str]:
    """A regular expression for a Qt date format ("dd.MM.yyyy", "M/d", "dd.MM."): day and
    month of one or two digits, a four-digit year; spaces allowed after a separator, and
    a separator at the end may be left out ("17.05" for "dd.MM.")."""
    parts: list[str] = []
    for field in _FIELD.findall(fmt):
        if field[0] == "d":
            parts.append(r"(?P<day>\d{1,2})")
        elif field[0] == "M":
            parts.append(r"(?P<month>\d{1,2})")
        elif field[0] == "y":
            parts.append(r"(?P<year>\d{4})")
        elif field.isspace():
            parts.append(r"\s*")
        else:
            literal = field.strip("'") if field.startswith("'") else field
            parts.append(re.escape(literal) + r"\s*")
    space = r"\s*"
    if parts and parts[-1].endswith(space) and not parts[-1].startswith("(?P"):
        parts[-1] = "(?:" + parts[-1].removesuffix(space) + ")?"  # "17.05" and "17.05."
    return re.compile("".join(parts) + r"\Z")


def birthday_to_text(value: str) -> str | None:
    """The card's "1980-05-17" / "--05-17" as the field shows it in the window's language;
    None for anything else (the field then shows the card's text as it is)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date_text(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return None
    m = re.fullmatch(r"--(\d{2})-(\d{2})", value)
    if m:
        try:
            return day_month_text(date(_LEAP_YEAR, int(m.group(1)), int(m.group(2))))
        except ValueError:
            return None
    return None


def _day_month_year(text: str) -> tuple[int, int, str | None] | None:
    """(day, month, year or None) of a date in one of the accepted forms."""
    for fmt in (date_format(), day_month_format()):
        m = _pattern(fmt).match(text)
        if m:
            return int(m.group("day")), int(m.group("month")), m.groupdict().get("year")
    m = _ISO_DATE_RE.match(text)
    if m:
        return int(m.group(3)), int(m.group(2)), m.group(1)
    m = _ISO_NOYEAR_RE.match(text)
    if m:
        return int(m.group(2)), int(m.group(1)), None
    return None


def parse_birthday(text: str) -> str | None:
    """The window language's short date (with or without the year) or ISO -> the card's
    "YYYY-MM-DD" / "--MM-DD"; "" if empty, None if it is no date.

    The date must exist (31.02. is refused); without a year 29.02. is allowed.
    """
    s = text.strip()
    if not s:
        return ""
    found = _day_month_year(s)
    if found is None:
        return None
    day, month, year = found
    try:
        date(int(year) if year else _LEAP_YEAR, month, day)
    except ValueError:
        return None
    if year and int(year) < 1:
        return None
    if year:
        return f"{int(year):04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"


def format_hint(fmt: str, day: str, month: str, year: str) -> str:
    """A Qt date format as the user reads it: "dd.MM.yyyy" with "TT", "MM", "JJJJ" ->
    "TT.MM.JJJJ"; "M/d/yyyy" with "DD", "MM", "YYYY" -> "MM/DD/YYYY"."""
    out = []
    for field in _FIELD.findall(fmt):
        letter = field[0]
        if letter == "d":
            out.append(day)
        elif letter == "M":
            out.append(month)
        elif letter == "y":
            out.append(year)
        else:
            out.append(field.strip("'") if field.startswith("'") else field)
    return "".join(out)


def birthday_forms(day: str, month: str, year: str) -> tuple[str, str, str, str]:
    """(form, example, form without the year, example without the year) in the window's
    language: German ("TT.MM.JJJJ", "17.05.1980", "TT.MM.", "17.05."), English
    ("MM/DD/YYYY", "5/17/1980", "MM/DD", "5/17"); `day`, `month`, `year` are the letters
    the language uses ("TT", "MM", "JJJJ")."""
    return (
        format_hint(date_format(), day, month, year),
        date_text(EXAMPLE),
        format_hint(day_month_format(), day, month, year),
        day_month_text(EXAMPLE),
    )
