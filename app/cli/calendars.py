"""The `calendar …` command group of `contactbox-sync` (CalDAV): `calendar list LABEL` (the
server's calendars and which user each serves), `calendar bind` (a user's appointments to
one calendar), `calendar run|check LABEL [--user]`, and the parser of the whole group with
its `calendar account …` (app/cli/accounts.py, shared with the address book accounts) and
`calendar event …` (app/cli/events.py) subcommands. The calendar jobs
(app/sync/calendar_jobs.py) are imported when a command runs, so start-up stays lean."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.accounts import CALENDARS, calendar_binding_data
from app.cli.common import EXIT_OK, CliError, js, out, run_options
from app.cli.events import add_event_parser
from app.cli.reports import run_job
from app.i18n import _
from app.store.models import Account
from app.store.names import user_display_name


def cmd_calendar_list(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = CALENDARS.get(args.label)
    bound = {b.remote_href: b for b in cj.calendar_bindings(account)}
    data = [
        {
            "name": c.display_name,
            "href": c.href,
            "color": c.color,
            "sync_collection": c.supports_sync_collection,
            "read_only": c.read_only,
            "user": bound[c.href].user.name if c.href in bound else None,
        }
        for c in cj.server_calendars(account)
    ]
    read_only, user = _("nur lesen"), _("Benutzer: {name}")
    lines = [
        f"{d['name']}\t{d['href']}"
        + (f"\t{read_only}" if d["read_only"] else "")
        + (f"\t{user.format(name=user_display_name(str(d['user'])))}" if d["user"] else "")
        for d in data
    ] or [_("Keine Kalender auf dem Server gefunden.")]
    out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_calendar_bind(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = CALENDARS.get(args.label)
    user = cj.get_user(args.user)
    calendars = cj.server_calendars(account)
    if args.create:
        remote = cj.create_calendar(account, args.calendar)
    else:
        remote = cj.find_calendar(calendars, args.calendar)
    b = cj.bind_calendar(account, remote, user, prefer=args.prefer, replace=args.replace)
    if b.prefer == "contactbox":
        said = _(
            "Kalender „{calendar}“ wird mit den Terminen von „{user}“ abgeglichen (bei "
            "Konflikten gewinnt: Contactbox)."
        )
    else:
        said = _(
            "Kalender „{calendar}“ wird mit den Terminen von „{user}“ abgeglichen (bei "
            "Konflikten gewinnt: Server)."
        )
    out(
        args,
        calendar_binding_data(b),
        said.format(calendar=b.remote_name, user=user_display_name(user.name)),
    )
    return EXIT_OK


def _calendar_job_bindings(account: Account, user_name: str | None) -> list[Any]:
    from app.sync import calendar_jobs as cj

    todo = cj.enabled_bindings(account)
    if user_name:
        todo = [b for b in todo if user_name in (b.user.name, user_display_name(b.user.name))]
    if not todo:
        raise CliError(
            _(
                "Für „{account}“ ist kein aktiver Kalender verbunden (siehe „calendar bind“)."
            ).format(account=account.label)
        )
    return todo


def cmd_calendar_run(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = CALENDARS.get(args.label)
    todo = _calendar_job_bindings(account, args.user)
    job = cj.CalendarJob(account, todo, allow_mass_delete=args.allow_mass_delete, trigger="cli")
    return run_job(args, job)


def cmd_calendar_check(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = CALENDARS.get(args.label)
    todo = _calendar_job_bindings(account, args.user)
    return run_job(args, cj.CalendarJob(account, todo, dry_run=True, trigger="cli"))


def add_calendar_parser(sub: Any) -> None:
    """`calendar account|list|bind|run|check|event …`."""
    cal = sub.add_parser(
        "calendar",
        help=_("Termine mit CalDAV-Kalendern abgleichen; Termine anlegen und ändern (event)"),
    )
    csub = cal.add_subparsers(dest="calendar_command", required=True)

    CALENDARS.add_parser(csub)

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
        js(c)
        c.set_defaults(func=func)

    add_event_parser(csub)
