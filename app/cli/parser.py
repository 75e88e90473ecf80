"""The command line of `contactbox-sync` put together: the options that go before any
command (`--home`, `--version`, `--password-store`, `--password-stdin`) and every command
group's subcommands, each group adding its own from its module, in the order `--help` lists
them: account, books, check, run, sync, daemon, binding, reports, contacts, users, calendar,
backup.

`build_parser(only)` builds the options of only the commands in `only`: every other command
is added with its name and its help line (what `--help` lists and a wrong command's error
names) and its own options are left unbuilt (`_Unbuilt` takes them). Building all of them
costs more than the rest of `--version` (some 15–20 ms); app/cli/entry.py builds none to find
the command, then only that one."""

from __future__ import annotations

import argparse
from collections.abc import Collection
from typing import Any

from app import __version__, i18n, secrets
from app.cli.accounts import add_account_parser
from app.cli.backup import add_backup_parser
from app.cli.books import add_binding_parser, add_books_parser
from app.cli.calendars import add_calendar_parser
from app.cli.contacts import add_contacts_parser
from app.cli.daemon import add_daemon_parser
from app.cli.reports import add_reports_parser
from app.cli.users import add_users_parser
from app.i18n import _


class _Unbuilt:
    """A command's parser that is not built: takes every call the command's module makes
    on it (add_argument, set_defaults, add_subparsers, add_parser, …) and keeps nothing."""

    def __getattr__(self, name: str) -> Any:
        return self._ignore

    def _ignore(self, *args: Any, **kwargs: Any) -> _Unbuilt:
        return self


class _OnlyThese:
    """The top-level subparsers as the command modules see them: a command in `only` is
    built as its module says; any other is added with its name and help only (and without
    -h, so that `COMMAND --help` is left for the parser that builds COMMAND)."""

    def __init__(self, sub: Any, only: Collection[str]) -> None:
        self.sub = sub
        self.only = only

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name in self.only:
            return self.sub.add_parser(name, **kwargs)
        self.sub.add_parser(name, help=kwargs.get("help"), add_help=False)
        return _Unbuilt()


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser of `contactbox-sync`; with `only`, the options of only those commands
    (the others listed by name and help)."""
    p = argparse.ArgumentParser(
        prog="contactbox-sync",
        description=_(
            "Contactbox Sync ohne Oberfläche: Accounts, Prüfung und Abgleich mit CardDAV- "
            "und CalDAV-Servern, Kontakte, Termine, Benutzer und Datensicherung."
        ),
    )
    p.add_argument("--home", help=_("Datenverzeichnis (sonst $CONTACTBOX_HOME bzw. Standard)"))
    p.add_argument(
        "--language",
        choices=list(i18n.LANGUAGES),
        help=_(
            "Sprache der Ausgaben: de (Deutsch) oder en (English); ohne: nach LC_ALL, "
            "LC_MESSAGES bzw. LANG, sonst Deutsch. JSON-Felder bleiben gleich."
        ),
    )
    p.add_argument("--version", action="version", version=f"contactbox-sync {__version__}")
    p.add_argument(
        "--password-store",
        choices=list(secrets.STORES),
        help=_(
            "Wohin Passwörter gespeichert werden, wenn es keinen Schlüsselbund gibt: "
            "file = Datei, die nur Ihr Benutzerkonto lesen kann (unverschlüsselt), "
            "session = nicht speichern (dann bei jedem Aufruf --password-stdin)"
        ),
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("Passwort für diesen Aufruf aus der Standardeingabe lesen (ohne Schlüsselbund)"),
    )
    subparsers = p.add_subparsers(dest="command", required=True)
    sub = subparsers if only is None else _OnlyThese(subparsers, only)
    add_account_parser(sub)
    add_books_parser(sub)  # books, check, run, sync
    add_daemon_parser(sub)
    add_binding_parser(sub)
    add_reports_parser(sub)
    add_contacts_parser(sub)
    add_users_parser(sub)
    add_calendar_parser(sub)
    add_backup_parser(sub)
    return p
