"""The command line of `contactbox-sync` put together: the options that go before any
command (`--home`, `--version`, `--password-store`, `--password-stdin`) and every command
group's subcommands, each group adding its own from its module, in the order `--help` lists
them: account, books, check, run, sync, daemon, binding, reports, contacts, users, calendar,
backup."""

from __future__ import annotations

import argparse

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


def build_parser() -> argparse.ArgumentParser:
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
    sub = p.add_subparsers(dest="command", required=True)
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
