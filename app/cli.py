"""`contactbox-sync`: the headless face of the core, for scripts and benchmarks.

A public interface: commands and JSON field names stay stable. Exit codes:
0 success, 1 failure (one-line message on stderr), 2 wrong usage, 3 finished with item
errors, 4 deletions held back by the mass-deletion guard (rerun with --allow-mass-delete),
5 another sync with this database is running (nothing was done; app/store/lock.py).
Never imports Qt, so start-up stays lean.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from app import __version__, secrets, vcard
from app.accounts import (
    AccountError,
    add_account,
    check_account,
    get_account,
    list_accounts,
    open_session,
    remove_account,
)
from app.cli_common import (
    EXIT_FAIL,
    EXIT_GUARDED,
    EXIT_ITEM_ERRORS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
)
from app.cli_common import out as _out
from app.cli_contacts import NEEDS_REF, add_contacts_parser
from app.cli_events import add_event_parser
from app.cli_users import add_users_parser
from app.dav.discovery import check_connection, discover_books, probe_book
from app.dav.errors import DavError
from app.dav.model import RemoteBook
from app.dav.session import plain_http_warning
from app.paths import data_home, database_path
from app.secrets import NO_STORE_MESSAGE, NoPasswordStore, SecretError
from app.store import contacts as cstore
from app.store.backups import MANUAL as MANUAL_BACKUP
from app.store.backups import (
    Backup,
    BackupError,
    backup_database,
    delete_backup,
    find_backup,
    list_backups,
    restore_backup,
)
from app.store.db import DamagedDatabaseError, DatabaseError, open_database
from app.store.models import Account
from app.store.reports import list_reports, load_report
from app.sync.jobs import (
    AccountJob,
    JobError,
    PendingBinding,
    book_overview,
    continuing_bindings,
    find_binding,
    find_book,
    list_bindings,
    remove_binding,
    set_binding_enabled,
    transient_binding,
)
from app.sync.modes import Mode
from app.sync.report import RunReport, format_text

# ---------------------------------------------------------------- accounts


#: The password --password-stdin read, while main() runs. It goes to one account only:
#: the one `account add` / `calendar account add` creates (through `_password`), or the
#: existing account the command names (`_stdin_account`, for this call only).
_stdin_password: str | None = None


def _password() -> str:
    """The password of the account being added: --password-stdin, $CONTACTBOX_PASSWORD,
    else a prompt in the terminal."""
    pw = _stdin_password or os.environ.get("CONTACTBOX_PASSWORD")
    if pw is not None:
        return pw
    if not sys.stdin.isatty():
        raise CliError("Kein Passwort: bitte CONTACTBOX_PASSWORD setzen oder im Terminal eingeben.")
    return getpass.getpass("Passwort: ")


def _warn_plain_http(url: str) -> None:
    """A warning line on stderr for an http:// address of another computer."""
    warning = plain_http_warning(url)
    if warning:
        print(f"contactbox-sync: Warnung: {warning}", file=sys.stderr)


def _trust_hint(message: str, fingerprint: str | None) -> str:
    """The TLS message plus how to trust the certificate from the command line."""
    if not fingerprint:
        return message
    if fingerprint not in message:
        message += f" SHA-256-Fingerabdruck: {fingerprint}."
    return message + f" Zum Vertrauen: --trust-fingerprint {fingerprint}"


def _plain_http_only(url: str, http_url: str) -> str:
    """`--url` without a scheme: https did not connect, but http:// answers (never taken
    silently; the user writes http:// if they want it)."""
    return (
        f"Eine verschlüsselte Verbindung (https) kam nicht zustande, aber unter {http_url} "
        "antwortet der Server unverschlüsselt. Ohne Verschlüsselung gehen Passwort und "
        "Kontakte lesbar durch das Netzwerk; deshalb wird nicht von selbst unverschlüsselt "
        "verbunden. Wenn Sie das wollen, schreiben Sie http:// ausdrücklich: "
        f"--url http://{url.strip()}"
    )


