"""The history ("Verlauf") of an appointment: versions, comparison, restore.

The same as `app.store.history` for a "Termin": AppointmentVersion rows (a local edit, a server
update, a conflict's loser, a restore) beside the text Contactbox would upload now
(`calsync.local_text`), and `compare_events` lining up two iCalendar texts field by field
(title, times with their zone, place, description, recurrence, changed occurrences of a series,
attendees, alarms, plus "Weitere Angaben"). Restoring makes the version's whole iCalendar text
the appointment's text (exceptions, alarms, attendees included) and keeps the replaced text as
a "restore" version, so it can be undone; the changed hash makes the next calendar sync upload
it (If-Match), or lose it as a conflict to a newer server edit — then it is in the history
again. No Qt here: the dialog lives in ui/. Labels and texts are in the user's language
(app.i18n; the tables hold German msgids marked with N_()).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app import ical
from app.i18n import N_, _, ngettext
from app.store import calsync
from app.store.contacts import StoreError
from app.store.history import (
    _FOLD_RE,
    OTHER_LABEL,
    FieldDiff,
    VersionRow,
    _label,
    _unescape,
    local_time,
    restored_note,
    unreadable,
    version_rows,
)
from app.store.models import Appointment, AppointmentVersion, database, utcnow

__all__ = [
    "CurrentAppointment",
    "appointment_version_text",
    "appointment_versions",
    "compare_events",
    "current_appointment",
    "restore_appointment_version",
]


@dataclass(frozen=True)
class CurrentAppointment:
    """The current state of an appointment for the history dialog."""

    id: int
    uid: str
    summary: str
    ical: str  # as the calendar sync would upload it now
    in_trash: bool


def _appointment(appointment_id: int) -> Any:
    a = Appointment.get_or_none(Appointment.id == appointment_id)
    if a is None:
        raise StoreError(_("Den Termin Nr. {id} gibt es nicht.").format(id=appointment_id))
    return a


def _summary_of(text: str) -> str:
    try:
        return ical.summarize(text).summary
    except ical.ICalError:
        return ""


def appointment_versions(appointment_id: int) -> list[VersionRow]:
    """The earlier versions of an appointment, newest first (`fn`: their title)."""
    _appointment(appointment_id)
    q = (
        AppointmentVersion.select()
        .where(AppointmentVersion.appointment == appointment_id)
        .order_by(AppointmentVersion.id.desc())
    )
    return version_rows(q, lambda v: str(v.ical), _summary_of)


def current_appointment(appointment_id: int) -> CurrentAppointment:
    """The appointment as it is now; StoreError if it does not exist."""
    a = _appointment(appointment_id)
    try:
        text = calsync.local_text(a)
    except (ical.ICalError, ValueError):
        text = a.ical or ""
    return CurrentAppointment(a.id, a.uid, a.summary, text, a.deleted_at is not None)


def _appointment_version(appointment_id: int, version_id: int) -> Any:
    v = AppointmentVersion.get_or_none(AppointmentVersion.id == version_id)
    if v is None or v.appointment_id != appointment_id:
        raise StoreError(_("Diese Fassung gehört nicht zu diesem Termin."))
    return v


def appointment_version_text(appointment_id: int, version_id: int) -> str:
    """The iCalendar text of one earlier version; StoreError if it is not the appointment's."""
    return str(_appointment_version(appointment_id, version_id).ical)


def restore_appointment_version(appointment_id: int, version_id: int) -> None:
    """Make an earlier version of an appointment current again (undoable, synced next run).

    Refused for an appointment in the trash, for a version of another appointment, for an
    unreadable version and for one with another UID (it would be a different event).
    """
    with database.atomic():
        a = _appointment(appointment_id)
        if a.deleted_at is not None:
            raise StoreError(
                _("Der Termin liegt im Papierkorb. Stellen Sie ihn zuerst wieder her.")
            )
        v = _appointment_version(appointment_id, version_id)
        text = str(v.ical)
        try:
            s = ical.summarize(text)
        except ical.ICalError as e:
            raise StoreError(
                _("Diese Fassung ist kein lesbarer Termin und kann nicht wiederhergestellt werden.")
            ) from e
        uid = a.uid or calsync.derived_uid(a.id, a.created)
        if s.uid and s.uid != uid:
            raise StoreError(
                _(
                    "Diese Fassung gehört zu einem anderen Termin (andere UID) und kann hier "
                    "nicht wiederhergestellt werden."
                )
            )
        current = calsync.local_text(a)
        if ical.normalized_hash(current) == ical.normalized_hash(text):
            return
        AppointmentVersion.create(
            appointment=a,
            ical=current,
            reason="restore",
            note=restored_note(v.created),
        )
        start = calsync.as_db_time(s.start) or a.start
        a.summary = s.summary
        a.start = start
        a.end = calsync.as_db_time(s.end) or start
        a.all_day = s.all_day
        a.location = s.location
        a.notes = s.description
        a.ical = text
        a.modified = utcnow()
        a.save()


# ---------------------------------------------------------------- event comparison

