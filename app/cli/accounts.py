"""The account commands of `contactbox-sync`, for both kinds of account from one shape:
`account add|list|show|check|remove` (CardDAV, plus `account set`) and `calendar account
add|list|show|check|remove` (CalDAV) are `AccountCommands` of `BOOKS` and `CALENDARS`,
which differ only in their words, the server calls they make (app/accounts.py, lazily
app/sync/calendar_jobs.py), where they warn of a plain-http address, and their own
settings (an address book account: how it writes groups, `--groups`). Also here: the
password of an account being added (--password-stdin, $CONTACTBOX_PASSWORD or a prompt),
the TLS hint how to trust a certificate, and the fields `add` takes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from app.accounts import (
    add_account,
    check_account,
    get_account,
    list_accounts,
    remove_account,
    set_group_style,
)
from app.cli.common import EXIT_FAIL, EXIT_OK, CliError, js, out
from app.dav.discovery import check_connection
from app.dav.session import plain_http_warning
from app.store import groups
from app.store.models import Account
from app.sync.jobs import list_bindings

#: A connection check: (server, port, path, preset, username, password, pinned SHA-256)
ConnectionCheck = Callable[[str, int | None, str, str | None, str, str, str | None], Any]

# ---------------------------------------------------------------- password and warnings

#: The password --password-stdin read, while main() runs. It goes to one account only:
#: the one `account add` / `calendar account add` creates (through `password`), or the
#: existing account the command names (app/cli/entry.py, for this call only).
_stdin_password: str | None = None


def use_stdin_password(password: str | None) -> None:
    """This call's password from --password-stdin (None: none, or the call is over)."""
    global _stdin_password
    _stdin_password = password


def password() -> str:
    """The password of the account being added: --password-stdin, $CONTACTBOX_PASSWORD,
    else a prompt in the terminal."""
    pw = _stdin_password or os.environ.get("CONTACTBOX_PASSWORD")
    if pw is not None:
        return pw
    if not sys.stdin.isatty():
        raise CliError("Kein Passwort: bitte CONTACTBOX_PASSWORD setzen oder im Terminal eingeben.")
    import getpass  # (with termios: only when a terminal is asked)

    return getpass.getpass("Passwort: ")


def warn_plain_http(url: str) -> None:
    """A warning line on stderr for an http:// address of another computer."""
    warning = plain_http_warning(url)
    if warning:
        print(f"contactbox-sync: Warnung: {warning}", file=sys.stderr)


def trust_hint(message: str, fingerprint: str | None) -> str:
    """The TLS message plus how to trust the certificate from the command line."""
    if not fingerprint:
        return message
    if fingerprint not in message:
        message += f" SHA-256-Fingerabdruck: {fingerprint}."
    return message + f" Zum Vertrauen: --trust-fingerprint {fingerprint}"


def plain_http_only(url: str, http_url: str) -> str:
    """`--url` without a scheme: https did not connect, but http:// answers (never taken
    silently; the user writes http:// if they want it)."""
    return (
        f"Eine verschlüsselte Verbindung (https) kam nicht zustande, aber unter {http_url} "
        "antwortet der Server unverschlüsselt. Ohne Verschlüsselung gehen Passwort und "
        "Kontakte lesbar durch das Netzwerk; deshalb wird nicht von selbst unverschlüsselt "
        "verbunden. Wenn Sie das wollen, schreiben Sie http:// ausdrücklich: "
        f"--url http://{url.strip()}"
    )


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


def account_arguments(a: argparse.ArgumentParser, *, user_help: str, interval_help: str) -> None:
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


#: How an address book account writes groups (`--groups`, Account.group_style), in words.
STYLE_WORDS = {
    groups.CATEGORIES: "als Kategorien",
    groups.CARDS: "als Gruppen-vCards",
    groups.BOTH: "als Kategorien und Gruppen-vCards",
}
GROUPS_HELP = (
    "Wie Gruppen geschrieben werden: categories = als Kategorien (CATEGORIES) an jedem "
    "Kontakt (z. B. Nextcloud), cards = als eigene Gruppen-vCards (z. B. Apple, Kerio), "
    "both = beides. Gelesen werden immer alle Arten; eine Gruppe behält ihre Form, neue "
    "Gruppen werden so geschrieben"
)


