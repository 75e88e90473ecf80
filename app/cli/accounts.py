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
from app.i18n import N_, _, ngettext
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
        raise CliError(
            _("Kein Passwort: bitte CONTACTBOX_PASSWORD setzen oder im Terminal eingeben.")
        )
    import getpass  # (with termios: only when a terminal is asked)

    return getpass.getpass(_("Passwort: "))


def warn_plain_http(url: str) -> None:
    """A warning line on stderr for an http:// address of another computer."""
    warning = plain_http_warning(url)
    if warning:
        print(
            "contactbox-sync: " + _("Warnung: {warning}").format(warning=warning), file=sys.stderr
        )


def trust_hint(message: str, fingerprint: str | None) -> str:
    """The TLS message plus how to trust the certificate from the command line."""
    if not fingerprint:
        return message
    if fingerprint not in message:
        message += " " + _("SHA-256-Fingerabdruck: {fingerprint}.").format(fingerprint=fingerprint)
    return (
        message
        + " "
        + _("Zum Vertrauen: --trust-fingerprint {fingerprint}").format(fingerprint=fingerprint)
    )


def plain_http_only(url: str, http_url: str) -> str:
    """`--url` without a scheme: https did not connect, but http:// answers (never taken
    silently; the user writes http:// if they want it)."""
    return _(
        "Eine verschlüsselte Verbindung (https) kam nicht zustande, aber unter {http_url} "
        "antwortet der Server unverschlüsselt. Ohne Verschlüsselung gehen Passwort und "
        "Kontakte lesbar durch das Netzwerk; deshalb wird nicht von selbst unverschlüsselt "
        "verbunden. Wenn Sie das wollen, schreiben Sie http:// ausdrücklich: "
        "--url http://{address}"
    ).format(http_url=http_url, address=url.strip())


def _fingerprint_arg(value: str) -> str:
    """A SHA-256 fingerprint as typed (AB:CD:…, abcd…, sha256_…); "" stays ""."""
    if not value.strip():
        return ""
    from app.dav.session import normalize_fingerprint

    try:
        return normalize_fingerprint(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("kein gültiger SHA-256-Fingerabdruck (64 Hexadezimalziffern, z. B. AB:CD:…)")
        ) from None


def account_arguments(a: argparse.ArgumentParser, *, user_help: str, interval_help: str) -> None:
    """The fields of `account add` and `calendar account add`."""
    a.add_argument("label", help=_("Name des Accounts in Contactbox"))
    a.add_argument("--url", required=True, help=_("Serveradresse oder vollständige URL"))
    a.add_argument("--user", required=True, help=user_help)
    a.add_argument("--port", type=int, help=_("Port (ohne: aus der Adresse)"))
    a.add_argument("--path", help=_("Pfad auf dem Server (ohne: wird gesucht)"))
    a.add_argument(
        "--preset",
        default="other",
        choices=["other", "nextcloud", "owncloud", "kerio", "radicale"],
        help=_("Art des Servers (Voreinstellung: other)"),
    )
    a.add_argument("--interval", type=int, default=15, help=interval_help)
    a.add_argument(
        "--trust-fingerprint",
        type=_fingerprint_arg,
        help=_("SHA-256 eines selbstsignierten Zertifikats"),
    )
    a.add_argument("--no-check", action="store_true", help=_("Verbindung nicht prüfen"))


#: How an address book account writes groups (`--groups`, Account.group_style), in words.
STYLE_WORDS = {
    groups.CATEGORIES: N_("als Kategorien"),
    groups.CARDS: N_("als Gruppen-vCards"),
    groups.BOTH: N_("als Kategorien und Gruppen-vCards"),
}
GROUPS_HELP = N_(
    "Wie Gruppen geschrieben werden: categories = als Kategorien (CATEGORIES) an jedem "
    "Kontakt (z. B. Nextcloud), cards = als eigene Gruppen-vCards (z. B. Apple, Kerio), "
    "both = beides. Gelesen werden immer alle Arten; eine Gruppe behält ihre Form, neue "
    "Gruppen werden so geschrieben"
)