_PARTSTAT = {
    "ACCEPTED": N_("zugesagt"),
    "DECLINED": N_("abgesagt"),
    "TENTATIVE": N_("vorläufig"),
    "NEEDS-ACTION": N_("keine Antwort"),
    "DELEGATED": N_("delegiert"),
}
_EVENT_COVERED = frozenset(
    {
        "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION", "DESCRIPTION", "RRULE",
        "RDATE", "EXDATE", "EXRULE", "ATTENDEE", "ORGANIZER", "UID", "CREATED",
    }
) | ical.HASH_IGNORED  # fmt: skip
_EVENT_OTHER_NAMES = {
    "STATUS": N_("Status"),
    "CLASS": N_("Klassifizierung"),
    "TRANSP": N_("Zeit anzeigen als"),
    "CATEGORIES": N_("Kategorien"),
    "PRIORITY": N_("Priorität"),
    "URL": N_("Webseite"),
    "GEO": N_("Geoposition"),
    "COLOR": N_("Farbe"),
    "ATTACH": N_("Anhang"),
    "CONTACT": N_("Kontakt"),
    "COMMENT": N_("Kommentar"),
    "RESOURCES": N_("Ressourcen"),
}
_TRIGGER_RE = re.compile(r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\Z")


@dataclass
class _EventParts:
    """The master VEVENT's property lines, its alarms, and the exceptions of a series."""

    props: list[tuple[str, str, str]]  # (name, params, value), master only
    alarms: list[str]
    exceptions: list[str]


def _prop_parts(line: str) -> tuple[str, str, str]:
    colon = line.find(":")
    # A ":" inside a quoted parameter value (TZID="a:b") is rare; the value split is display only.
    head, value = (line[:colon], line[colon + 1 :]) if colon >= 0 else (line, "")
    name, _, params = head.partition(";")
    return name.strip().upper(), params.strip(), value


def _event_parts(text: str) -> _EventParts:
    lines = [ln for ln in re.split(r"\r\n|\n|\r", _FOLD_RE.sub("", text)) if ln.strip()]
    parts = _EventParts([], [], [])
    stack: list[str] = []
    current: list[tuple[str, str, str]] = []
    alarms: list[str] = []
    have_master = False
    for line in lines:
        name, params, value = _prop_parts(line)
        if name == "BEGIN":
            stack.append(value.strip().upper())
            if stack == ["VCALENDAR", "VEVENT"]:
                current, alarms = [], []
            continue
        if name == "END":
            if stack == ["VCALENDAR", "VEVENT"]:
                rid = next((v for n, _, v in current if n == "RECURRENCE-ID"), None)
                if rid is None and not have_master:
                    parts.props, parts.alarms = current, sorted(alarms)
                    have_master = True
                elif rid is not None:
                    parts.exceptions.append(_exception_line(rid, current))
            if stack:
                stack.pop()
            continue
        if stack == ["VCALENDAR", "VEVENT"]:
            current.append((name, params, value))
        elif stack == ["VCALENDAR", "VEVENT", "VALARM"] and name == "TRIGGER":
            alarms.append(_trigger(params, value))
    parts.exceptions.sort()
    return parts


def _trigger(params: str, value: str) -> str:
    m = _TRIGGER_RE.fullmatch(value.strip().upper())
    if not m or "VALUE=DATE-TIME" in params.upper():
        return _("Erinnerung: {when}").format(when=value.strip())
    sign, w, d, h, mi, s = m.groups()
    minutes = (int(w or 0) * 7 * 24 * 60 + int(d or 0) * 24 * 60 + int(h or 0) * 60
               + int(mi or 0) + int(s or 0) // 60)  # fmt: skip
    related_end = "RELATED=END" in params.upper()
    if minutes == 0:
        return _("Erinnerung zum Ende") if related_end else _("Erinnerung zu Beginn")
    if minutes % (24 * 60) == 0:
        n = minutes // (24 * 60)
        amount = ngettext("{n} Tag", "{n} Tage", n).format(n=n)
    elif minutes % 60 == 0:
        n = minutes // 60
        amount = ngettext("{n} Stunde", "{n} Stunden", n).format(n=n)
    else:
        amount = ngettext("{n} Minute", "{n} Minuten", minutes).format(n=minutes)
    if sign == "-" and related_end:
        text = _("Erinnerung {amount} vor dem Ende")
    elif sign == "-":
        text = _("Erinnerung {amount} vor Beginn")
    elif related_end:
        text = _("Erinnerung {amount} nach dem Ende")
    else:
        text = _("Erinnerung {amount} nach Beginn")
    return text.format(amount=amount)


def _ical_time(value: str) -> str:
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})\d{2}(Z?))?", value.strip())
    if not m:
        return value.strip()
    y, mo, d, h, mi, z = m.groups()
    if h is None:
        return f"{d}.{mo}.{y}"
    if z:
        return local_time(datetime(int(y), int(mo), int(d), int(h), int(mi)))
    return f"{d}.{mo}.{y} {h}:{mi}"


