"""`contactbox-sync users …`: the Contactbox users of the Benutzerkonfiguration — `list`,
`add NAME`, `rename NAME NEW`, `remove NAME --yes` and `use NAME` (make it the current user),
what the GUI's page offers, through the same store functions (app/store/users.py: same name
rules, same German messages). Every appointment and follow-up belongs to one user;
`calendar event …` works on the current user unless told otherwise (`find_user` is how it
finds a user named on the command line)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, js, out
from app.store import users
from app.store.models import User


def find_user(ref: str) -> User:
    """The user `ref` names: the exact name, else the name ignoring case, else the number."""
    name = " ".join(ref.split())
    rows = list(User.select().order_by(User.id))
    for matches in (
        [u for u in rows if u.name == name],
        [u for u in rows if str(u.name).casefold() == name.casefold()],
        [u for u in rows if ref.strip().isdigit() and u.id == int(ref)],
    ):
        if len(matches) == 1:
            found: User = matches[0]
            return found
    known = ", ".join(str(u.name) for u in rows) or "keine"
    raise CliError(f"Den Benutzer „{ref}“ gibt es nicht (vorhanden: {known}).")


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


def _info_line(info: users.UserInfo) -> str:
    marks = [m for m, on in (("aktuell", info.is_current), ("Standard", info.is_default)) if on]
    return "\t".join(
        [
            info.name + (f" ({', '.join(marks)})" if marks else ""),
            f"{info.appointments} Termin(e)",
            f"{info.followups} Wiedervorlage(n)",
            f"Kalender: {info.calendar}" if info.calendar else "kein Kalender abgeglichen",
        ]
    )


def _call(change: Callable[[], Any]) -> Any:
    """A store change; its German refusal (`UserError`) becomes the one-line error."""
    try:
        return change()
    except users.UserError as exc:
        raise CliError(str(exc)) from None


def cmd_users(args: argparse.Namespace) -> int:
    action = args.action
    if action == "list":
        infos = users.list_users()
        out(
            args,
            [_info_data(i) for i in infos],
            "\n".join(_info_line(i) for i in infos) or "Keine Benutzer.",
        )
        return EXIT_OK
    if action == "add":
        user_id = _call(lambda: users.add_user(args.name))
        info = users.get_user_info(user_id)
        out(args, _info_data(info), f"Benutzer „{info.name}“ angelegt.")
        return EXIT_OK
    user = find_user(args.name)
    if action == "rename":
        old = str(user.name)
        _call(lambda: users.rename_user(int(user.id), args.new_name))
        info = users.get_user_info(int(user.id))
        out(args, _info_data(info), f"Benutzer „{old}“ heißt jetzt „{info.name}“.")
        return EXIT_OK
    if action == "use":
        users.set_current_user(int(user.id))
        info = users.get_user_info(int(user.id))
        out(args, _info_data(info), f"„{info.name}“ ist jetzt der aktuelle Benutzer.")
        return EXIT_OK
    if action == "remove":
        return _remove(args, user)
    raise CliError(f"Unbekannte Aktion {action}", EXIT_USAGE)


def _remove(args: argparse.Namespace, user: User) -> int:
    """Like the GUI's "Entfernen" after its question: --yes is that answer."""
    info = users.get_user_info(int(user.id))
    if users.user_count() <= 1:
        _call(lambda: users.remove_user(info.id))  # refuses, with the reason
    if not args.yes:
        raise CliError(
            f"„{info.name}“ wird nur mit --yes entfernt: {info.appointments} Termin(e) und "
            f"{info.followups} Wiedervorlage(n) des Benutzers werden in Contactbox gelöscht "
            "(auch seine Termine im Papierkorb), ebenso sein Kalender-Account. Der Kalender "
            "auf dem Server bleibt erhalten.",
            EXIT_USAGE,
        )
    _call(lambda: users.remove_user(info.id))
    current = users.current_user()
    out(
        args,
        {"removed": info.name, "current": str(current.name)},
        f"Benutzer „{info.name}“ entfernt. Aktueller Benutzer: „{current.name}“.",
    )
    return EXIT_OK


def add_users_parser(sub: Any) -> None:
    """`users list|add|rename|remove|use`."""
    us = sub.add_parser(
        "users",
        help="Contactbox-Benutzer (Benutzerkonfiguration): anzeigen, anlegen, umbenennen, "
        "entfernen, aktuellen Benutzer wählen",
        description="Jeder Termin und jede Wiedervorlage gehört einem Benutzer; "
        "„calendar event …“ arbeitet ohne --user mit dem aktuellen Benutzer.",
    )
    usub = us.add_subparsers(dest="action", required=True)
    u = usub.add_parser(
        "list", help="Alle Benutzer mit Terminen, Wiedervorlagen und abgeglichenem Kalender"
    )
    js(u)
    u = usub.add_parser("add", help="Einen Benutzer anlegen")
    u.add_argument("name", help="Name des neuen Benutzers (eindeutig, höchstens 100 Zeichen)")
    js(u)
    u = usub.add_parser("rename", help="Einen Benutzer umbenennen")
    u.add_argument("name", help="Bisheriger Name (oder Nr.)")
    u.add_argument("new_name", metavar="NEU", help="Neuer Name")
    js(u)
    u = usub.add_parser(
        "remove",
        help="Einen Benutzer mit seinen Terminen, Wiedervorlagen und seinem Kalender-Account "
        "entfernen (der Kalender auf dem Server bleibt)",
    )
    u.add_argument("name", help="Name (oder Nr.) des Benutzers")
    u.add_argument("--yes", action="store_true", help="Ja, entfernen (ohne: nur der Hinweis)")
    js(u)
    u = usub.add_parser("use", help="Als aktuellen Benutzer verwenden")
    u.add_argument("name", help="Name (oder Nr.) des Benutzers")
    js(u)
    us.set_defaults(func=cmd_users)
