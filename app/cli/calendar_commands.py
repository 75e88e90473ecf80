"""What `calendar list|bind|run|check` do (their parser: app/cli/calendars.py), through the
calendar jobs (app/sync/calendar_jobs.py, imported by each command: they need the server)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.account_commands import calendar_binding_data, get_account
from app.cli.common import EXIT_OK, CliError, out
from app.cli.report_commands import run_job
from app.i18n import _
from app.store.models import Account
from app.store.names import names_user, user_display_name

if TYPE_CHECKING:
    from app.sync.head_start import HeadStart


def calendar_list(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = get_account(args.label, "caldav")
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


def calendar_bind(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = get_account(args.label, "caldav")
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
        todo = [b for b in todo if names_user(user_name, b.user.name)]
    if not todo:
        raise CliError(
            _(
                "Für „{account}“ ist kein aktiver Kalender verbunden (siehe „calendar bind“)."
            ).format(account=account.label)
        )
    return todo


def calendar_run(args: argparse.Namespace, head_start: HeadStart | None = None) -> int:
    """`head_start`: the first calendar's session and listing request, started by the
    command line's own process before the store opened (app/sync/head_start.py)."""
    from app.sync import calendar_jobs as cj

    account = get_account(args.label, "caldav")
    todo = _calendar_job_bindings(account, args.user)
    job = cj.CalendarJob(
        account, todo, allow_mass_delete=args.allow_mass_delete, trigger="cli",
        head_start=head_start,
    )  # fmt: skip
    return run_job(args, job)


def calendar_check(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = get_account(args.label, "caldav")
    todo = _calendar_job_bindings(account, args.user)
    return run_job(args, cj.CalendarJob(account, todo, dry_run=True, trigger="cli"))