def groups_option(a: argparse.ArgumentParser, default_help: str) -> None:
    """`--groups categories|cards|both` of `account add` and `account set`."""
    a.add_argument("--groups", choices=list(groups.STYLES), help=f"{GROUPS_HELP}; {default_help}")


# ---------------------------------------------------------------- one kind's commands


class AccountCommands:
    """`add`, `list`, `check` and `remove` of one kind of account, with its words.

    A subclass says which server calls it makes (`_connect`, `_create`, `_check`), what
    a check found (`_found`), what `list` shows of an account's bindings (`_bindings`)
    and of the Contactbox user it serves (`_owner`)."""

    kind = "carddav"
    #: "Account „X“ angelegt", "Kalender-Account „X“ entfernt"
    word = "Account"
    #: what stays in Contactbox when the account is removed
    kept = "Kontakte"
    #: the JSON key of the server collections (list, check) and their German word (list)
    collections = "books"
    collections_word = "Adressbücher"
    none_yet = "Keine Accounts eingerichtet."
    group_help = "Remote-Accounts verwalten"
    user_help = "Benutzername / E-Mail"
    interval_help = "Importintervall"
    #: Where a plain-http address is warned of: "account" — the saved account's address,
    #: after `add` and before `check`; "connection" — the address a connection check of
    #: `add` reached (and nowhere else).
    warn_at = "account"

    def get(self, label: str) -> Account:
        return get_account(label, kind=self.kind)

    # -- what a kind does differently

    def _connect(self, args: argparse.Namespace, password: str) -> Any:
        """The connection check of `add`, with the address and login given."""
        return self._checker()(
            args.url,
            args.port,
            args.path or "",
            args.preset,
            args.user,
            password,
            args.trust_fingerprint,
        )

    def _checker(self) -> ConnectionCheck:
        """The kind's connection check (`discovery.check_connection` for books)."""
        return check_connection

    def _create(self, label: str, fields: dict[str, Any], extra: dict[str, Any]) -> Account:
        return add_account(label, **fields, **extra)

    def _extra(self, args: argparse.Namespace) -> dict[str, Any]:
        """Fields of `add` beyond the connection's (looked up before the check): how the
        account writes groups (None: the default of its --preset)."""
        return {"group_style": args.groups}

    def _check(self, account: Account) -> Any:
        return check_account(account)

    def _found(self, result: Any) -> list[Any]:
        found: list[Any] = result.books
        return found

    def _owner(self, account: Account) -> dict[str, Any]:
        return {}

    def _settings(self, account: Account) -> dict[str, Any]:
        """The kind's own settings in `add`, `list` and `show` (JSON)."""
        return {"groups": account.group_style}

    def _settings_text(self, account: Account) -> list[str]:
        """The kind's own settings in the text of `show`."""
        return [f"Gruppen: {STYLE_WORDS.get(account.group_style, account.group_style)}"]

    def _bindings(self, account: Account) -> list[dict[str, Any]]:
        return [book_binding_data(b) for b in list_bindings(account)]

    def _add_arguments(self, a: argparse.ArgumentParser) -> None:
        """Options of `add` beyond the connection's."""
        groups_option(a, "ohne: nach --preset (nextcloud, owncloud: categories, sonst cards)")

    # -- the commands

    def cmd_add(self, args: argparse.Namespace) -> int:
        pw = password()
        extra = self._extra(args)
        if not args.no_check:
            result = self._connect(args, pw)
            if self.warn_at == "connection" and result.base_url:
                warn_plain_http(result.base_url)
            if not result.ok and result.plain_http_url:
                raise CliError(plain_http_only(args.url, result.plain_http_url))
            if not result.ok:
                raise CliError(trust_hint(result.message, result.fingerprint))
        fields: dict[str, Any] = {
            "server": args.url,
            "username": args.user,
            "password": pw,
            "port": args.port,
            "path": args.path or "",
            "preset": args.preset,
            "interval_minutes": args.interval,
            "pinned_sha256": args.trust_fingerprint,
        }
        account = self._create(args.label, fields, extra)
        if self.warn_at == "account":
            warn_plain_http(account.base_url)
        out(
            args,
            {"label": account.label, "base_url": account.base_url, **self._settings(account)},
            f"{self.word} „{account.label}“ angelegt ({account.base_url}).",
        )
        return EXIT_OK

    def _data(self, account: Account) -> dict[str, Any]:
        """One account in `list --json` and `show --json`."""
        return {
            "label": account.label,
            "user": account.username,
            **self._owner(account),
            "url": account.base_url,
            "enabled": account.enabled,
            "interval_minutes": account.interval_minutes,
            **self._settings(account),
            self.collections: self._bindings(account),
        }

    def cmd_list(self, args: argparse.Namespace) -> int:
        data = [self._data(self.get(a.label)) for a in list_accounts(self.kind)]
        lines = [
            f"{a['label']}\t{a['user']}\t{a['url']}\t{'an' if a['enabled'] else 'aus'}"
            f"\t{a['interval_minutes']} Min.\t{len(a[self.collections])} {self.collections_word}"
            for a in data
        ] or [self.none_yet]
        out(args, data, "\n".join(lines))
        return EXIT_OK

    def cmd_show(self, args: argparse.Namespace) -> int:
        account = self.get(args.label)
        data = self._data(account)
        owner = self._owner(account)
        lines = [
            f"{self.word} „{account.label}“",
            f"Adresse: {account.base_url}",
            f"Benutzer: {account.username}",
            *(f"Contactbox-Benutzer: {v or '–'}" for v in owner.values()),
            f"Status: {'an' if account.enabled else 'aus'}",
            f"{self.interval_help}: {account.interval_minutes} Min.",
            *self._settings_text(account),
            f"{self.collections_word}: {len(data[self.collections])}",
            *(f"  {c['name']} ({c['href']})" for c in data[self.collections]),
        ]
        out(args, data, "\n".join(lines))
        return EXIT_OK

    def cmd_check(self, args: argparse.Namespace) -> int:
        account = self.get(args.label)
        if self.warn_at == "account":
            warn_plain_http(account.base_url)
        result = self._check(account)
        found = [{"name": c.display_name, "href": c.href} for c in self._found(result)]
        data = {
            "ok": result.ok,
            "message": result.message,
            "url": result.base_url,
            "fingerprint": result.fingerprint,
            self.collections: found,
        }
        out(
            args,
            data,
            result.message
            + (f"\nSHA-256-Fingerabdruck: {result.fingerprint}" if result.fingerprint else ""),
        )
        return EXIT_OK if result.ok else EXIT_FAIL

    def cmd_remove(self, args: argparse.Namespace) -> int:
        remove_account(self.get(args.label))
        out(
            args,
            {"removed": args.label},
            f"{self.word} „{args.label}“ entfernt. Die {self.kept} in Contactbox bleiben erhalten.",
        )
        return EXIT_OK

    def add_parser(self, sub: Any) -> Any:
        """`account add|list|check|remove`; returns the subparsers for more actions."""
        acc = sub.add_parser("account", help=self.group_help)
        asub = acc.add_subparsers(dest="action", required=True)
        a = asub.add_parser("add", help=f"{self.word} anlegen (Passwort aus $CONTACTBOX_PASSWORD)")
        account_arguments(a, user_help=self.user_help, interval_help=self.interval_help)
        self._add_arguments(a)
        js(a)
        a.set_defaults(func=self.cmd_add)
        a = asub.add_parser("list")
        js(a)
        a.set_defaults(func=self.cmd_list)
        for name, func in (
            ("show", self.cmd_show),
            ("check", self.cmd_check),
            ("remove", self.cmd_remove),
        ):
            a = asub.add_parser(name)
            a.add_argument("label")
            js(a)
            a.set_defaults(func=func)
        return asub