def cmd_account_add(args: argparse.Namespace) -> int:
    password = _password()
    if not args.no_check:
        result = check_connection(
            args.url,
            args.port,
            args.path or "",
            args.preset,
            args.user,
            password,
            args.trust_fingerprint,
        )
        if not result.ok and result.plain_http_url:
            raise CliError(_plain_http_only(args.url, result.plain_http_url))
        if not result.ok:
            raise CliError(_trust_hint(result.message, result.fingerprint))
    account = add_account(
        args.label,
        server=args.url,
        username=args.user,
        password=password,
        port=args.port,
        path=args.path or "",
        preset=args.preset,
        interval_minutes=args.interval,
        pinned_sha256=args.trust_fingerprint,
    )
    _warn_plain_http(account.base_url)
    _out(
        args,
        {"label": account.label, "base_url": account.base_url},
        f"Account „{account.label}“ angelegt ({account.base_url}).",
    )
    return EXIT_OK


def cmd_account_list(args: argparse.Namespace) -> int:
    rows = list_accounts()
    data: list[dict[str, Any]] = [
        {
            "label": a.label,
            "user": a.username,
            "url": a.base_url,
            "enabled": a.enabled,
            "interval_minutes": a.interval_minutes,
            "books": [
                {
                    "name": b.remote_name,
                    "href": b.remote_href,
                    "local_book": b.local_book,
                    "mode": b.operation,
                    "option": b.option,
                    "enabled": b.enabled,
                    "last_sync": b.last_sync.isoformat(timespec="seconds") if b.last_sync else None,
                }
                for b in list_bindings(get_account(a.label))
            ],
        }
        for a in rows
    ]
    lines = [
        f"{a['label']}\t{a['user']}\t{a['url']}\t{'an' if a['enabled'] else 'aus'}"
        f"\t{a['interval_minutes']} Min.\t{len(a['books'])} Adressbücher"
        for a in data
    ] or ["Keine Accounts eingerichtet."]
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_account_check(args: argparse.Namespace) -> int:
    account = get_account(args.label)
    _warn_plain_http(account.base_url)
    result = check_account(account)
    data = {
        "ok": result.ok,
        "message": result.message,
        "url": result.base_url,
        "fingerprint": result.fingerprint,
        "books": [{"name": b.display_name, "href": b.href} for b in result.books],
    }
    _out(
        args,
        data,
        result.message
        + (f"\nSHA-256-Fingerabdruck: {result.fingerprint}" if result.fingerprint else ""),
    )
    return EXIT_OK if result.ok else EXIT_FAIL


def cmd_account_remove(args: argparse.Namespace) -> int:
    account = get_account(args.label)
    remove_account(account)
    _out(
        args,
        {"removed": args.label},
        f"Account „{args.label}“ entfernt. Die Kontakte in Contactbox bleiben erhalten.",
    )
    return EXIT_OK


def cmd_account_set(args: argparse.Namespace) -> int:
    account = get_account(args.label)
    if args.enabled is not None:
        account.enabled = args.enabled == "on"
    if args.interval is not None:
        account.interval_minutes = args.interval
    if args.trust_fingerprint is not None:
        # "" forgets the trusted certificate (normal verification again).
        account.pinned_sha256 = args.trust_fingerprint or None
    account.save()
    _out(
        args,
        {
            "label": account.label,
            "enabled": account.enabled,
            "interval_minutes": account.interval_minutes,
        },
        f"Account „{account.label}“: {'an' if account.enabled else 'aus'}, "
        f"Importintervall {account.interval_minutes} Min.",
    )
    return EXIT_OK


# ---------------------------------------------------------------- server books


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
        for o in book_overview(get_account(args.label))
    ]
    lines = [
        f"{d['name']}\t{d['href']}\tServer: {d['server_count']}\tContactbox: {d['local_count']}"
        + ("\tnur lesen" if d["read_only"] else "")
        for d in data
    ] or ["Keine Adressbücher auf dem Server gefunden."]
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def _report_exit(report: RunReport) -> int:
    if report.error_kind == "locked":
        return EXIT_LOCKED
    if report.status == "failed":
        return EXIT_FAIL
    if any(b.guarded for b in report.books) and report.kind == "run":
        return EXIT_GUARDED
    if report.status == "errors":
        return EXIT_ITEM_ERRORS
    return EXIT_OK


