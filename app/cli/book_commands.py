"""What the address book commands do (their parser: app/cli/books.py): `books LABEL`,
`check` and `run` of one book, `sync LABEL` and `binding enable|disable|remove`. Imported
when one of them runs, with the network and sync code they need."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.accounts import open_session
from app.cli.account_commands import get_account
from app.cli.common import EXIT_OK, CliError, out
from app.cli.report_commands import run_job
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

if TYPE_CHECKING:
    from app.sync.head_start import HeadStart


def books(args: argparse.Namespace) -> int:
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
        for o in book_overview(get_account(args.label, "carddav"))
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
    from app.dav.discovery import discover_books, probe_book  # (a bound book needs neither)

    with open_session(account) as session:
        if ref.startswith("/") and (book := probe_book(session, ref)) is not None:
            return book  # a path to a book: one request instead of the whole discovery
        return find_book(discover_books(session), ref)


def check(args: argparse.Namespace) -> int:
    account = get_account(args.label, "carddav")
    mode = Mode.parse(args.mode, args.option)
    remote = _server_book(account, args.book)
    binding = transient_binding(account, remote, mode, args.local_book)
    return run_job(args, AccountJob(account, [binding], dry_run=True, trigger="cli"))


def run(args: argparse.Namespace, head_start: HeadStart | None = None) -> int:
    """`head_start`: a bound book's session and first listing request, started by the
    command line's own process before the store opened (app/sync/head_start.py)."""
    account = get_account(args.label, "carddav")
    mode = Mode.parse(args.mode, args.option)
    remote = _server_book(account, args.book)
    # The binding is saved by the run itself, under the sync lock: a refused run binds nothing.
    job = AccountJob(
        account,
        [],
        pending=[PendingBinding(remote, mode, args.local_book)],
        allow_mass_delete=args.allow_mass_delete,
        trigger="cli",
        head_start=head_start,
    )
    return run_job(args, job)


def sync(args: argparse.Namespace, head_start: HeadStart | None = None) -> int:
    """`head_start`: the run's session and first listing request, started by the command
    line's own process before this module loaded (app/sync/head_start.py)."""
    account = get_account(args.label, "carddav")
    todo = continuing_bindings(account)
    if not todo:
        raise CliError(
            _(
                "Für „{label}“ ist keine OneWay- oder Synchronisations-Verbindung "
                "eingerichtet (siehe „run“)."
            ).format(label=account.label)
        )
    job = AccountJob(
        account,
        todo,
        allow_mass_delete=args.allow_mass_delete,
        trigger="cli",
        head_start=head_start,
    )
    return run_job(args, job)


def binding(args: argparse.Namespace) -> int:
    account = get_account(args.label, "carddav")
    from app.dav.discovery import discover_books

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
