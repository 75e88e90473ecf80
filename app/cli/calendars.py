"""The `calendar …` command group of `contactbox-sync` (CalDAV) and its parser: `calendar list
LABEL` (the server's calendars and which user each serves), `calendar bind` (a user's
appointments to one calendar), `calendar run|check LABEL [--user]`, with its `calendar
account …` (app/cli/accounts.py, shared with the address book accounts) and `calendar event
…` (app/cli/events.py) subcommands. What the commands do is in app/cli/calendar_commands.py,
imported when one runs (the calendar jobs, app/sync/calendar_jobs.py, only there)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.accounts import add_calendar_account_parser
from app.cli.common import details_option, js, run_options
from app.cli.events import add_event_parser
from app.i18n import _


def cmd_calendar_list(args: argparse.Namespace) -> int:
    from app.cli.calendar_commands import calendar_list

    return calendar_list(args)


def cmd_calendar_bind(args: argparse.Namespace) -> int:
    from app.cli.calendar_commands import calendar_bind

    return calendar_bind(args)


def cmd_calendar_run(args: argparse.Namespace) -> int:
    # The command line's own process: the first calendar's listing request went out before
    # the store opened (app/cli/entry.py, app/sync/head_start.py).
    early = getattr(args, "early_start", None)
    from app.cli.calendar_commands import calendar_run

    return calendar_run(args, early.head if early is not None else None)


def cmd_calendar_check(args: argparse.Namespace) -> int:
    from app.cli.calendar_commands import calendar_check

    return calendar_check(args)


def add_calendar_parser(sub: Any) -> None:
    """`calendar account|list|bind|run|check|event …`."""
    cal = sub.add_parser(
        "calendar",
        help=_("Termine mit CalDAV-Kalendern abgleichen; Termine anlegen und ändern (event)"),
    )
    csub = cal.add_subparsers(dest="calendar_command", required=True)

    add_calendar_account_parser(csub)

    c = csub.add_parser("list", help=_("Kalender auf dem Server"))
    c.add_argument("label")
    js(c)
    c.set_defaults(func=cmd_calendar_list)

    c = csub.add_parser("bind", help=_("Einen Kalender mit den Terminen eines Benutzers verbinden"))
    c.add_argument("label")
    c.add_argument("calendar", help=_("Anzeigename oder Pfad des Kalenders"))
    c.add_argument("--user", required=True, help=_("Contactbox-Benutzer"))
    c.add_argument("--prefer", choices=["server", "contactbox"], default="server",
                   help=_("Wer bei Konflikten gewinnt (Standard: server)"))  # fmt: skip
    c.add_argument("--create", action="store_true", help=_("Kalender auf dem Server anlegen"))
    c.add_argument("--replace", action="store_true", help=_("Bisherigen Kalender ersetzen"))
    js(c)
    c.set_defaults(func=cmd_calendar_bind)

    for name, func in (("run", cmd_calendar_run), ("check", cmd_calendar_check)):
        c = csub.add_parser(
            name,
            help=_("Abgleichen") if name == "run" else _("Prüfen (nichts wird geschrieben)"),
        )
        c.add_argument("label")
        c.add_argument("--user", help=_("Nur den Kalender dieses Contactbox-Benutzers"))
        if name == "run":
            run_options(c)
        details_option(c)
        js(c)
        c.set_defaults(func=func)

    add_event_parser(csub)