def _print_report(args: argparse.Namespace, report: RunReport) -> int:
    _out(args, report.to_dict(), format_text(report))
    if report.status == "failed" and not getattr(args, "json", False):
        print(report.message or "Der Vorgang ist fehlgeschlagen.", file=sys.stderr)
    return _report_exit(report)


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
    account = get_account(args.label)
    mode = Mode.parse(args.mode, args.option)
    remote = _server_book(account, args.book)
    binding = transient_binding(account, remote, mode, args.local_book)
    report = AccountJob(account, [binding], dry_run=True, trigger="cli").run()
    return _print_report(args, report)


def cmd_run(args: argparse.Namespace) -> int:
    account = get_account(args.label)
    mode = Mode.parse(args.mode, args.option)
    remote = _server_book(account, args.book)
    # The binding is saved by the run itself, under the sync lock: a refused run binds nothing.
    report = AccountJob(
        account,
        [],
        pending=[PendingBinding(remote, mode, args.local_book)],
        allow_mass_delete=args.allow_mass_delete,
        trigger="cli",
    ).run(on_progress=_progress_printer(args))
    return _print_report(args, report)


def cmd_sync(args: argparse.Namespace) -> int:
    account = get_account(args.label)
    todo = continuing_bindings(account)
    if not todo:
        raise CliError(
            f"Für „{account.label}“ ist keine OneWay- oder Synchronisations-Verbindung "
            "eingerichtet (siehe „run“)."
        )
    report = AccountJob(account, todo, allow_mass_delete=args.allow_mass_delete, trigger="cli").run(
        on_progress=_progress_printer(args)
    )
    return _print_report(args, report)


def cmd_daemon(args: argparse.Namespace) -> int:
    """Sync every active account at its interval until SIGTERM / Ctrl+C (app/daemon.py)."""
    import signal

    from app.daemon import Daemon

    def log(line: str) -> None:
        print(line, flush=True)

    daemon = Daemon(log=log)
    if args.once:
        daemon.run_pending()
        return EXIT_OK

    def stop(_signum: int, _frame: object) -> None:
        daemon.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log("Contactbox Sync läuft im Hintergrund (Beenden mit Strg+C oder SIGTERM).")
    daemon.run_forever()
    log("Beendet.")
    return EXIT_OK


def _progress_printer(args: argparse.Namespace) -> Any:
    if not getattr(args, "progress", False):
        return None

    def show(p: Any) -> None:
        print(f"\r{p.book}: {p.phase} {p.done}/{p.total}   ", end="", file=sys.stderr)

    return show


def cmd_binding(args: argparse.Namespace) -> int:
    account = get_account(args.label)
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
    _out(args, {"book": remote.display_name, "action": args.action}, msg)
    return EXIT_OK


def cmd_reports(args: argparse.Namespace) -> int:
    if args.id is not None:
        data = load_report(args.id)
        if data is None:
            raise CliError(f"Den Bericht Nr. {args.id} gibt es nicht.")
        data.pop("id", None)
        _print_report(args, RunReport.from_dict(data))
        return EXIT_OK  # showing an old report succeeded, whatever that run's outcome
    account = get_account(args.label) if args.label else None
    rows = list_reports(account)
    lines = [
        f"{r['id']}\t{r['started']}\t{r['account']}\t{r['kind']}\t{r['status']}" for r in rows
    ] or ["Noch keine Berichte."]
    _out(args, rows, "\n".join(lines))
    return EXIT_OK


# ---------------------------------------------------------------- calendars


def _calendar_account(label: str) -> Account:
    return get_account(label, kind="caldav")


