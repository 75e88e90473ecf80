"""What the account commands do (their words and parser: app/cli/accounts.py), for both
kinds of account from one shape: `AccountCommands` (address books, with `account set`) and
`CalendarAccountCommands`, which differ only in the server calls they make (app/accounts.py,
lazily app/sync/calendar_jobs.py), what a check found and what `list` shows of an account.

`list` and `show` only read the store: this module imports nothing else at its top, and the
server, keyring and sync code (app/accounts.py, app/dav/, app/sync/) is imported by the
commands that use it — `account list` starts without the HTTP stack. Also here: the TLS hint
how to trust a certificate and the plain-http warning."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from app.cli.account_words import AccountWords, on_off, password, style_words
from app.cli.common import EXIT_FAIL, EXIT_OK, CliError, out
from app.i18n import _, ngettext
from app.store.models import Account, Binding, CalendarBinding

#: A connection check: (server, port, path, preset, username, password, pinned SHA-256)
ConnectionCheck = Callable[[str, int | None, str, str | None, str, str, str | None], Any]


def get_account(label: str, kind: str) -> Account:
    """The account `label` of this kind, read from the store; when there is none, the core's
    refusal (app/accounts.py, imported only then) names the accounts there are."""
    account: Account | None = Account.get_or_none((Account.label == label) & (Account.kind == kind))
    if account is not None:
        return account
    from app.accounts import get_account as core_get_account

    found: Account = core_get_account(label, kind=kind)
    return found


# ---------------------------------------------------------------- warnings


def warn_plain_http(url: str) -> None:
    """A warning line on stderr for an http:// address of another computer."""
    from app.dav.session import plain_http_warning

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


# ---------------------------------------------------------------- one kind's commands


class AccountCommands:
    """`add`, `list`, `show`, `check`, `remove` (and for books `set`) of one kind of account,
    with its words (`self.words`, app/cli/account_words.py).

    A subclass says which server calls it makes (`_checker`, `_create`, `_check`), what
    a check found (`_found`), what `list` shows of an account's bindings (`_bindings`)
    and of the Contactbox user it serves (`_owner`)."""

    def __init__(self, words: AccountWords) -> None:
        self.words = words

    def get(self, label: str) -> Account:
        return get_account(label, self.words.kind)

    def run(self, args: argparse.Namespace) -> int:
        commands: dict[str, Callable[[argparse.Namespace], int]] = {
            "add": self.cmd_add,
            "list": self.cmd_list,
            "show": self.cmd_show,
            "check": self.cmd_check,
            "remove": self.cmd_remove,
            "set": self.cmd_set,
        }
        return commands[args.action](args)

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
        from app.dav.discovery import check_connection

        return check_connection

    def _create(self, label: str, fields: dict[str, Any], extra: dict[str, Any]) -> Account:
        from app.accounts import add_account

        return add_account(label, **fields, **extra)

    def _extra(self, args: argparse.Namespace) -> dict[str, Any]:
        """Fields of `add` beyond the connection's (looked up before the check): how the
        account writes groups (None: the default of its --preset)."""
        return {"group_style": args.groups}

    def _check(self, account: Account) -> Any:
        from app.accounts import check_account

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
        rows = Binding.select().where(Binding.account == account).order_by(Binding.id)
        return [book_binding_data(b) for b in rows]

    # -- the commands

    def cmd_add(self, args: argparse.Namespace) -> int:
        words = self.words
        pw = password()
        extra = self._extra(args)
        if not args.no_check:
            result = self._connect(args, pw)
            if words.warn_at == "connection" and result.base_url:
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
        if words.warn_at == "account":
            warn_plain_http(account.base_url)
        out(
            args,
            {"label": account.label, "base_url": account.base_url, **self._settings(account)},
            _(words.added).format(label=account.label, url=account.base_url),
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
            self.words.collections: self._bindings(account),
        }

    def cmd_list(self, args: argparse.Namespace) -> int:
        collections = self.words.collections
        rows = Account.select().where(Account.kind == self.words.kind).order_by(Account.id)
        data = [self._data(a) for a in rows]
        lines = [
            "\t".join(
                [
                    a["label"],
                    a["user"],
                    a["url"],
                    on_off(a["enabled"]),
                    _("{n} Min.").format(n=a["interval_minutes"]),
                    self._count(len(a[collections])),
                ]
            )
            for a in data
        ] or [_(self.words.none_yet)]
        out(args, data, "\n".join(lines))
        return EXIT_OK

    def cmd_show(self, args: argparse.Namespace) -> int:
        words = self.words
        account = self.get(args.label)
        data = self._data(account)
        owner = self._owner(account)
        lines = [
            _(words.title).format(label=account.label),
            _("Adresse: {url}").format(url=account.base_url),
            _("Benutzer: {user}").format(user=account.username),
            *(_("Contactbox-Benutzer: {name}").format(name=v or "–") for v in owner.values()),
            _("Status: {state}").format(state=on_off(account.enabled)),
            _(words.interval_line).format(n=account.interval_minutes),
            *self._settings_text(account),
            _(words.collections_line).format(n=len(data[words.collections])),
            *(f"  {c['name']} ({c['href']})" for c in data[words.collections]),
        ]
        out(args, data, "\n".join(lines))
        return EXIT_OK

    def cmd_check(self, args: argparse.Namespace) -> int:
        account = self.get(args.label)
        if self.words.warn_at == "account":
            warn_plain_http(account.base_url)
        result = self._check(account)
        found = [{"name": c.display_name, "href": c.href} for c in self._found(result)]
        data = {
            "ok": result.ok,
            "message": result.message,
            "url": result.base_url,
            "fingerprint": result.fingerprint,
            self.words.collections: found,
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
        from app.accounts import remove_account

        remove_account(self.get(args.label))
        out(
            args,
            {"removed": args.label},
            _(self.words.removed).format(label=args.label),
        )
        return EXIT_OK

    def cmd_set(self, args: argparse.Namespace) -> int:
        """`account set` (address book accounts): state, interval, certificate, groups."""
        account = self.get(args.label)
        if args.enabled is not None:
            account.enabled = args.enabled == "on"
        if args.interval is not None:
            account.interval_minutes = args.interval
        if args.trust_fingerprint is not None:
            # "" forgets the trusted certificate (normal verification again).
            account.pinned_sha256 = args.trust_fingerprint or None
        account.save()
        if args.groups is not None:
            from app.accounts import set_group_style

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


def book_binding_data(b: Binding) -> dict[str, Any]:
    """An address book binding in `account list --json`."""
    return {
        "name": b.remote_name,
        "href": b.remote_href,
        "local_book": b.book.name,
        "mode": b.operation,
        "option": b.option,
        "enabled": b.enabled,
        "last_sync": b.last_sync.isoformat(timespec="seconds") if b.last_sync else None,
    }


def calendar_binding_data(b: CalendarBinding) -> dict[str, Any]:
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


class CalendarAccountCommands(AccountCommands):
    """`calendar account …`: CalDAV accounts, each serving a Contactbox user
    (app/sync/calendar_jobs.py, imported when a command needs the server)."""

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
        rows = (
            CalendarBinding.select()
            .where(CalendarBinding.account == account)
            .order_by(CalendarBinding.id)
        )
        return [calendar_binding_data(b) for b in rows]


def commands_for(words: AccountWords) -> AccountCommands:
    """The commands of the kind of account `words` speaks for."""
    if words.kind == "caldav":
        return CalendarAccountCommands(words)
    return AccountCommands(words)
