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
from ui.locale_format import date_text, date_time_text, day_month_text, time_text

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
    """ "6.12." (no leading zeros, like the range label; English "12/6")."""
    return day_month_text(d, padded=False)


def range_label(mode: str, first: date, last: date) -> str:
    """ "KW 49 · 30.11.–6.12.2026", "KW 49 · Dienstag, 1.12.2026", "1.12.–30.12.2026"."""
    if mode == VIEW_DAY:
        week = first.isocalendar().week
        return _tr("KW {0} · {1}, {2}").format(
            week, weekday_name(first), date_text(first, padded=False)
        )
    span = (
        f"{day_month(first)}–{date_text(last, padded=False)}"
        if first.year == last.year
        else f"{date_text(first, padded=False)}–{date_text(last, padded=False)}"
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
        return _tr("bis {0}").format(time_text(end))
    if day is not None and end.date() > day and end != datetime.combine(day, time()) + timedelta(1):
        return _tr("ab {0}").format(time_text(start))
    if end <= start:
        return time_text(start)
    return f"{time_text(start)}–{time_text(end)}"


def occurrence_tooltip(occ: Occurrence) -> str:
    """Full text of an occurrence for tooltips."""
    if occ.all_day:
        last = f" – {date_text(occ.end.date())}" if occ.end.date() != occ.start.date() else ""
        when = _tr("{0}{1} (ganztägig)").format(date_text(occ.start.date()), last)
    else:
        when = f"{date_time_text(occ.start)} – {time_text(occ.end)}"
    parts = [occ.summary, when]
    parts += [s for s in (occ.location, occ.contact_name) if s]
    if occ.recurring:
        parts.append(_tr("Serientermin") + (_tr(" (verschoben)") if occ.is_exception else ""))
    return "\n".join(parts)