def cmd_calendar_account_add(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    password = _password()
    user = cj.get_user(args.for_user) if args.for_user else None
    if not args.no_check:
        result = cj.check_calendar_connection(
            args.url,
            args.port,
            args.path or "",
            args.preset,
            args.user,
            password,
            args.trust_fingerprint,
        )
        if result.base_url:
            _warn_plain_http(result.base_url)
        if not result.ok and result.plain_http_url:
            raise CliError(_plain_http_only(args.url, result.plain_http_url))
        if not result.ok:
            raise CliError(_trust_hint(result.message, result.fingerprint))
    account = cj.add_calendar_account(
        args.label,
        server=args.url,
        username=args.user,
        password=password,
        port=args.port,
        path=args.path or "",
        preset=args.preset,
        interval_minutes=args.interval,
        pinned_sha256=args.trust_fingerprint,
        user=user,
    )
    _out(
        args,
        {"label": account.label, "base_url": account.base_url},
        f"Kalender-Account „{account.label}“ angelegt ({account.base_url}).",
    )
    return EXIT_OK


def _calendar_binding_data(b: Any) -> dict[str, Any]:
    return {
        "name": b.remote_name,
        "href": b.remote_href,
        "user": b.user.name,
        "prefer": b.prefer,
        "enabled": b.enabled,
        "last_sync": b.last_sync.isoformat(timespec="seconds") if b.last_sync else None,
        "last_status": b.last_status,
    }


def cmd_calendar_account_list(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    data: list[dict[str, Any]] = []
    for a in list_accounts("caldav"):
        account = _calendar_account(a.label)
        data.append(
            {
                "label": a.label,
                "user": a.username,
                "contactbox_user": account.user.name if account.user_id else None,
                "url": a.base_url,
                "enabled": a.enabled,
                "interval_minutes": a.interval_minutes,
                "calendars": [_calendar_binding_data(b) for b in cj.calendar_bindings(account)],
            }
        )
    lines = [
        f"{a['label']}\t{a['user']}\t{a['url']}\t{'an' if a['enabled'] else 'aus'}"
        f"\t{a['interval_minutes']} Min.\t{len(a['calendars'])} Kalender"
        for a in data
    ] or ["Keine Kalender-Accounts eingerichtet."]
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_calendar_account_check(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    result = cj.check_calendar_account(_calendar_account(args.label))
    data = {
        "ok": result.ok,
        "message": result.message,
        "url": result.base_url,
        "fingerprint": result.fingerprint,
        "calendars": [{"name": c.display_name, "href": c.href} for c in result.calendars],
    }
    _out(
        args,
        data,
        result.message
        + (f"\nSHA-256-Fingerabdruck: {result.fingerprint}" if result.fingerprint else ""),
    )
    return EXIT_OK if result.ok else EXIT_FAIL


def cmd_calendar_account_remove(args: argparse.Namespace) -> int:
    remove_account(_calendar_account(args.label))
    _out(
        args,
        {"removed": args.label},
        f"Kalender-Account „{args.label}“ entfernt. Die Termine in Contactbox bleiben erhalten.",
    )
    return EXIT_OK


def cmd_calendar_list(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = _calendar_account(args.label)
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
    lines = [
        f"{d['name']}\t{d['href']}"
        + ("\tnur lesen" if d["read_only"] else "")
        + (f"\tBenutzer: {d['user']}" if d["user"] else "")
        for d in data
    ] or ["Keine Kalender auf dem Server gefunden."]
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_calendar_bind(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = _calendar_account(args.label)
    user = cj.get_user(args.user)
    calendars = cj.server_calendars(account)
    if args.create:
        remote = cj.create_calendar(account, args.calendar)
    else:
        remote = cj.find_calendar(calendars, args.calendar)
    b = cj.bind_calendar(account, remote, user, prefer=args.prefer, replace=args.replace)
    _out(
        args,
        _calendar_binding_data(b),
        f"Kalender „{b.remote_name}“ wird mit den Terminen von „{user.name}“ abgeglichen "
        f"(bei Konflikten gewinnt: {'Contactbox' if b.prefer == 'contactbox' else 'Server'}).",
    )
    return EXIT_OK


def _calendar_job_bindings(account: Account, user_name: str | None) -> list[Any]:
    from app.sync import calendar_jobs as cj

    todo = cj.enabled_bindings(account)
    if user_name:
        todo = [b for b in todo if b.user.name == user_name]
    if not todo:
        raise CliError(
            f"Für „{account.label}“ ist kein aktiver Kalender verbunden (siehe „calendar bind“)."
        )
    return todo


def cmd_calendar_run(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = _calendar_account(args.label)
    todo = _calendar_job_bindings(account, args.user)
    report = cj.CalendarJob(
        account, todo, allow_mass_delete=args.allow_mass_delete, trigger="cli"
    ).run(on_progress=_progress_printer(args))
    return _print_report(args, report)


def cmd_calendar_check(args: argparse.Namespace) -> int:
    from app.sync import calendar_jobs as cj

    account = _calendar_account(args.label)
    todo = _calendar_job_bindings(account, args.user)
    report = cj.CalendarJob(account, todo, dry_run=True, trigger="cli").run()
    return _print_report(args, report)


# ---------------------------------------------------------------- backups


BACKUP_HINT = (
    "Sicherungen anzeigen: „contactbox-sync backup list“; eine davon wiederherstellen: "
    "„contactbox-sync backup restore <Datei>“."
)


def _backup_json(b: Backup) -> dict[str, Any]:
    return {
        "file": b.path.name,
        "path": str(b.path),
        "reason": b.reason,
        "reason_de": b.reason_de,
        "created": b.created.isoformat(timespec="seconds"),
        "size": b.size,
    }


def cmd_backup(args: argparse.Namespace) -> int:
    """`backup list|create|restore <file>|delete <file>`; works on a damaged database too."""
    path = database_path(data_home(args.home))
    if args.action == "list":
        found = list_backups(path)
        lines = [
            f"{b.created.astimezone():%d.%m.%Y %H:%M}  {b.size / 1e6:8.1f} MB  "
            f"{b.reason_de}  {b.path.name}"
            for b in found
        ]
        _out(
            args,
            [_backup_json(b) for b in found],
            "\n".join(lines) or f"Keine Sicherungen neben {path}.",
        )
        return EXIT_OK
    if args.action == "create":
        target = backup_database(path, MANUAL_BACKUP)
        _out(
            args,
            {"file": target.name, "path": str(target), "size": target.stat().st_size},
            f"Gesichert: {target}",
        )
        return EXIT_OK
    if not args.file:
        raise CliError("Bitte die Sicherung angeben (Dateiname aus „backup list“).", EXIT_USAGE)
    backup = find_backup(path, args.file)
    if args.action == "delete":
        delete_backup(path, backup)
        _out(args, {"deleted": backup.name}, f"Gelöscht: {backup.name}")
        return EXIT_OK
    result = restore_backup(path, backup)
    open_database(path)  # migrates a backup of an older version (with its own backup)
    text = [f"Wiederhergestellt aus {backup.name}."]
    if result.safety_backup:
        text.append(f"Der vorige Stand ist gesichert als {result.safety_backup.name}.")
    if result.damaged_kept:
        text.append(f"Die beschädigte Datenbank bleibt erhalten als {result.damaged_kept.name}.")
    if result.recreate_stopped:
        books = ", ".join(f"„{n}“" for n in result.recreate_stopped)
        text.append(
            f"„Neu anlegen“ wird nicht wiederholt: {books} gleicht wieder normal ab "
            "(Synchronisation · Server)."
        )
    _out(
        args,
        {
            "restored_from": backup.name,
            "safety_backup": result.safety_backup.name if result.safety_backup else None,
            "damaged_kept": result.damaged_kept.name if result.damaged_kept else None,
            "recreate_stopped": result.recreate_stopped,
        },
        " ".join(text),
    )
    return EXIT_OK


def _add_backup_parser(sub: Any, js: Any) -> None:
    bk = sub.add_parser(
        "backup",
        help="Datensicherung der Datenbank: anzeigen, jetzt sichern, wiederherstellen, löschen",
    )
    bk.add_argument("action", choices=["list", "create", "restore", "delete"])
    bk.add_argument("file", nargs="?", help="Sicherung (Dateiname aus „backup list“ oder Pfad)")
    js(bk)
    bk.set_defaults(func=cmd_backup)


def _add_calendar_parser(sub: Any, js: Any) -> None:
    cal = sub.add_parser(
        "calendar",
        help="Termine mit CalDAV-Kalendern abgleichen; Termine anlegen und ändern (event)",
    )
    csub = cal.add_subparsers(dest="calendar_command", required=True)

    acc = csub.add_parser("account", help="Kalender-Accounts verwalten")
    asub = acc.add_subparsers(dest="action", required=True)
    a = asub.add_parser("add", help="Kalender-Account anlegen (Passwort aus $CONTACTBOX_PASSWORD)")
    add_account_arguments(a, user_help="Benutzername / E-Mail am Server", interval_help="Intervall")
    a.add_argument("--for-user", help="Contactbox-Benutzer, dem der Account gehört")
    js(a)
    a.set_defaults(func=cmd_calendar_account_add)
    a = asub.add_parser("list")
    js(a)
    a.set_defaults(func=cmd_calendar_account_list)
    for name, func in (
        ("check", cmd_calendar_account_check),
        ("remove", cmd_calendar_account_remove),
    ):
        a = asub.add_parser(name)
        a.add_argument("label")
        js(a)
        a.set_defaults(func=func)

    c = csub.add_parser("list", help="Kalender auf dem Server")
    c.add_argument("label")
    js(c)
    c.set_defaults(func=cmd_calendar_list)

    c = csub.add_parser("bind", help="Einen Kalender mit den Terminen eines Benutzers verbinden")
    c.add_argument("label")
    c.add_argument("calendar", help="Anzeigename oder Pfad des Kalenders")
    c.add_argument("--user", required=True, help="Contactbox-Benutzer")
    c.add_argument("--prefer", choices=["server", "contactbox"], default="server",
                   help="Wer bei Konflikten gewinnt (Standard: server)")  # fmt: skip
    c.add_argument("--create", action="store_true", help="Kalender auf dem Server anlegen")
    c.add_argument("--replace", action="store_true", help="Bisherigen Kalender ersetzen")
    js(c)
    c.set_defaults(func=cmd_calendar_bind)

    for name, func in (("run", cmd_calendar_run), ("check", cmd_calendar_check)):
        c = csub.add_parser(
            name,
            help="Abgleichen" if name == "run" else "Prüfen (nichts wird geschrieben)",
        )
        c.add_argument("label")
        c.add_argument("--user", help="Nur den Kalender dieses Contactbox-Benutzers")
        if name == "run":
            c.add_argument(
                "--allow-mass-delete",
                action="store_true",
                help="Löschungen trotz Massenlöschungs-Schutz ausführen",
            )
            c.add_argument("--progress", action="store_true")
        js(c)
        c.set_defaults(func=func)

    add_event_parser(csub, js)


# ---------------------------------------------------------------- parser


def add_account_arguments(
    a: argparse.ArgumentParser, *, user_help: str, interval_help: str
) -> None:
    """The fields of `account add` and `calendar account add`."""
    a.add_argument("label")
    a.add_argument("--url", required=True, help="Serveradresse oder vollständige URL")
    a.add_argument("--user", required=True, help=user_help)
    a.add_argument("--port", type=int)
    a.add_argument("--path")
    a.add_argument(
        "--preset", default="other", choices=["other", "nextcloud", "owncloud", "kerio", "radicale"]
    )
    a.add_argument("--interval", type=int, default=15, help=f"{interval_help} in Minuten")
    a.add_argument(
        "--trust-fingerprint",
        type=_fingerprint_arg,
        help="SHA-256 eines selbstsignierten Zertifikats",
    )
    a.add_argument("--no-check", action="store_true", help="Verbindung nicht prüfen")


def _fingerprint_arg(value: str) -> str:
    """A SHA-256 fingerprint as typed (AB:CD:…, abcd…, sha256_…); "" stays ""."""
    if not value.strip():
        return ""
    from app.dav.session import normalize_fingerprint

    try:
        return normalize_fingerprint(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "kein gültiger SHA-256-Fingerabdruck (64 Hexadezimalziffern, z. B. AB:CD:…)"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="contactbox-sync",
        description="Contactbox Sync ohne Oberfläche: Accounts, Prüfung und Abgleich "
        "mit CardDAV-Servern, Kontakte.",
    )
    p.add_argument("--home", help="Datenverzeichnis (sonst $CONTACTBOX_HOME bzw. Standard)")
    p.add_argument("--version", action="version", version=f"contactbox-sync {__version__}")
    p.add_argument(
        "--password-store",
        choices=list(secrets.STORES),
        help="Wohin Passwörter gespeichert werden, wenn es keinen Schlüsselbund gibt: "
        "file = Datei, die nur Ihr Benutzerkonto lesen kann (unverschlüsselt), "
        "session = nicht speichern (dann bei jedem Aufruf --password-stdin)",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="Passwort für diesen Aufruf aus der Standardeingabe lesen (ohne Schlüsselbund)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def js(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--json", action="store_true", help="Ausgabe als JSON")

    acc = sub.add_parser("account", help="Remote-Accounts verwalten")
    asub = acc.add_subparsers(dest="action", required=True)
    a = asub.add_parser("add", help="Account anlegen (Passwort aus $CONTACTBOX_PASSWORD)")
    add_account_arguments(a, user_help="Benutzername / E-Mail", interval_help="Importintervall")
    js(a)
    a.set_defaults(func=cmd_account_add)
    a = asub.add_parser("list")
    js(a)
    a.set_defaults(func=cmd_account_list)
    for name, func in (("check", cmd_account_check), ("remove", cmd_account_remove)):
        a = asub.add_parser(name)
        a.add_argument("label")
        js(a)
        a.set_defaults(func=func)
    a = asub.add_parser("set", help="Account-Status und Importintervall")
    a.add_argument("label")
    a.add_argument("--enabled", choices=["on", "off"])
    a.add_argument("--interval", type=int)
    a.add_argument(
        "--trust-fingerprint",
        type=_fingerprint_arg,
        help="SHA-256 des Serverzertifikats, dem vertraut wird (\"\" = keinem mehr)",
    )
    js(a)
    a.set_defaults(func=cmd_account_set)

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
            c.add_argument(
                "--allow-mass-delete",
                action="store_true",
                help="Löschungen trotz Massenlöschungs-Schutz ausführen",
            )
            c.add_argument("--progress", action="store_true")
        js(c)
        c.set_defaults(func=func)

    s = sub.add_parser("sync", help="Alle aktiven OneWay-/Synchronisations-Adressbücher abgleichen")
    s.add_argument("label")
    s.add_argument("--allow-mass-delete", action="store_true")
    s.add_argument("--progress", action="store_true")
    js(s)
    s.set_defaults(func=cmd_sync)

    dm = sub.add_parser(
        "daemon",
        help="Im Hintergrund abgleichen: jeder aktive Account in seinem Importintervall "
        "(wie das Symbol im Infobereich, ohne Desktop)",
    )
    dm.add_argument(
        "--once", action="store_true", help="nur die jetzt fälligen Accounts, dann Ende"
    )
    dm.set_defaults(func=cmd_daemon)

    bd = sub.add_parser(
        "binding", help="Ein verbundenes Adressbuch aktivieren/deaktivieren/entfernen"
    )
    bd.add_argument("action", choices=["enable", "disable", "remove"])
    bd.add_argument("label")
    bd.add_argument("--book", required=True)
    js(bd)
    bd.set_defaults(func=cmd_binding)

    r = sub.add_parser("reports", help="Frühere Berichte")
    r.add_argument("label", nargs="?")
    r.add_argument("--id", type=int)
    js(r)
    r.set_defaults(func=cmd_reports)

    add_contacts_parser(sub, js)
    add_users_parser(sub, js)

    _add_calendar_parser(sub, js)
    _add_backup_parser(sub, js)
    return p


NO_STORE_CLI = (
    "Auf diesem Computer wurde kein Passwortspeicher (Schlüsselbund) gefunden, daher kann "
    "das Passwort nicht sicher gespeichert werden. Sie können: (a) einen Schlüsselbund "
    "einrichten – z. B. GNOME Keyring (Paket „gnome-keyring“) oder KWallet, bei einer "
    "Installation mit pip auch „pip install keyrings.alt“ – und erneut aufrufen; "
    "(b) --password-store file angeben: das Passwort wird in einer Datei gespeichert, die "
    "nur Ihr Benutzerkonto lesen kann – unverschlüsselt: wer Zugriff auf Ihr Benutzerkonto "
    "oder eine Sicherung davon hat, kann es lesen; (c) --password-store session angeben: "
    "nichts wird gespeichert, das Passwort geben Sie bei jedem Abgleich mit "
    "--password-stdin ein."
)


DAEMON_STDIN = (
    "--password-stdin gilt nur für den einen Account, den ein Befehl nennt, und nicht für "
    "„daemon“: der gleicht alle Accounts ab, jeden mit seinem gespeicherten Passwort. "
    "Bitte speichern Sie die Passwörter (im Schlüsselbund oder mit --password-store file) "
    "und rufen Sie „daemon“ ohne --password-stdin auf."
)


def _stdin_account(args: argparse.Namespace) -> Account | None:
    """The existing account the command names, which --password-stdin's password is for
    (None: the command adds the account - `_password` takes it - or names none)."""
    label = getattr(args, "label", None)
    if not label or getattr(args, "action", None) == "add":
        return None
    kind = "caldav" if args.command == "calendar" else "carddav"
    account: Account | None = Account.get_or_none(
        (Account.label == label) & (Account.kind == kind)
    )
    return account


def _password_from_stdin() -> str:
    """One line from stdin (without its line end) as this call's password."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CliError("--password-stdin: auf der Standardeingabe kam kein Passwort an.")
    return password


def _fail(message: str, code: int = EXIT_FAIL) -> NoReturn:
    print(f"contactbox-sync: {message}", file=sys.stderr)
    raise SystemExit(code)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, options and the contact reference in any order: argparse hands
    out `contacts ACTION [REF]` in one go, so in `contacts show --book B REF` the REF after
    the options is left over — it is taken as the reference (one word, none given yet)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if (
        extra
        and args.command == "contacts"
        and args.ref is None
        and len(extra) == 1
        and not extra[0].startswith("-")
    ):
        args.ref = extra[0]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    global _stdin_password
    args = _parse(argv)
    if args.command == "contacts" and args.action in NEEDS_REF and not args.ref:
        _fail("Bitte den Kontakt angeben (Nr., UID oder Name).", EXIT_USAGE)
    if args.password_stdin and args.command == "daemon":
        _fail(DAEMON_STDIN, EXIT_USAGE)
    remembered: int | None = None
    try:
        if args.password_store:
            secrets.choose_store(args.password_store)
        stdin_password = _password_from_stdin() if args.password_stdin else None
        if args.command != "backup":  # backups work on a damaged database too
            open_database(database_path(data_home(args.home)))
            if stdin_password is not None:
                _stdin_password = stdin_password
                account = _stdin_account(args)
                if account is not None:
                    secrets.remember_for_session(account.id, stdin_password)
                    remembered = account.id
        code: int = args.func(args)
    except CliError as exc:
        _fail(str(exc), exc.code)
    except NoPasswordStore as exc:
        _fail(NO_STORE_CLI if str(exc) == NO_STORE_MESSAGE else str(exc))
    except DamagedDatabaseError as exc:
        _fail(f"{exc} {BACKUP_HINT}")
    except BackupError as exc:
        _fail(str(exc))
    except (AccountError, JobError, cstore.StoreError, SecretError, DatabaseError) as exc:
        _fail(str(exc))
    except DavError as exc:
        _fail(exc.message)
    except vcard.CardError as exc:
        _fail(getattr(exc, "message", str(exc)))
    except ValueError as exc:
        _fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("Abgebrochen.", 130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    finally:
        _stdin_password = None
        if remembered is not None:  # this call's password is not kept for a next call
            secrets.forget_for_session(remembered)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
