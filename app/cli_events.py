"""`contactbox-sync calendar event …`: a user's appointments ("Termine") — add, list, edit,
delete — as the GUI's agenda and appointment dialog make them.

The same store functions as the GUI (app/store/agenda.py add/update/delete, app/store/
occurrences.py for a range, app/store/appointment_trash.py for the trash), so the next
`calendar run` uploads, changes or deletes the event on the server like any change made in
the window; a deletion goes to the trash first.

Whose appointments: `--user NAME`, or `--calendar NAME` (the server calendar a user's
appointments are bound to: display name or path), else the current user (`users use`).

REF names one live appointment of that user: its number, its UID (also the UID a
never-synced appointment will be uploaded with), or its exact title (ignoring case);
several matches are refused with the candidates.

Times. Input is ISO 8601: `2026-12-24` (a date: all-day), `2026-12-24T14:00` (local time of
this computer), `2026-12-24T14:00+01:00` / `…Z` (that offset). An all-day appointment's
`--end` is its *last* day (inclusive), as in the dialog. Output: timed appointments in
local time with the UTC offset (`2026-12-24T14:00:00+01:00`), all-day ones as dates.
Part of the public interface of app/cli.py, which dispatches here.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.cli_common import EXIT_OK, EXIT_USAGE, CliError, out
from app.cli_users import find_user
from app.store.models import Appointment, CalendarBinding, User

# The agenda's modules (app.store.agenda, .occurrences, .appointment_trash, app.ical) are
# imported where they are used, like app/cli.py's calendar commands: start-up stays lean.

#: Without --to, a range ends this many days after --from (inclusive).
DEFAULT_RANGE_DAYS = 30
#: A new timed appointment without --end/--duration lasts as long as the dialog's default.
DEFAULT_LENGTH = timedelta(hours=1)

_ISO_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$",
    re.IGNORECASE,
)
_SHORT_DURATION = re.compile(
    r"^(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*(?:min|m))?$", re.IGNORECASE
)
_SERIES_MARKERS = ("RRULE", "RDATE", "RECURRENCE-ID")


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
            f"„{value}“ ist kein Datum nach ISO 8601 (z. B. 2026-12-24, 2026-12-24T14:00 "
            "oder mit Zeitzone 2026-12-24T14:00+01:00)"
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
        f"„{value}“ ist keine Dauer (z. B. PT1H30M, P2D, 90m, 1h30m oder 2d)"
    )


# ---------------------------------------------------------------- times


def _is_day(value: date | datetime) -> bool:
    return not isinstance(value, datetime)


def _utc(value: datetime) -> datetime:
    """A typed time as the store keeps it: naive UTC (naive input is local time)."""
    from app.store.agenda import local_to_utc

    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return local_to_utc(value)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0))


def _day_of(value: date | datetime) -> date:
    """The day of an all-day bound as written (a time of day is dropped)."""
    return value.date() if isinstance(value, datetime) else value


def _timed(value: date | datetime, option: str) -> datetime:
    if not isinstance(value, datetime):
        raise CliError(
            f"{option}: der Termin hat eine Uhrzeit, bitte {option} mit Uhrzeit angeben "
            f"(z. B. {value.isoformat()}T10:00) oder --all-day.",
            EXIT_USAGE,
        )
    return _utc(value)


def _whole_days(length: timedelta) -> int:
    if length.days < 1 or length % timedelta(days=1):
        raise CliError(
            "--duration: ein ganztägiger Termin dauert ganze Tage (z. B. P1D oder 3d).",
            EXIT_USAGE,
        )
    return length.days


def _local_day_of_utc(when: datetime, end_of_span: bool = False) -> date:
    """The local day of a stored timed bound (an end at local 00:00 ends the day before)."""
    from app.store.agenda import utc_to_local

    local = utc_to_local(when)
    if end_of_span and local.time() == time(0, 0):
        local -= timedelta(microseconds=1)
    return local.date()


def _span_text(start: datetime | None, end: datetime | None, all_day: bool) -> str:
    """`2026-12-24 14:00–15:00`, `2026-12-24 ganztägig`, … (times local, naive)."""
    if start is None:
        return "ohne Beginn"
    end = end or start
    if all_day:
        if end.date() == start.date():
            return f"{start:%Y-%m-%d} ganztägig"
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d} ganztägig"
    if end.date() == start.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def _iso(value: datetime | None, all_day: bool) -> str | None:
    """A local naive time as ISO 8601 with its offset; all-day: the date."""
    if value is None:
        return None
    if all_day:
        return value.date().isoformat()
    return value.astimezone().isoformat(timespec="seconds")


def _local(value: datetime | None, all_day: bool) -> datetime | None:
    """A stored bound (naive UTC; all-day: a floating midnight) as naive local time."""
    from app.store.agenda import utc_to_local

    if value is None or all_day:
        return value
    return utc_to_local(value)


# ---------------------------------------------------------------- whose appointments


def _owner(args: argparse.Namespace) -> User:
    """--user, --calendar (the user bound to that server calendar) or the current user."""
    if getattr(args, "user", None):
        return find_user(args.user)
    ref = getattr(args, "calendar", None)
    if not ref:
        from app.store.users import current_user

        return current_user()
    from app.dav.xml import same_href

    bindings = list(CalendarBinding.select().order_by(CalendarBinding.id))
    found = [b for b in bindings if b.remote_name == ref] or [
        b for b in bindings if ref.startswith("/") and same_href(b.remote_href, ref)
    ]
    if not found:
        known = ", ".join(f"„{b.remote_name}“ ({b.remote_href})" for b in bindings) or "keiner"
        raise CliError(
            f"Mit einem Kalender „{ref}“ ist kein Benutzer verbunden (verbunden: {known}; "
            "siehe „calendar bind“)."
        )
    if len(found) > 1:
        which = "; ".join(f"{b.remote_href} – Benutzer „{b.user.name}“" for b in found)
        raise CliError(
            f"Mehrere Kalender heißen „{ref}“ ({which}); bitte den Pfad oder --user angeben."
        )
    user: User = found[0].user
    return user


# ---------------------------------------------------------------- appointments


def _uid(a: Appointment) -> str:
    """The UID the appointment has on the server, or will be uploaded with."""
    from app.store.calsync import derived_uid

    return str(a.uid) if a.uid else derived_uid(a.id, a.created)


def _is_series(text: str | None) -> bool:
    from app import ical

    if not text or not any(marker in text for marker in _SERIES_MARKERS):
        return False
    try:
        return ical.summarize(text).recurring
    except ical.ICalError:
        return False


def _live(user: User) -> Any:
    return (Appointment.user == user) & Appointment.deleted_at.is_null()


def _find(user: User, ref: str) -> Appointment:
    """The one live appointment REF names (number, UID, exact title ignoring case)."""
    rows = list(Appointment.select().where(_live(user)).order_by(Appointment.start, Appointment.id))
    text = ref.strip()
    candidates: Iterable[list[Appointment]] = (
        [a for a in rows if text.isdigit() and a.id == int(text)],
        [a for a in rows if _uid(a) == text],
        [a for a in rows if str(a.summary).casefold() == text.casefold()],
    )
    for found in candidates:
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(
                f"{_span_text(_local(a.start, a.all_day), _local(a.end, a.all_day), a.all_day)}"
                f" UID {_uid(a)}"
                for a in found
            )
            raise CliError(
                f"„{ref}“ ist mehrdeutig ({len(found)} Termine: {listed}); bitte die UID angeben."
            )
    raise CliError(f"Kein Termin „{ref}“ bei „{user.name}“ gefunden.")


def _data(a: Appointment, user: User) -> dict[str, Any]:
    all_day = bool(a.all_day)
    start = _local(a.start, all_day)
    end = _local(a.end if a.end is not None else a.start, all_day)
    return {
        "id": int(a.id),
        "uid": _uid(a),
        "user": str(user.name),
        "summary": a.summary,
        "start": _iso(start, all_day),
        "end": _iso(end, all_day),
        "all_day": all_day,
        "location": a.location or "",
        "description": a.notes or "",
        "recurring": _is_series(a.ical),
        "exception": False,
    }


def _line(d: dict[str, Any], start: datetime | None, end: datetime | None) -> str:
    line = f"{_span_text(start, end, d['all_day'])}\t{d['summary']}\t{d['uid']}"
    if d["recurring"]:
        line += "\tSerie" + (" (geändert)" if d["exception"] else "")
    if d["location"]:
        line += f"\tOrt: {d['location']}"
    return line


def _reload(a: Appointment) -> Appointment:
    found: Appointment = Appointment.get_by_id(a.id)
    return found


# ---------------------------------------------------------------- commands


def _add(args: argparse.Namespace, user: User) -> int:
    from app.store import agenda

    start_arg: date | datetime = args.start
    all_day = bool(args.all_day) or not isinstance(start_arg, datetime)
    if all_day or not isinstance(start_arg, datetime):  # (the second: for mypy)
        first = _day_of(start_arg)
        if args.end is not None:
            last = _day_of(args.end)
        elif args.duration is not None:
            last = first + timedelta(days=_whole_days(args.duration) - 1)
        else:
            last = first
        start, end = _midnight(first), _midnight(last)
    else:
        start = _utc(start_arg)
        if args.end is not None:
            end = _timed(args.end, "--end")
        else:
            end = start + (args.duration if args.duration is not None else DEFAULT_LENGTH)
    appointment_id = agenda.add_appointment(
        None,
        args.summary,
        start,
        end,
        all_day,
        location=args.location or "",
        notes=args.description or "",
        user=user,
    )
    a = Appointment.get_by_id(appointment_id)
    d = _data(a, user)
    when = _span_text(_local(a.start, all_day), _local(a.end, all_day), all_day)
    out(
        args,
        d,
        f"Termin „{a.summary}“ für „{user.name}“ angelegt ({when}, UID {d['uid']}).",
    )
    return EXIT_OK


def _edited_times(args: argparse.Namespace, a: Appointment) -> dict[str, Any]:
    """start/end/all_day after --start/--end/--duration/--all-day (only those given)."""
    if args.start is None and args.end is None and args.duration is None and not args.all_day:
        return {}
    was_all_day = bool(a.all_day)
    old_start: datetime = a.start or a.created
    old_end: datetime = a.end if a.end is not None else old_start
    if args.start is not None:
        all_day = bool(args.all_day) or _is_day(args.start)
    else:
        all_day = bool(args.all_day) or was_all_day
    if all_day:
        if args.start is not None:
            first = _day_of(args.start)
        elif was_all_day:
            first = old_start.date()
        else:
            first = _local_day_of_utc(old_start)
        if args.end is not None:
            last = _day_of(args.end)
        elif args.duration is not None:
            last = first + timedelta(days=_whole_days(args.duration) - 1)
        elif was_all_day:
            last = first + (old_end.date() - old_start.date())  # moved along, same days
        elif args.start is None:
            last = max(first, _local_day_of_utc(old_end, end_of_span=old_end > old_start))
        else:
            last = first
        return {"start": _midnight(first), "end": _midnight(last), "all_day": True}
    # Timed: --start has a time, or the appointment had one (an all-day one stays all-day
    # unless --start gives a time).
    start = _utc(args.start) if isinstance(args.start, datetime) else old_start
    if args.end is not None:
        end = _timed(args.end, "--end")
    elif args.duration is not None:
        end = start + args.duration
    elif was_all_day:
        end = start + DEFAULT_LENGTH
    else:
        end = start + (old_end - old_start)  # moving the start keeps the length, as the dialog
    return {"start": start, "end": end, "all_day": False}


def _edit(args: argparse.Namespace, user: User) -> int:
    from app.store import agenda

    a = _find(user, args.ref)
    fields = _edited_times(args, a)
    if args.summary is not None:
        fields["summary"] = args.summary
    if args.location is not None:
        fields["location"] = args.location
    if args.description is not None:
        fields["notes"] = args.description
    if not fields:
        raise CliError(
            "Nichts zu ändern: bitte --summary, --start, --end, --duration, --all-day, "
            "--location oder --description angeben.",
            EXIT_USAGE,
        )
    agenda.update_appointment(int(a.id), **fields)
    a = _reload(a)
    out(args, _data(a, user), f"Termin „{a.summary}“ geändert (UID {_uid(a)}).")
    return EXIT_OK


def _delete(args: argparse.Namespace, user: User) -> int:
    from app.store import agenda

    a = _find(user, args.ref)
    d = _data(a, user)
    agenda.delete_appointment(int(a.id))
    bound = CalendarBinding.get_or_none(CalendarBinding.user == user) is not None
    text = f"Termin „{a.summary}“ in den Papierkorb verschoben."
    if bound and a.uid:
        text += " Der nächste Kalenderabgleich löscht ihn auch auf dem Server."
    out(args, {**d, "trashed": True}, text)
    return EXIT_OK


def _list(args: argparse.Namespace, user: User) -> int:
    from app.store.agenda import utc_to_local
    from app.store.occurrences import occurrences

    if args.trash:
        return _list_trash(args, user)
    rows: list[tuple[dict[str, Any], datetime | None, datetime | None]] = []
    if args.from_day is None and args.to_day is None:
        for a in (
            Appointment.select().where(_live(user)).order_by(Appointment.start, Appointment.id)
        ):
            d = _data(a, user)
            all_day = bool(a.all_day)
            end = a.end if a.end is not None else a.start
            rows.append((d, _local(a.start, all_day), _local(end, all_day)))
    else:
        first = args.from_day or utc_to_local(datetime.now(UTC).replace(tzinfo=None)).date()
        last = args.to_day or first + timedelta(days=DEFAULT_RANGE_DAYS)
        if last < first:
            raise CliError("--to liegt vor --from.", EXIT_USAGE)
        found = occurrences(first, last, user=user)
        by_id = {
            int(a.id): a
            for a in Appointment.select().where(
                Appointment.id.in_({o.appointment_id for o in found})
            )
        }
        for o in found:
            d = _data(by_id[o.appointment_id], user)
            d.update(
                summary=o.summary,
                location=o.location,
                start=_iso(o.start, o.all_day),
                end=_iso(o.end, o.all_day),
                all_day=o.all_day,
                recurring=o.recurring,
                exception=o.is_exception,
            )
            rows.append((d, o.start, o.end))
    out(
        args,
        [d for d, _s, _e in rows],
        "\n".join(_line(d, s, e) for d, s, e in rows) or f"Keine Termine bei „{user.name}“.",
    )
    return EXIT_OK


def _list_trash(args: argparse.Namespace, user: User) -> int:
    """The trash as the GUI's Papierkorb shows it: who deleted it, what the server has."""
    from app.store import appointment_trash as trash

    status_de = {
        trash.PENDING: "wird beim nächsten Abgleich auch auf dem Server gelöscht",
        trash.DELETED_ON_SERVER: "auch auf dem Server gelöscht",
        trash.LOCAL_ONLY: "war nie auf dem Server",
        trash.FROM_SERVER: "vom Abgleich in den Papierkorb gelegt",
        trash.NO_SYNC: "kein Kalenderabgleich eingerichtet",
    }
    found = trash.trashed_appointments(user)
    by_id = {
        int(a.id): a for a in Appointment.select().where(Appointment.id.in_({t.id for t in found}))
    }
    data, lines = [], []
    for t in found:
        d = _data(by_id[t.id], user)
        d.update(
            deleted_at=t.deleted_at.replace(tzinfo=UTC).isoformat(timespec="seconds"),
            deleted_by=t.deleted_by,
            status=t.status,
            status_de=status_de.get(t.status, t.status),
        )
        data.append(d)
        who = "Server" if t.deleted_by == "server" else "Contactbox"
        line = _line(d, _local(t.start, t.all_day), _local(t.end, t.all_day))
        lines.append(f"{line}	gelöscht in {who}: {d['status_de']}")
    out(args, data, "\n".join(lines) or f"Der Papierkorb von „{user.name}“ ist leer.")
    return EXIT_OK


