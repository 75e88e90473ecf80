"""`contactbox-sync users …` and its parser: the Contactbox users of the
Benutzerkonfiguration — `list`, `add NAME`, `rename NAME NEW`, `remove NAME --yes` and `use
NAME` (make it the current user), what the GUI's page offers. Every appointment and
follow-up belongs to one user; `calendar event …` works on the current user unless told
otherwise. What the commands do is in app/cli/user_commands.py, imported when one runs."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import js
from app.i18n import _


def cmd_users(args: argparse.Namespace) -> int:
    from app.cli.user_commands import users_command

    return users_command(args)


def add_users_parser(sub: Any) -> None:
    """`users list|add|rename|remove|use`."""
    us = sub.add_parser(
        "users",
        help=_(
            "Contactbox-Benutzer (Benutzerkonfiguration): anzeigen, anlegen, umbenennen, "
            "entfernen, aktuellen Benutzer wählen"
        ),
        description=_(
            "Jeder Termin und jede Wiedervorlage gehört einem Benutzer; "
            "„calendar event …“ arbeitet ohne --user mit dem aktuellen Benutzer."
        ),
    )
    usub = us.add_subparsers(dest="action", required=True)
    u = usub.add_parser(
        "list", help=_("Alle Benutzer mit Terminen, Wiedervorlagen und abgeglichenem Kalender")
    )
    js(u)
    u = usub.add_parser("add", help=_("Einen Benutzer anlegen"))
    u.add_argument("name", help=_("Name des neuen Benutzers (eindeutig, höchstens 100 Zeichen)"))
    js(u)
    u = usub.add_parser("rename", help=_("Einen Benutzer umbenennen"))
    u.add_argument("name", help=_("Bisheriger Name (oder Nr.)"))
    # Translators: the placeholder of the new name in `users rename --help` (one word, capitals).
    u.add_argument("new_name", metavar=_("NEU"), help=_("Neuer Name"))
    js(u)
    u = usub.add_parser(
        "remove",
        help=_(
            "Einen Benutzer mit seinen Terminen, Wiedervorlagen und seinem Kalender-Account "
            "entfernen (der Kalender auf dem Server bleibt)"
        ),
    )
    u.add_argument("name", help=_("Name (oder Nr.) des Benutzers"))
    u.add_argument("--yes", action="store_true", help=_("Ja, entfernen (ohne: nur der Hinweis)"))
    js(u)
    u = usub.add_parser("use", help=_("Als aktuellen Benutzer verwenden"))
    u.add_argument("name", help=_("Name (oder Nr.) des Benutzers"))
    js(u)
    us.set_defaults(func=cmd_users)