def book_binding_data(b: Any) -> dict[str, Any]:
    """An address book binding in `account list --json`."""
    return {
        "name": b.remote_name,
        "href": b.remote_href,
        "local_book": b.local_book,
        "mode": b.operation,
        "option": b.option,
        "enabled": b.enabled,
        "last_sync": b.last_sync.isoformat(timespec="seconds") if b.last_sync else None,
    }


def calendar_binding_data(b: Any) -> dict[str, Any]:
    """A calendar binding in `calendar account list --json` and `calendar bind --json`."""
    return {
        "name": b.remote_name,
        "href": b.remote_href,
        "user": b.user.name,
        "prefer": b.prefer,
        "enabled": b.enabled,
        "last_sync": b.last_sync.isoformat(timespec="seconds") if b.last_sync else None,
        "last_status": b.last_status,
    }


class CalendarAccounts(AccountCommands):
    """`calendar account …`: CalDAV accounts, each serving a Contactbox user
    (app/sync/calendar_jobs.py, imported when a command runs: start-up stays lean)."""

    kind = "caldav"
    word = "Kalender-Account"
    kept = "Termine"
    collections = "calendars"
    collections_word = "Kalender"
    none_yet = "Keine Kalender-Accounts eingerichtet."
    group_help = "Kalender-Accounts verwalten"
    user_help = "Benutzername / E-Mail am Server"
    interval_help = "Intervall"
    warn_at = "connection"

    def _checker(self) -> ConnectionCheck:
        from app.sync import calendar_jobs as cj

        return cj.check_calendar_connection

    def _extra(self, args: argparse.Namespace) -> dict[str, Any]:
        from app.sync import calendar_jobs as cj

        return {"user": cj.get_user(args.for_user) if args.for_user else None}

    def _create(self, label: str, fields: dict[str, Any], extra: dict[str, Any]) -> Account:
        from app.sync import calendar_jobs as cj

        return cj.add_calendar_account(label, **fields, **extra)

    def _check(self, account: Account) -> Any:
        from app.sync import calendar_jobs as cj

        return cj.check_calendar_account(account)

    def _found(self, result: Any) -> list[Any]:
        found: list[Any] = result.calendars
        return found

    def _owner(self, account: Account) -> dict[str, Any]:
        return {"contactbox_user": account.user.name if account.user_id else None}

    def _settings(self, account: Account) -> dict[str, Any]:
        return {}

    def _settings_text(self, account: Account) -> list[str]:
        return []

    def _bindings(self, account: Account) -> list[dict[str, Any]]:
        from app.sync import calendar_jobs as cj

        return [calendar_binding_data(b) for b in cj.calendar_bindings(account)]

    def _add_arguments(self, a: argparse.ArgumentParser) -> None:
        a.add_argument("--for-user", help="Contactbox-Benutzer, dem der Account gehört")


