"""What `contactbox-sync users …` does (its parser: app/cli/users.py), through the same
store functions as the GUI's Benutzerkonfiguration (app/store/users.py: same name rules,
same messages, in the chosen language); `find_user` is how a user named on the command line
is found (also by `calendar event …`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, out
from app.i18n import _, ngettext
from app.store import users
from app.store.models import User


def find_user(ref: str) -> User:
    """The user `ref` names: the exact name, else the name ignoring case, else the number."""
    name = " ".join(ref.split())
    rows = list(User.select().order_by(User.id))
    for matches in (
        [u for u in rows if u.name == name],
        [u for u in rows if str(u.name).casefold() == name.casefold()],
        [u for u in rows if users.display_name(str(u.name)).casefold() == name.casefold()],
        [u for u in rows if ref.strip().isdigit() and u.id == int(ref)],
    ):
        if len(matches) == 1:
            found: User = matches[0]
            return found
    known = ", ".join(users.display_name(str(u.name)) for u in rows) or _("keine")
    raise CliError(
        _("Den Benutzer „{ref}“ gibt es nicht (vorhanden: {known}).").format(ref=ref, known=known)
    )


def _info_data(info: users.UserInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": info.name,
        "current": info.is_current,
        "default": info.is_default,
        "appointments": info.appointments,
        "followups": info.followups,
        "calendar": info.calendar or None,
    }


def _appointments(n: int) -> str:
    return ngettext("{n} Termin", "{n} Termine", n).format(n=n)


def _followups(n: int) -> str:
    return ngettext("{n} Wiedervorlage", "{n} Wiedervorlagen", n).format(n=n)


def _info_line(info: users.UserInfo) -> str:
    shown = users.display_name(info.name)
    if info.is_current and info.is_default:
        name = _("{name} (aktuell, Standard)").format(name=shown)
    elif info.is_current:
        name = _("{name} (aktuell)").format(name=shown)
    elif info.is_default:
        name = _("{name} (Standard)").format(name=shown)
    else:
        name = shown
    return "\t".join(
        [
            name,
            _appointments(info.appointments),
            _followups(info.followups),
            _("Kalender: {name}").format(name=info.calendar)
            if info.calendar
            else _("kein Kalender abgeglichen"),
        ]
    )


def _call(change: Callable[[], Any]) -> Any:
    """A store change; its refusal (`UserError`) becomes the one-line error."""
    try:
        return change()
    except users.UserError as exc:
        raise CliError(str(exc)) from None


def users_command(args: argparse.Namespace) -> int:
    action = args.action
    if action == "list":
        infos = users.list_users()
        out(
            args,
            [_info_data(i) for i in infos],
            "\n".join(_info_line(i) for i in infos) or _("Keine Benutzer."),
        )
        return EXIT_OK
    if action == "add":
        user_id = _call(lambda: users.add_user(args.name))
        info = users.get_user_info(user_id)
        out(
            args,
            _info_data(info),
            _("Benutzer „{name}“ angelegt.").format(name=users.display_name(info.name)),
        )
        return EXIT_OK
    user = find_user(args.name)
    if action == "rename":
        old = str(user.name)
        _call(lambda: users.rename_user(int(user.id), args.new_name))
        info = users.get_user_info(int(user.id))
        out(
            args,
            _info_data(info),
            _("Benutzer „{old}“ heißt jetzt „{name}“.").format(
                old=users.display_name(old), name=users.display_name(info.name)
            ),
        )
        return EXIT_OK
    if action == "use":
        users.set_current_user(int(user.id))
        info = users.get_user_info(int(user.id))
        out(
            args,
            _info_data(info),
            _("„{name}“ ist jetzt der aktuelle Benutzer.").format(
                name=users.display_name(info.name)
            ),
        )
        return EXIT_OK
    if action == "remove":
        return _remove(args, user)
    raise CliError(_("Unbekannte Aktion {action}").format(action=action), EXIT_USAGE)


def _remove(args: argparse.Namespace, user: User) -> int:
    """Like the GUI's "Entfernen" after its question: --yes is that answer."""
    info = users.get_user_info(int(user.id))
    if users.user_count() <= 1:
        _call(lambda: users.remove_user(info.id))  # refuses, with the reason
    if not args.yes:
        raise CliError(
            _(
                "„{name}“ wird nur mit --yes entfernt: {appointments} und {followups} des "
                "Benutzers werden in Contactbox gelöscht (auch seine Termine im Papierkorb), "
                "ebenso sein Kalender-Account. Der Kalender auf dem Server bleibt erhalten."
            ).format(
                name=users.display_name(info.name),
                appointments=_appointments(info.appointments),
                followups=_followups(info.followups),
            ),
            EXIT_USAGE,
        )
    _call(lambda: users.remove_user(info.id))
    current = users.current_user()
    out(
        args,
        {"removed": info.name, "current": str(current.name)},
        _("Benutzer „{name}“ entfernt. Aktueller Benutzer: „{current}“.").format(
            name=users.display_name(info.name), current=users.display_name(current.name)
        ),
    )
    return EXIT_OK
