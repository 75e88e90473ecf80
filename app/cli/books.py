"""The address book commands of `contactbox-sync` (CardDAV) and their parser: `books LABEL`
(the server's address books with their counts), `check` and `run` of one book (`--book`,
`--mode`, `--option`; `run` binds it, under the sync lock, in the same run), `sync LABEL`
(every OneWay/sync binding of an account) and `binding enable|disable|remove`. What they do
is in app/cli/book_commands.py, imported when one runs (the parser loads no network, store
or sync code); a run's report and exit code come from app/cli/report_commands.py."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import details_option, js, progress_help, run_options
from app.i18n import _


def cmd_books(args: argparse.Namespace) -> int:
    from app.cli.book_commands import books

    return books(args)


def cmd_check(args: argparse.Namespace) -> int:
    from app.cli.book_commands import check

    return check(args)


def cmd_run(args: argparse.Namespace) -> int:
    # The command line's own process: a bound book's listing request went out before the
    # store opened (app/cli/entry.py, app/sync/head_start.py).
    early = getattr(args, "early_start", None)
    from app.cli.book_commands import run

    return run(args, early.head if early is not None else None)


def cmd_sync(args: argparse.Namespace) -> int:
    if not getattr(args, "own_process", False):  # (in-process callers: the plain run)
        from app.cli.book_commands import sync

        return sync(args)
    # The command line's own process: the listing request went out before the store
    # opened (app/cli/entry.py), or goes out now, before the sync code loads, which then
    # loads while the server answers (app/sync/head_start.py).
    early = getattr(args, "early_start", None)
    if early is not None and early.decided:
        from app.cli.book_commands import sync

        return sync(args, early.head)
    from app.sync.head_start import head_start

    with head_start(args.label) as ahead:
        from app.cli.book_commands import sync

        return sync(args, ahead)


def cmd_binding(args: argparse.Namespace) -> int:
    from app.cli.book_commands import binding

    return binding(args)


def add_books_parser(sub: Any) -> None:
    """`books`, `check`, `run` and `sync`."""
    b = sub.add_parser("books", help=_("Adressbücher auf dem Server"))
    b.add_argument("label", help=_("Name des Accounts in Contactbox"))
    js(b)
    b.set_defaults(func=cmd_books)

    for name, func in (("check", cmd_check), ("run", cmd_run)):
        c = sub.add_parser(
            name,
            help=_("Prüfen (nichts wird geschrieben)")
            if name == "check"
            else _("Verbinden und abgleichen"),
        )
        c.add_argument("label", help=_("Name des Accounts in Contactbox"))
        c.add_argument(
            "--book", required=True, help=_("Anzeigename oder Pfad des Server-Adressbuchs")
        )
        c.add_argument(
            "--mode",
            required=True,
            choices=["import", "oneway", "sync"],
            help=_(
                "import = einmalig importieren, oneway = OneWay-Synchronisation "
                "(Contactbox → Server), sync = Synchronisation in beide Richtungen"
            ),
        )
        c.add_argument(
            "--option",
            choices=["add", "update", "recreate", "contactbox", "server"],
            help=_(
                "bei import: add = ergänzen (ohne --option), update = aktualisieren, "
                "recreate = neu anlegen; bei sync: server (ohne --option) bzw. contactbox = "
                "wo die aktuelleren Daten liegen, recreate = neu anlegen"
            ),
        )
        c.add_argument(
            "--local-book", help=_("Adressbuch in Contactbox (sonst wie auf dem Server)")
        )
        if name == "run":
            run_options(c)
        details_option(c)
        js(c)
        c.set_defaults(func=func)

    s = sub.add_parser(
        "sync", help=_("Alle aktiven OneWay-/Synchronisations-Adressbücher abgleichen")
    )
    s.add_argument("label", help=_("Name des Accounts in Contactbox"))
    s.add_argument(
        "--allow-mass-delete",
        action="store_true",
        help=_("Löschungen trotz Massenlöschungs-Schutz ausführen"),
    )
    s.add_argument("--progress", action="store_true", help=progress_help())
    details_option(s)
    js(s)
    s.set_defaults(func=cmd_sync)


def add_binding_parser(sub: Any) -> None:
    """`binding enable|disable|remove LABEL --book B`."""
    bd = sub.add_parser(
        "binding", help=_("Ein verbundenes Adressbuch aktivieren/deaktivieren/entfernen")
    )
    bd.add_argument("action", choices=["enable", "disable", "remove"])
    bd.add_argument("label", help=_("Name des Accounts in Contactbox"))
    bd.add_argument("--book", required=True, help=_("Anzeigename oder Pfad des Server-Adressbuchs"))
    js(bd)
    bd.set_defaults(func=cmd_binding)
