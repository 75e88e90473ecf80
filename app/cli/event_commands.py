"""What `contactbox-sync calendar event add|list|edit|delete` do (their parser and what
they mean: app/cli/events.py), through the store functions the GUI's agenda and appointment
dialog use (app/store/agenda.py, app/store/occurrences.py, app/store/appointment_trash.py,
imported where they are used)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, out
from app.cli.event_times import (
    DEFAULT_RANGE_DAYS,
    day_of,
    is_day,
    iso,
    local_day_of_utc,
    midnight,
    span_text,
    timed,
    to_local,
    to_utc,
    whole_days,
)
from app.cli.user_commands import find_user
from app.i18n import N_, _, format_number, ngettext
from app.store.models import Appointment, CalendarBinding, User
from app.store.names import user_display_name

#: A new timed appointment without --end/--duration lasts as long as the dialog's default.
DEFAULT_LENGTH = timedelta(hours=1)


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
        named = _("„{name}“ ({path})")
        known = ", ".join(
            named.format(name=b.remote_name, path=b.remote_href) for b in bindings
        ) or _("keiner")
        raise CliError(
            _(
                "Mit einem Kalender „{calendar}“ ist kein Benutzer verbunden (verbunden: "
                "{known}; siehe „calendar bind“)."
            ).format(calendar=ref, known=known)
        )
    if len(found) > 1:
        whose = _("{path} – Benutzer „{user}“")
        which = "; ".join(
            whose.format(path=b.remote_href, user=user_display_name(b.user.name)) for b in found
        )
        raise CliError(
            _(
                "Mehrere Kalender heißen „{calendar}“ ({which}); bitte den Pfad oder --user "
                "angeben."
            ).format(calendar=ref, which=which)
        )
    user: User = found[0].user
    return user


# ---------------------------------------------------------------- appointments


def _uid(a: Appointment) -> str:
    """The UID the appointment has on the server, or will be uploaded with."""
    from app.store.calsync import derived_uid

    return str(a.uid) if a.uid else derived_uid(a.id, a.created)


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
                f"{span_text(to_local(a.start, a.all_day), to_local(a.end, a.all_day), a.all_day)}"
                f" UID {_uid(a)}"
                for a in found
            )
            ambiguous = ngettext(
                "„{ref}“ ist mehrdeutig ({n} Termin: {listed}); bitte die UID angeben.",
                "„{ref}“ ist mehrdeutig ({n} Termine: {listed}); bitte die UID angeben.",
                len(found),
            )
            raise CliError(ambiguous.format(ref=ref, n=format_number(len(found)), listed=listed))
    raise CliError(
        _("Kein Termin „{ref}“ bei „{user}“ gefunden.").format(
            ref=ref, user=user_display_name(user.name)
        )
    )


def _data(a: Appointment, user: User) -> dict[str, Any]:
    from app import ical

    all_day = bool(a.all_day)
    start = to_local(a.start, all_day)
    end = to_local(a.end if a.end is not None else a.start, all_day)
    return {
        "id": int(a.id),
        "uid": _uid(a),
        "user": str(user.name),
        "summary": a.summary,
        "start": iso(start, all_day),
        "end": iso(end, all_day),
        "all_day": all_day,
        "location": a.location or "",
        "description": a.notes or "",
        "recurring": ical.is_recurring(a.ical),
        "exception": False,
    }


def _line(d: dict[str, Any], start: datetime | None, end: datetime | None) -> str:
    line = f"{span_text(start, end, d['all_day'])}\t{d['summary']}\t{d['uid']}"
    if d["recurring"]:
        line += "\t" + (_("Serie (geändert)") if d["exception"] else _("Serie"))
    if d["location"]:
        line += "\t" + _("Ort: {location}").format(location=d["location"])
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
        first = day_of(start_arg)
        if args.end is not None:
            last = day_of(args.end)
        elif args.duration is not None:
            last = first + timedelta(days=whole_days(args.duration) - 1)
        else:
            last = first
        start, end = midnight(first), midnight(last)
    else:
        start = to_utc(start_arg)
        if args.end is not None:
            end = timed(args.end, "--end")
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
    when = span_text(to_local(a.start, all_day), to_local(a.end, all_day), all_day)
    said = _("Termin „{summary}“ für „{user}“ angelegt ({when}, UID {uid}).")
    out(
        args,
        d,
        said.format(summary=a.summary, user=user_display_name(user.name), when=when, uid=d["uid"]),
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
        all_day = bool(args.all_day) or is_day(args.start)
    else:
        all_day = bool(args.all_day) or was_all_day
    if all_day:
        if args.start is not None:
            first = day_of(args.start)
        elif was_all_day:
            first = old_start.date()
        else:
            first = local_day_of_utc(old_start)
        if args.end is not None:
            last = day_of(args.end)
        elif args.duration is not None:
            last = first + timedelta(days=whole_days(args.duration) - 1)
        elif was_all_day:
            last = first + (old_end.date() - old_start.date())  # moved along, same days
        elif args.start is None:
            last = max(first, local_day_of_utc(old_end, end_of_span=old_end > old_start))
        else:
            last = first
        return {"start": midnight(first), "end": midnight(last), "all_day": True}
    # Timed: --start has a time, or the appointment had one (an all-day one stays all-day
    # unless --start gives a time).
    start = to_utc(args.start) if isinstance(args.start, datetime) else old_start
    if args.end is not None:
        end = timed(args.end, "--end")
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
            _(
                "Nichts zu ändern: bitte --summary, --start, --end, --duration, --all-day, "
                "--location oder --description angeben."
            ),
            EXIT_USAGE,
        )
    agenda.update_appointment(int(a.id), **fields)
    a = _reload(a)
    said = _("Termin „{summary}“ geändert (UID {uid}).")
    out(args, _data(a, user), said.format(summary=a.summary, uid=_uid(a)))
    return EXIT_OK


def _delete(args: argparse.Namespace, user: User) -> int:
    from app.store import agenda

    a = _find(user, args.ref)
    d = _data(a, user)
    agenda.delete_appointment(int(a.id))
    bound = CalendarBinding.get_or_none(CalendarBinding.user == user) is not None
    text = _("Termin „{summary}“ in den Papierkorb verschoben.").format(summary=a.summary)
    if bound and a.uid:
        text += " " + _("Der nächste Kalenderabgleich löscht ihn auch auf dem Server.")
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
            rows.append((d, to_local(a.start, all_day), to_local(end, all_day)))
    else:
        first = args.from_day or utc_to_local(datetime.now(UTC).replace(tzinfo=None)).date()
        last = args.to_day or first + timedelta(days=DEFAULT_RANGE_DAYS)
        if last < first:
            raise CliError(_("--to liegt vor --from."), EXIT_USAGE)
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
                start=iso(o.start, o.all_day),
                end=iso(o.end, o.all_day),
                all_day=o.all_day,
                recurring=o.recurring,
                exception=o.is_exception,
            )
            rows.append((d, o.start, o.end))
    out(
        args,
        [d for d, _s, _e in rows],
        "\n".join(_line(d, s, e) for d, s, e in rows)
        or _("Keine Termine bei „{user}“.").format(user=user_display_name(user.name)),
    )
    return EXIT_OK


def _list_trash(args: argparse.Namespace, user: User) -> int:
    """The trash as the GUI's Papierkorb shows it: who deleted it, what the server has.
    The JSON's `status_de` stays German (its name says so; scripts read it); the text says
    it in the current language."""
    from app.store import appointment_trash as trash

    status_de = {
        trash.PENDING: N_("wird beim nächsten Abgleich auch auf dem Server gelöscht"),
        trash.DELETED_ON_SERVER: N_("auch auf dem Server gelöscht"),
        trash.LOCAL_ONLY: N_("war nie auf dem Server"),
        trash.FROM_SERVER: N_("vom Abgleich in den Papierkorb gelegt"),
        trash.NO_SYNC: N_("kein Kalenderabgleich eingerichtet"),
    }
    by_server = _("gelöscht auf dem Server: {status}")
    by_contactbox = _("gelöscht in Contactbox: {status}")
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
        deleted = by_server if t.deleted_by == "server" else by_contactbox
        status = d["status_de"]
        line = _line(d, to_local(t.start, t.all_day), to_local(t.end, t.all_day))
        lines.append(f"{line}\t{deleted.format(status=_(status))}")
    empty = _("Der Papierkorb von „{user}“ ist leer.").format(user=user_display_name(user.name))
    out(args, data, "\n".join(lines) or empty)
    return EXIT_OK


def event(args: argparse.Namespace) -> int:
    user = _owner(args)
    commands: dict[str, Callable[[argparse.Namespace, User], int]] = {
        "add": _add,
        "list": _list,
        "edit": _edit,
        "delete": _delete,
    }
    return commands[args.action](args, user)
