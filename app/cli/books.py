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
from app.cli.common import EXIT_OK, PROGRESS_HELP, CliError, js, out, run_options
from app.cli.reports import run_job
from app.dav.discovery import discover_books, probe_book
from app.dav.model import RemoteBook
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
        f"{d['name']}\t{d['href']}\tServer: {d['server_count']}\tContactbox: {d['local_count']}"
        + ("\tnur lesen" if d["read_only"] else "")
        for d in data
    ] or ["Keine Adressbücher auf dem Server gefunden."]
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
            f"Für „{account.label}“ ist keine OneWay- oder Synchronisations-Verbindung "
            "eingerichtet (siehe „run“)."
        )
    job = AccountJob(account, todo, allow_mass_delete=args.allow_mass_delete, trigger="cli")
    return run_job(args, job)


def cmd_binding(args: argparse.Namespace) -> int:
    account = BOOKS.get(args.label)
    with open_session(account) as session:
        remote = find_book(discover_books(session), args.book)
    binding = find_binding(account, remote.href)
    if binding is None:
        raise CliError(f"„{args.book}“ ist nicht mit Contactbox verbunden.")
    if args.action == "remove":
        remove_binding(binding.id)
        msg = f"„{remote.display_name}“ wird nicht mehr abgeglichen; die Kontakte bleiben."
    else:
        set_binding_enabled(binding.id, args.action == "enable")
        msg = (
            f"„{remote.display_name}“: {'aktiviert' if args.action == 'enable' else 'deaktiviert'}."
        )
    out(args, {"book": remote.display_name, "action": args.action}, msg)
    return EXIT_OK


def add_books_parser(sub: Any) -> None:
    """`books`, `check`, `run` and `sync`."""
    b = sub.add_parser("books", help="Adressbücher auf dem Server")
    b.add_argument("label")
    js(b)
    b.set_defaults(func=cmd_books)

    for name, func in (("check", cmd_check), ("run", cmd_run)):
        c = sub.add_parser(
            name,
            help="Prüfen (nichts wird geschrieben)"
            if name == "check"
            else "Verbinden und abgleichen",
        )
        c.add_argument("label")
        c.add_argument("--book", required=True, help="Anzeigename oder Pfad des Server-Adressbuchs")
        c.add_argument("--mode", required=True, choices=["import", "oneway", "sync"])
        c.add_argument("--option", choices=["add", "update", "recreate", "contactbox", "server"])
        c.add_argument("--local-book", help="Adressbuch in Contactbox (sonst wie auf dem Server)")
        if name == "run":
            run_options(c)
        js(c)
        c.set_defaults(func=func)

    s = sub.add_parser("sync", help="Alle aktiven OneWay-/Synchronisations-Adressbücher abgleichen")
    s.add_argument("label")
    s.add_argument("--allow-mass-delete", action="store_true")
    s.add_argument("--progress", action="store_true", help=PROGRESS_HELP)
    js(s)
    s.set_defaults(func=cmd_sync)


def add_binding_parser(sub: Any) -> None:
    """`binding enable|disable|remove LABEL --book B`."""
    bd = sub.add_parser(
        "binding", help="Ein verbundenes Adressbuch aktivieren/deaktivieren/entfernen"
    )
    bd.add_argument("action", choices=["enable", "disable", "remove"])
    bd.add_argument("label")
    bd.add_argument("--book", required=True)
    js(bd)
    bd.set_defaults(func=cmd_binding)
