"""The address book commands of `contactbox-sync` (CardDAV): `books LABEL` (the server's
address books with their counts), `check` and `run` of one book (`--book`, `--mode`,
`--option`; `run` binds it, under the sync lock, in the same run), `sync LABEL` (every
OneWay/sync binding of an account) and `binding enable|disable|remove`. A run's report and
exit code come from app/cli/reports.py, shared with the calendar commands."""

from __future__ import annotations

import argparse
from typing import Any

from app.accounts import open_session
from app.cli.accounts import BOOKS
from app.cli.common import EXIT_OK, CliError, js, out, progress_help, run_options
from app.cli.reports import run_job
from app.dav.discovery import discover_books, probe_book
from app.dav.model import RemoteBook
from app.i18n import _
from app.store.models import Account
from app.sync.jobs import (
    AccountJob,
    JobError,
    PendingBinding,
    book_overview,
    continuing_bindings,
    find_binding,
    find_book,
    remove_binding,
    set_binding_enabled,
    transient_binding,
)
from app.sync.modes import Mode


def cmd_books(args: argparse.Namespace) -> int:
    data = [
        {
            "name": o.remote.display_name,
            "href": o.remote.href,
            "server_count": o.server_count,
            "local_count": o.local_count,
            "local_book": o.binding.local_book if o.binding else None,
            "mode": o.binding.operation if o.binding else None,
            "option": o.binding.option if o.binding else None,
            "enabled": o.binding.enabled if o.binding else None,
            "read_only": o.remote.read_only,
        }
        for o in book_overview(BOOKS.get(args.label))
    ]
    lines = [
        "\t".join(
            [
                str(d["name"]),
                str(d["href"]),
                _("Server: {n}").format(n=d["server_count"]),
                _("Contactbox: {n}").format(n=d["local_count"]),
                *([_("nur lesen")] if d["read_only"] else []),
            ]
        )
        for d in data
    ] or [_("Keine Adressbücher auf dem Server gefunden.")]
    out(args, data, "\n".join(lines))
    return EXIT_OK


def _server_book(account: Account, ref: str) -> Any:
    """The server book `ref` names: a book already bound is known without asking the
    server (saves discovery's requests on every run); any other book is discovered."""
    known = [
        RemoteBook(
            href=b.remote_href,
            display_name=b.remote_name,
            supports_sync_collection=b.supports_sync,
            vcard_versions=tuple(v for v in b.vcard_versions.split(",") if v),
            read_only=b.read_only,
        )
        for b in account.bindings
    ]
    try:
        return find_book(known, ref)
    except JobError:
        pass
    with open_session(account) as session:
        if ref.startswith("/") and (book := probe_book(session, ref)) is not None:
            return book  # a path to a book: one request instead of the whole discovery
        return find_book(discover_books(session), ref)


def cmd_check(args: argparse.Namespace) -> int:
    account = BOOKS.get(args.label)
    mode = Mode.parse(args.mode, args.option)
    remote = _server_book(account, args.book)
    binding = transient_binding(account, remote, mode, args.local_book)
    return run_job(args, AccountJob(account, [binding], dry_run=True, trigger="cli"))


def cmd_run(args: argparse.Namespace) -> int:
    account = BOOKS.get(args.label)
    mode = Mode.parse(args.mode, args.option)
    remote = _server_book(account, args.book)
    # The binding is saved by the run itself, under the sync lock: a refused run binds nothing.
    job = AccountJob(
        account,
        [],
        pending=[PendingBinding(remote, mode, args.local_book)],
        allow_mass_delete=args.allow_mass_delete,
        trigger="cli",
    )
    return run_job(args, job)


def cmd_sync(args: argparse.Namespace) -> int:
    account = BOOKS.get(args.label)
    todo = continuing_bindings(account)
    if not todo:
        raise CliError(
            _(
                "Für „{label}“ ist keine OneWay- oder Synchronisations-Verbindung "
                "eingerichtet (siehe „run“)."
            ).format(label=account.label)
        )
    job = AccountJob(account, todo, allow_mass_delete=args.allow_mass_delete, trigger="cli")
    return run_job(args, job)


def cmd_binding(args: argparse.Namespace) -> int:
    account = BOOKS.get(args.label)
    with open_session(account) as session:
        remote = find_book(discover_books(session), args.book)
    binding = find_binding(account, remote.href)
    if binding is None:
        raise CliError(_("„{book}“ ist nicht mit Contactbox verbunden.").format(book=args.book))
    if args.action == "remove":
        remove_binding(binding.id)
        msg = _("„{book}“ wird nicht mehr abgeglichen; die Kontakte bleiben.")
    elif args.action == "enable":
        set_binding_enabled(binding.id, True)
        msg = _("„{book}“: aktiviert.")
    else:
        set_binding_enabled(binding.id, False)
        msg = _("„{book}“: deaktiviert.")
    msg = msg.format(book=remote.display_name)
    out(args, {"book": remote.display_name, "action": args.action}, msg)
    return EXIT_OK


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