def cmd_event(args: argparse.Namespace) -> int:
    user = _owner(args)
    commands: dict[str, Callable[[argparse.Namespace, User], int]] = {
        "add": _add,
        "list": _list,
        "edit": _edit,
        "delete": _delete,
    }
    return commands[args.action](args, user)


# ---------------------------------------------------------------- parser


def _owner_arguments(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group()
    who.add_argument("--user", help="Contactbox-Benutzer (sonst der aktuelle Benutzer)")
    who.add_argument(
        "--calendar",
        help="Der Kalender (Anzeigename oder Pfad), mit dem die Termine eines Benutzers "
        "verbunden sind – statt --user",
    )


def _time_arguments(p: argparse.ArgumentParser, *, new: bool) -> None:
    p.add_argument(
        "--start",
        type=when_arg,
        required=new,
        help="Beginn nach ISO 8601: 2026-12-24 (ganztägig), 2026-12-24T14:00 (Ortszeit "
        "dieses Computers) oder 2026-12-24T14:00+01:00 / …Z",
    )
    length = p.add_mutually_exclusive_group()
    length.add_argument(
        "--end",
        type=when_arg,
        help="Ende (ISO 8601); bei ganztägigen Terminen der letzte Tag, einschließlich",
    )
    length.add_argument(
        "--duration",
        type=duration_arg,
        help="Dauer statt --end: PT1H30M, P2D, 90m, 1h30m, 2d"
        + (" (ohne beides: 1 Stunde bzw. 1 Tag)" if new else ""),
    )
    p.add_argument(
        "--all-day",
        action="store_true",
        help="Ganztägig (nur die Tage zählen); ein Datum ohne Uhrzeit bei --start ist es "
        "von selbst",
    )


def add_event_parser(csub: Any, js: Callable[[argparse.ArgumentParser], None]) -> None:
    """`calendar event add|list|edit|delete` (REF and options in any order)."""
    ev = csub.add_parser(
        "event",
        help="Termine eines Benutzers anlegen, anzeigen, ändern, löschen "
        "(der nächste „calendar run“ gleicht sie ab)",
        description="Termine wie im Terminplaner. Zeiten nach ISO 8601; ohne Zeitzone gilt "
        "die Ortszeit dieses Computers. REF: Nr., UID oder der genaue Betreff.",
    )
    esub = ev.add_subparsers(dest="action", required=True)

    e = esub.add_parser("add", help="Einen Termin anlegen")
    _owner_arguments(e)
    e.add_argument("--summary", required=True, help="Betreff")
    _time_arguments(e, new=True)
    e.add_argument("--location", help="Ort")
    e.add_argument("--description", help="Beschreibung (Notizen)")
    js(e)

    e = esub.add_parser(
        "list",
        help="Termine mit UID, Beginn, Ende, Betreff; mit --from/--to die Vorkommen im "
        "Zeitraum (Serien aufgelöst)",
    )
    _owner_arguments(e)
    e.add_argument(
        "--from",
        dest="from_day",
        type=day_arg,
        help="Erster Tag (ISO 8601; ohne: heute, wenn --to angegeben)",
    )
    e.add_argument(
        "--to",
        dest="to_day",
        type=day_arg,
        help=f"Letzter Tag, einschließlich (ohne: {DEFAULT_RANGE_DAYS} Tage nach --from)",
    )
    e.add_argument("--trash", action="store_true", help="Die Termine im Papierkorb")
    js(e)

    e = esub.add_parser(
        "edit",
        help="Einen Termin ändern (nur die angegebenen Felder; eine Serie als Ganzes)",
    )
    e.add_argument("ref", metavar="REF", help="Nr., UID oder Betreff des Termins")
    _owner_arguments(e)
    e.add_argument("--summary", help="Neuer Betreff")
    _time_arguments(e, new=False)
    e.add_argument("--location", help='Ort ("" = keiner)')
    e.add_argument("--description", help='Beschreibung ("" = keine)')
    js(e)

    e = esub.add_parser(
        "delete",
        help="Einen Termin in den Papierkorb verschieben (der nächste „calendar run“ löscht "
        "ihn auf dem Server)",
    )
    e.add_argument("ref", metavar="REF", help="Nr., UID oder Betreff des Termins")
    _owner_arguments(e)
    js(e)
    ev.set_defaults(func=cmd_event)
