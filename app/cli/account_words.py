"""The words of the account commands, shared by their parser (app/cli/accounts.py) and
what they do (app/cli/account_commands.py): each kind of account's texts (`BOOK_WORDS`,
`CALENDAR_WORDS`), how an account writes groups and its state in words — and the password of
an account being added (--password-stdin, $CONTACTBOX_PASSWORD or a prompt). Light, like
the parser: the standard library, app/i18n.py and app/cli/common.py only."""

from __future__ import annotations

import os
import sys

from app.cli.common import CliError
from app.i18n import N_, _

# ---------------------------------------------------------------- password

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


#: How an address book account writes groups (`--groups`, Account.group_style): the store's
#: styles (app/store/groups.py STYLES, the same words; a test keeps them equal), in words.
STYLE_WORDS = {
    "categories": N_("als Kategorien"),
    "cards": N_("als Gruppen-vCards"),
    "both": N_("als Kategorien und Gruppen-vCards"),
}
GROUPS_HELP = N_(
    "Wie Gruppen geschrieben werden: categories = als Kategorien (CATEGORIES) an jedem "
    "Kontakt (z. B. Nextcloud), cards = als eigene Gruppen-vCards (z. B. Apple, Kerio), "
    "both = beides. Gelesen werden immer alle Arten; eine Gruppe behält ihre Form, neue "
    "Gruppen werden so geschrieben"
)


def style_words(style: str) -> str:
    """How an account writes groups, in words ("als Kategorien")."""
    words = STYLE_WORDS.get(style)
    return _(words) if words else style


def on_off(enabled: bool) -> str:
    """An account's state in words: "an" / "aus"."""
    return _("an") if enabled else _("aus")


# ---------------------------------------------------------------- one kind's words


class AccountWords:
    """The words of `account add|list|show|check|remove` for one kind of account (German
    msgids marked with N_, translated where shown), which its parser (app/cli/accounts.py)
    and its commands (app/cli/account_commands.py) both speak."""

    kind = "carddav"
    #: the JSON key of the server collections (list, check)
    collections = "books"
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


class CalendarAccountWords(AccountWords):
    """`calendar account …`: CalDAV accounts, each serving a Contactbox user."""

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


BOOK_WORDS = AccountWords()
CALENDAR_WORDS = CalendarAccountWords()
