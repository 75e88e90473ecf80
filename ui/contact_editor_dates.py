"""The contact editor's birthday conversions (no widgets): the card's ISO date to the
German TT.MM.JJJJ the field shows, and what the user typed back to the card's form."""

from __future__ import annotations

import re
from datetime import date

_DE_DATE_RE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.?\s*(\d{4})?\Z")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_ISO_NOYEAR_RE = re.compile(r"--(\d{2})-(\d{2})\Z")


def birthday_to_text(value: str) -> str | None:
    """ "1980-05-17" -> "17.05.1980", "--05-17" -> "17.05."; None for anything else."""
    m = _ISO_DATE_RE.match(value)
    if m:
        return f"{m.group(3)}.{m.group(2)}.{m.group(1)}"
    m = _ISO_NOYEAR_RE.match(value)
    if m:
        return f"{m.group(2)}.{m.group(1)}."
    return None


def parse_birthday(text: str) -> str | None:
    """TT.MM.JJJJ or TT.MM. (also ISO) -> "YYYY-MM-DD" / "--MM-DD"; "" if empty, None if invalid.

    The date must exist (31.02. is refused); without a year 29.02. is allowed.
    """
    s = text.strip()
    if not s:
        return ""
    m = _DE_DATE_RE.match(s)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        iso = _ISO_DATE_RE.match(s)
        noyear = _ISO_NOYEAR_RE.match(s)
        if iso:
            year, month, day = iso.group(1), int(iso.group(2)), int(iso.group(3))
        elif noyear:
            year, month, day = None, int(noyear.group(1)), int(noyear.group(2))
        else:
            return None
    try:
        date(int(year) if year else 2000, month, day)  # 2000: a leap year for 29.02.
    except ValueError:
        return None
    if year and int(year) < 1:
        return None
    if year:
        return f"{int(year):04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"