def _exception_line(rid: str, props: list[tuple[str, str, str]]) -> str:
    values = {n: v for n, _p, v in props}
    summary = _unescape(values.get("SUMMARY", "")).strip()
    start = _ical_time(values.get("DTSTART", ""))
    line = _("Termin vom {date}: {summary}, {start}").format(
        date=_ical_time(rid), summary=summary, start=start
    )
    if values.get("STATUS", "").strip().upper() == "CANCELLED":
        line = _("{line} (abgesagt)").format(line=line)
    return line.replace(", ,", ",")


def _person(params: str, value: str) -> str:
    cn = re.search(r'(?:^|;)CN=("[^"]*"|[^;:]*)', params, re.I)
    name = cn.group(1).strip('"') if cn else ""
    address = re.sub(r"^mailto:", "", value.strip(), flags=re.I)
    return f"{name} <{address}>" if name else address


def _people(props: list[tuple[str, str, str]]) -> str:
    out = []
    for name, params, value in props:
        if name == "ORGANIZER":
            out.append(_("Organisator: {person}").format(person=_person(params, value)))
    for name, params, value in props:
        if name == "ATTENDEE":
            stat = re.search(r"(?:^|;)PARTSTAT=([^;:]*)", params, re.I)
            label = _label(_PARTSTAT, stat.group(1).upper()) if stat else ""
            out.append(_person(params, value) + (f" ({label})" if label else ""))
    return "\n".join(out)


def _recurrence(props: list[tuple[str, str, str]]) -> str:
    labels = {"RRULE": N_("Regel"), "EXRULE": N_("Ausnahmeregel"), "RDATE": N_("Zusätzlich"),
              "EXDATE": N_("Ausgenommen")}  # fmt: skip
    out = []
    for name, _params, value in props:
        if name in labels:
            shown = value.strip()
            if name in ("RDATE", "EXDATE"):
                shown = ", ".join(_ical_time(x) for x in shown.split(","))
            out.append(f"{_(labels[name])}: {shown}")
    return "\n".join(sorted(out))


def _event_time(value: datetime | date | None, all_day: bool, parts: _EventParts, prop: str) -> str:
    """Local time; a time written with a TZID is shown as written, with its zone."""
    if value is None:
        return ""
    if all_day:
        return _("{date} (ganztägig)").format(date=f"{value:%d.%m.%Y}")
    raw = next(((pa, v) for n, pa, v in parts.props if n == prop), None)
    if raw is not None:
        tz = re.search(r'(?:^|;)TZID=("[^"]*"|[^;:]*)', raw[0], re.I)
        if tz:
            return f"{_ical_time(raw[1])} ({tz.group(1).strip(chr(34))})"
    assert isinstance(value, datetime)
    return local_time(value)


def _event_other(props: list[tuple[str, str, str]]) -> list[str]:
    rows = []
    for name, params, value in props:
        if name in _EVENT_COVERED or name == "RECURRENCE-ID":
            continue
        label = _label(_EVENT_OTHER_NAMES, name)
        ptext = f" ({params})" if params else ""
        rows.append(f"{label}{ptext}: {_unescape(value).strip()}")
    return sorted(rows, key=str.casefold)


_EventFields = tuple[ical.EventSummary, _EventParts]

_EVENT_FIELDS: tuple[tuple[str, Callable[[ical.EventSummary, _EventParts], str]], ...] = (
    (N_("Betreff"), lambda s, p: s.summary),
    (N_("Beginn"), lambda s, p: _event_time(s.start, s.all_day, p, "DTSTART")),
    (N_("Ende"), lambda s, p: _event_time(s.end, s.all_day, p, "DTEND")),
    (N_("Ort"), lambda s, p: s.location),
    (N_("Beschreibung"), lambda s, p: s.description),
    (N_("Wiederholung"), lambda s, p: _recurrence(p.props)),
    (N_("Geänderte Termine der Serie"), lambda s, p: "\n".join(p.exceptions)),
    (N_("Teilnehmer"), lambda s, p: _people(p.props)),
    (N_("Erinnerungen"), lambda s, p: "\n".join(p.alarms)),
)


def compare_events(old_text: str, new_text: str) -> list[FieldDiff]:
    """Two iCalendar texts field by field (labels in the user's language), plus
    "Weitere Angaben".

    A text that cannot be read shows empty fields and its raw text under "Weitere Angaben".
    """
    read: list[_EventFields | None] = []
    for text in (old_text, new_text):
        try:
            read.append((ical.summarize(text), _event_parts(text)))
        except ical.ICalError:
            read.append(None)
    old, new = read
    out: list[FieldDiff] = []
    for label, show in _EVENT_FIELDS:
        a = show(*old) if old is not None else ""
        b = show(*new) if new is not None else ""
        out.append(FieldDiff(_(label), a, b, a != b))
    old_other = (
        "\n".join(_event_other(old[1].props))
        if old is not None
        else unreadable(_("Kein lesbarer Termin:"), old_text)
    )
    new_other = (
        "\n".join(_event_other(new[1].props))
        if new is not None
        else unreadable(_("Kein lesbarer Termin:"), new_text)
    )
    out.append(FieldDiff(_(OTHER_LABEL), old_other, new_other, old_other != new_other))
    return out
