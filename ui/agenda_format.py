"""Termine ▸ Agenda: the texts of the agenda, without widgets.

The view modes (`VIEW_DAY`, `VIEW_WEEK`, `VIEW_LIST`), the range above the views
(`range_label`: "KW 49 · 30.11.–6.12.2026"), weekday names and short dates for the day
headers and the list, and the time text and tooltip of an occurrence
(`occurrence_time_text`, `occurrence_tooltip`). ui/agenda_view.py uses them, and so do
the painted views (ui/agenda_canvas.py, ui/agenda_grid.py) and the list
(ui/agenda_list.py).

The strings are in the translation context "AgendaView" (`_tr`), as are those of the
views.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication

from app.store.occurrences import Occurrence

VIEW_DAY = "tag"
VIEW_WEEK = "woche"
VIEW_LIST = "liste"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgendaView", text)


def weekday_name(d: date) -> str:
    names = (_tr("Montag"), _tr("Dienstag"), _tr("Mittwoch"), _tr("Donnerstag"),
             _tr("Freitag"), _tr("Samstag"), _tr("Sonntag"))  # fmt: skip
    return names[d.weekday()]


def weekday_short(d: date) -> str:
    names = (_tr("Mo"), _tr("Di"), _tr("Mi"), _tr("Do"), _tr("Fr"), _tr("Sa"), _tr("So"))
    return names[d.weekday()]


def day_month(d: date) -> str:
    """ "6.12." (no leading zeros, like the range label)."""
    return f"{d.day}.{d.month}."


def range_label(mode: str, first: date, last: date) -> str:
    """ "KW 49 · 30.11.–6.12.2026", "KW 49 · Dienstag, 1.12.2026", "1.12.–30.12.2026"."""
    if mode == VIEW_DAY:
        week = first.isocalendar().week
        return _tr("KW {0} · {1}, {2}{3}").format(
            week, weekday_name(first), day_month(first), first.year
        )
    span = (
        f"{day_month(first)}–{day_month(last)}{last.year}"
        if first.year == last.year
        else f"{day_month(first)}{first.year}–{day_month(last)}{last.year}"
    )
    if mode == VIEW_WEEK:
        return _tr("KW {0} · {1}").format(first.isocalendar().week, span)
    return span


def occurrence_time_text(occ: Occurrence, day: date | None = None) -> str:
    """ "09:00–10:00", "ganztägig", "ab 22:00" / "bis 02:00" on the days of a night event."""
    if occ.all_day:
        return _tr("ganztägig")
    start, end = occ.start, occ.end
    if day is not None and start.date() < day and end.date() > day:
        return _tr("ganztägig")
    if day is not None and start.date() < day:
        return _tr("bis {0}").format(end.strftime("%H:%M"))
    if day is not None and end.date() > day and end != datetime.combine(day, time()) + timedelta(1):
        return _tr("ab {0}").format(start.strftime("%H:%M"))
    if end <= start:
        return start.strftime("%H:%M")
    return f"{start:%H:%M}–{end:%H:%M}"


def occurrence_tooltip(occ: Occurrence) -> str:
    """Full text of an occurrence for tooltips."""
    if occ.all_day:
        last = f" – {occ.end:%d.%m.%Y}" if occ.end.date() != occ.start.date() else ""
        when = _tr("{0}{1} (ganztägig)").format(f"{occ.start:%d.%m.%Y}", last)
    else:
        when = f"{occ.start:%d.%m.%Y %H:%M} – {occ.end:%H:%M}"
    parts = [occ.summary, when]
    parts += [s for s in (occ.location, occ.contact_name) if s]
    if occ.recurring:
        parts.append(_tr("Serientermin") + (_tr(" (verschoben)") if occ.is_exception else ""))
    return "\n".join(parts)
