"""Which fields differ between two versions of an appointment: `event_changes(old, new)`.

The appointments' counterpart of `app.vcard.changes.field_changes`, with the same shape: one
`FieldChange` (label as a German msgid marked with N_(), old and new readable value) per field
of the master VEVENT that differs, in a fixed order: Titel, Beginn, Ende, Ort, Beschreibung,
Wiederholung. Times are shown in local time in the language of the moment ("06.12.2026 14:05";
an all-day appointment by its dates). Values are cut at `MAX_VALUE` characters. An object that
cannot be read (or is no event) gives no changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NamedTuple

from app.i18n import N_, _, format_date, format_datetime, ngettext
from app.ical.parse import ICalError
from app.ical.summary import EventSummary, summarize

MAX_VALUE = 200


class FieldChange(NamedTuple):
    """One field that differs: its label (German msgid), the old and the new value."""

    name: str
    old: str
    new: str


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return format_datetime(aware.astimezone().replace(tzinfo=None))
    return format_date(value)


def _repeats(s: EventSummary) -> str:
    if not s.recurring:
        return ""
    if not s.exceptions:
        return _("Serie")
    return ngettext(
        "Serie, {n} geänderter Termin", "Serie, {n} geänderte Termine", s.exceptions
    ).format(n=s.exceptions)


def _cut(value: str) -> str:
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"


_FIELDS: tuple[tuple[str, Callable[[EventSummary], str]], ...] = (
    (N_("Titel"), lambda s: s.summary),
    (N_("Beginn"), lambda s: _when(s.start)),
    (N_("Ende"), lambda s: _when(s.end)),
    (N_("Ort"), lambda s: s.location),
    (N_("Beschreibung"), lambda s: s.description),
    (N_("Wiederholung"), _repeats),
)


def event_changes(old: str, new: str) -> list[FieldChange]:
    """The fields that differ between two versions of an appointment (see the docstring)."""
    try:
        a, b = summarize(old), summarize(new)
    except (ICalError, ValueError):  # NotAnEvent is an ICalError
        return []
    out = []
    for label, show in _FIELDS:
        va, vb = show(a), show(b)
        if va != vb:
            out.append(FieldChange(label, _cut(va), _cut(vb)))
    return out
