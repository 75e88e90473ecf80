"""The parser of the account commands, for both kinds of account from one shape: `account
add|list|show|check|remove` (CardDAV, plus `account set`) and `calendar account
add|list|show|check|remove` (CalDAV), each kind with its words (app/cli/account_words.py) and
its own options (an address book account: how it writes groups, `--groups`; a calendar
account: the user it serves, `--for-user`). Every action runs `run_book_account` or
`run_calendar_account`, which import what the commands do (app/cli/account_commands.py)
only then: the parser (and `--help`, `--version`) loads no store, network or keyring code."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.account_words import (
    BOOK_WORDS,
    CALENDAR_WORDS,
    GROUPS_HELP,
    STYLE_WORDS,
    AccountWords,
)
from app.cli.common import js
from app.i18n import _


def run_book_account(args: argparse.Namespace) -> int:
    """`account ACTION …` (address book accounts)."""
    from app.cli.account_commands import commands_for

    return commands_for(BOOK_WORDS).run(args)


def run_calendar_account(args: argparse.Namespace) -> int:
    """`calendar account ACTION …`."""
    from app.cli.account_commands import commands_for

    return commands_for(CALENDAR_WORDS).run(args)


# ---------------------------------------------------------------- options


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


def groups_option(a: argparse.ArgumentParser, default_help: str) -> None:
    """`--groups categories|cards|both` of `account add` and `account set`."""
    a.add_argument("--groups", choices=list(STYLE_WORDS), help=f"{_(GROUPS_HELP)}; {default_help}")


def add_parser(words: AccountWords, sub: Any) -> Any:
    """`account add|list|show|check|remove` of the kind `words` speaks for; returns the
    subparsers for more actions."""
    run = run_calendar_account if words.kind == "caldav" else run_book_account
    acc = sub.add_parser("account", help=_(words.group_help))
    asub = acc.add_subparsers(dest="action", required=True)
    a = asub.add_parser("add", help=_(words.add_help))
    account_arguments(a, user_help=_(words.user_help), interval_help=_(words.interval_help))
    if words.kind == "caldav":
        a.add_argument("--for-user", help=_("Contactbox-Benutzer, dem der Account gehört"))
    else:
        groups_option(a, _("ohne: nach --preset (nextcloud, owncloud: categories, sonst cards)"))
    js(a)
    a.set_defaults(func=run)
    a = asub.add_parser("list", help=_(words.list_help))
    js(a)
    a.set_defaults(func=run)
    for name, help_text in (
        ("show", words.show_help),
        ("check", words.check_help),
        ("remove", words.remove_help),
    ):
        a = asub.add_parser(name, help=_(help_text))
        a.add_argument("label", help=_("Name des Accounts in Contactbox"))
        js(a)
        a.set_defaults(func=run)
    return asub


def add_calendar_account_parser(csub: Any) -> None:
    """`calendar account add|list|show|check|remove`."""
    add_parser(CALENDAR_WORDS, csub)


def add_account_parser(sub: Any) -> None:
    """`account add|list|show|check|remove|set` (address book accounts)."""
    asub = add_parser(BOOK_WORDS, sub)
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
    a.set_defaults(func=run_book_account)