def groups_option(a: argparse.ArgumentParser, default_help: str) -> None:
    """`--groups categories|cards|both` of `account add` and `account set`."""
    a.add_argument(
        "--groups", choices=list(groups.STYLES), help=f"{_(GROUPS_HELP)}; {default_help}"
    )


def style_words(style: str) -> str:
    """How an account writes groups, in words ("als Kategorien")."""
    words = STYLE_WORDS.get(style)
    return _(words) if words else style


def on_off(enabled: bool) -> str:
    """An account's state in words: "an" / "aus"."""
    return _("an") if enabled else _("aus")


# ---------------------------------------------------------------- one kind's commands


class AccountCommands:
    """`add`, `list`, `check` and `remove` of one kind of account, with its words.

    A subclass says which server calls it makes (`_connect`, `_create`, `_check`), what
    a check found (`_found`), what `list` shows of an account's bindings (`_bindings`)
    and of the Contactbox user it serves (`_owner`)."""

    kind = "carddav"
    #: the JSON key of the server collections (list, check)
    collections = "books"
    # The kind's words (German msgids marked with N_, translated where shown).
    #: `show`'s first line
    title = N_("Account „{label}“")
    added = N_("Account „{label}“ angelegt ({url}).")
    removed = N_("Account „{label}“ entfernt. Die Kontakte in Contactbox bleiben erhalten.")
    none_yet = N_("Keine Accounts eingerichtet.")
    group_help = N_("Remote-Accounts verwalten")
    add_help = N_("Account anlegen (Passwort aus $CONTACTBOX_PASSWORD)")
    user_help = N_("Benutzername / E-Mail")
    list_help = N_("Alle Accounts mit ihren Adressbüchern")
    show_help = N_("Einen Account anzeigen")
    check_help = N_("Die Verbindung eines Accounts prüfen")
    remove_help = N_("Einen Account entfernen (die Kontakte bleiben)")
    interval_help = N_("Importintervall in Minuten")
    #: `show`'s interval line
    interval_line = N_("Importintervall: {n} Min.")
    #: `show`'s line of the server collections
    collections_line = N_("Adressbücher: {n}")
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
        return [_("Gruppen: {style}").format(style=style_words(account.group_style))]

    def _count(self, n: int) -> str:
        """The number of server collections in `list`: "2 Adressbücher"."""
        return ngettext("{n} Adressbuch", "{n} Adressbücher", n).format(n=n)

    def _bindings(self, account: Account) -> list[dict[str, Any]]:
        return [book_binding_data(b) for b in list_bindings(account)]

    def _add_arguments(self, a: argparse.ArgumentParser) -> None:
        """Options of `add` beyond the connection's."""
        groups_option(a, _("ohne: nach --preset (nextcloud, owncloud: categories, sonst cards)"))

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
            _(self.added).format(label=account.label, url=account.base_url),
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
            "\t".join(
                [
                    a["label"],
                    a["user"],
                    a["url"],
                    on_off(a["enabled"]),
                    _("{n} Min.").format(n=a["interval_minutes"]),
                    self._count(len(a[self.collections])),
                ]
            )
            for a in data
        ] or [_(self.none_yet)]
        out(args, data, "\n".join(lines))
        return EXIT_OK

    def cmd_show(self, args: argparse.Namespace) -> int:
        account = self.get(args.label)
        data = self._data(account)
        owner = self._owner(account)
        lines = [
            _(self.title).format(label=account.label),
            _("Adresse: {url}").format(url=account.base_url),
            _("Benutzer: {user}").format(user=account.username),
            *(_("Contactbox-Benutzer: {name}").format(name=v or "–") for v in owner.values()),
            _("Status: {state}").format(state=on_off(account.enabled)),
            _(self.interval_line).format(n=account.interval_minutes),
            *self._settings_text(account),
            _(self.collections_line).format(n=len(data[self.collections])),
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
            + (
                "\n"
                + _("SHA-256-Fingerabdruck: {fingerprint}").format(fingerprint=result.fingerprint)
                if result.fingerprint
                else ""
            ),
        )
        return EXIT_OK if result.ok else EXIT_FAIL

    def cmd_remove(self, args: argparse.Namespace) -> int:
        remove_account(self.get(args.label))
        out(
            args,
            {"removed": args.label},
            _(self.removed).format(label=args.label),
        )
        return EXIT_OK

    def add_parser(self, sub: Any) -> Any:
        """`account add|list|check|remove`; returns the subparsers for more actions."""
        acc = sub.add_parser("account", help=_(self.group_help))
        asub = acc.add_subparsers(dest="action", required=True)
        a = asub.add_parser("add", help=_(self.add_help))
        account_arguments(a, user_help=_(self.user_help), interval_help=_(self.interval_help))
        self._add_arguments(a)
        js(a)
        a.set_defaults(func=self.cmd_add)
        a = asub.add_parser("list", help=_(self.list_help))
        js(a)
        a.set_defaults(func=self.cmd_list)
        for name, func, help_text in (
            ("show", self.cmd_show, self.show_help),
            ("check", self.cmd_check, self.check_help),
            ("remove", self.cmd_remove, self.remove_help),
        ):
            a = asub.add_parser(name, help=_(help_text))
            a.add_argument("label", help=_("Name des Accounts in Contactbox"))
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
    collections = "calendars"
    title = N_("Kalender-Account „{label}“")
    added = N_("Kalender-Account „{label}“ angelegt ({url}).")
    removed = N_("Kalender-Account „{label}“ entfernt. Die Termine in Contactbox bleiben erhalten.")
    none_yet = N_("Keine Kalender-Accounts eingerichtet.")
    group_help = N_("Kalender-Accounts verwalten")
    add_help = N_("Kalender-Account anlegen (Passwort aus $CONTACTBOX_PASSWORD)")
    list_help = N_("Alle Kalender-Accounts mit ihren Kalendern")
    show_help = N_("Einen Kalender-Account anzeigen")
    check_help = N_("Die Verbindung eines Kalender-Accounts prüfen")
    remove_help = N_("Einen Kalender-Account entfernen (die Termine bleiben)")
    user_help = N_("Benutzername / E-Mail am Server")
    interval_help = N_("Intervall in Minuten")
    interval_line = N_("Intervall: {n} Min.")
    collections_line = N_("Kalender: {n}")
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

    def _count(self, n: int) -> str:
        return ngettext("{n} Kalender", "{n} Kalender", n).format(n=n)

    def _bindings(self, account: Account) -> list[dict[str, Any]]:
        from app.sync import calendar_jobs as cj

        return [calendar_binding_data(b) for b in cj.calendar_bindings(account)]

    def _add_arguments(self, a: argparse.ArgumentParser) -> None:
        a.add_argument("--for-user", help=_("Contactbox-Benutzer, dem der Account gehört"))


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
        _("Account „{label}“: {state}, Importintervall {n} Min., Gruppen {groups}.").format(
            label=account.label,
            state=on_off(account.enabled),
            n=account.interval_minutes,
            groups=style_words(account.group_style),
        ),
    )
    return EXIT_OK


def add_account_parser(sub: Any) -> None:
    """`account add|list|check|remove|set` (address book accounts)."""
    asub = BOOKS.add_parser(sub)
    a = asub.add_parser(
        "set", help=_("Account-Status, Importintervall und wie Gruppen geschrieben werden")
    )
    a.add_argument("label", help=_("Name des Accounts in Contactbox"))
    a.add_argument(
        "--enabled",
        choices=["on", "off"],
        help=_("on = regelmäßig abgleichen, off = nicht abgleichen"),
    )
    a.add_argument("--interval", type=int, help=_("Importintervall in Minuten"))
    a.add_argument(
        "--trust-fingerprint",
        type=_fingerprint_arg,
        help=_('SHA-256 des Serverzertifikats, dem vertraut wird ("" = keinem mehr)'),
    )
    groups_option(a, _("ohne: bleibt, wie es ist"))
    js(a)
    a.set_defaults(func=cmd_account_set)