BOOKS = AccountCommands()
CALENDARS = CalendarAccounts()


# ---------------------------------------------------------------- account set (books)


def cmd_account_set(args: argparse.Namespace) -> int:
    account = BOOKS.get(args.label)
    if args.enabled is not None:
        account.enabled = args.enabled == "on"
    if args.interval is not None:
        account.interval_minutes = args.interval
    if args.trust_fingerprint is not None:
        # "" forgets the trusted certificate (normal verification again).
        account.pinned_sha256 = args.trust_fingerprint or None
    account.save()
    if args.groups is not None:
        set_group_style(account, args.groups)
    out(
        args,
        {
            "label": account.label,
            "enabled": account.enabled,
            "interval_minutes": account.interval_minutes,
            "groups": account.group_style,
        },
        f"Account „{account.label}“: {'an' if account.enabled else 'aus'}, "
        f"Importintervall {account.interval_minutes} Min., Gruppen "
        f"{STYLE_WORDS.get(account.group_style, account.group_style)}.",
    )
    return EXIT_OK


def add_account_parser(sub: Any) -> None:
    """`account add|list|check|remove|set` (address book accounts)."""
    asub = BOOKS.add_parser(sub)
    a = asub.add_parser(
        "set", help="Account-Status, Importintervall und wie Gruppen geschrieben werden"
    )
    a.add_argument("label")
    a.add_argument("--enabled", choices=["on", "off"])
    a.add_argument("--interval", type=int)
    a.add_argument(
        "--trust-fingerprint",
        type=_fingerprint_arg,
        help='SHA-256 des Serverzertifikats, dem vertraut wird ("" = keinem mehr)',
    )
    groups_option(a, "ohne: bleibt, wie es ist")
    js(a)
    a.set_defaults(func=cmd_account_set)
