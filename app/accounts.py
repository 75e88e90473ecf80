"""Remote accounts: create, list, check, remove; how an address book account writes
groups (`set_group_style`); sessions and clients for them.

The password goes to the keyring the moment an account is saved and is read from it
only to open a session; the database holds everything else. Saving commits the account
row first and writes the keyring after, outside any transaction (a keyring that is slow or
asks to be unlocked must not hold SQLite's write lock); when the keyring refuses, the row
is removed again: a failed save leaves no account and no password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from app import secrets
from app.account_session import READ_TIMEOUT as READ_TIMEOUT
from app.account_session import SessionFields, open_account_session
from app.dav.carddav import CardDavClient
from app.dav.model import RemoteBook
from app.dav.session import DavSession
from app.i18n import _
from app.store.models import Account, Binding, User, database

if TYPE_CHECKING:
    from app.dav.discovery import ConnectionResult

R = TypeVar("R")


class AccountError(Exception):
    """An account operation cannot be done; message in the user's language."""


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class AccountInfo:
    id: int
    label: str
    username: str
    server: str
    port: int | None
    path: str
    preset: str
    base_url: str
    enabled: bool
    interval_minutes: int
    pinned_sha256: str | None


def _info(a: Account) -> AccountInfo:
    return AccountInfo(
        a.id,
        a.label,
        a.username,
        a.server,
        a.port,
        a.path,
        a.preset,
        a.base_url,
        a.enabled,
        a.interval_minutes,
        a.pinned_sha256,
    )


def list_accounts(kind: str = "carddav") -> list[AccountInfo]:
    return [_info(a) for a in Account.select().where(Account.kind == kind).order_by(Account.id)]


def get_account(label: str, kind: str | None = "carddav") -> Account:
    """The account with this label; kind None: address-book or calendar account alike."""
    query = Account.label == label
    a = Account.get_or_none(query if kind is None else query & (Account.kind == kind))
    if a is None:
        kinds = ["carddav", "caldav"] if kind is None else [kind]
        known = ", ".join(x.label for k in kinds for x in list_accounts(k))
        if not known:
            raise AccountError(
                _("Den Account „{label}“ gibt es nicht (es gibt noch keinen Account).").format(
                    label=label
                )
            )
        raise AccountError(
            _("Den Account „{label}“ gibt es nicht (vorhanden: {known}).").format(
                label=label, known=known
            )
        )
    return a


def add_account(
    label: str,
    *,
    server: str,
    username: str,
    password: str,
    port: int | None = None,
    path: str = "",
    preset: str = "other",
    interval_minutes: int = 15,
    pinned_sha256: str | None = None,
    kind: str = "carddav",
    user: User | None = None,
    group_style: str | None = None,
) -> Account:
    """Save an account (password into the keyring); the URL is resolved now.

    `kind`: "carddav" (address books) or "caldav" (calendars, for the Contactbox `user`
    it serves: `app.sync.calendar_jobs.add_calendar_account`). `group_style`: how the
    account writes groups (app.store.groups.STYLES); None: the default of its server type
    (`groups.default_style(preset)`)."""
    from app.store import groups  # (not loaded by a sync: issue 21)

    label = label.strip()
    if not label:
        raise AccountError(_("Bitte geben Sie eine Bezeichnung für den Account an."))
    style = _checked_style(group_style) if group_style is not None else groups.default_style(preset)
    if Account.get_or_none(Account.label == label) is not None:
        raise AccountError(_("Einen Account „{label}“ gibt es bereits.").format(label=label))
    from app.dav.discovery import build_base_url  # (not on a sync's path: issue 21)

    try:
        base_url = build_base_url(server, port, path, preset)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    # The row commits first, the password goes to the keyring after: a keyring that is
    # slow or asks the user (unlock prompt) never holds the database's write lock.
    account = Account.create(
        label=label,
        server=server,
        username=username,
        port=port,
        path=path,
        preset=preset,
        base_url=base_url,
        interval_minutes=interval_minutes,
        pinned_sha256=pinned_sha256,
        kind=kind,
        user=user,
        group_style=style,
    )
    try:
        secrets.set_password(account.id, password)
    except BaseException:
        # The keyring refused (or the save was interrupted): the account is removed again,
        # so a failed save leaves no account and no password, as if OK was never pressed.
        _undo_create(account)
        raise
    return account


def _undo_create(account: Account) -> None:
    """Take back an account `add_account` has just committed (its password did not go to
    the keyring): whatever part of the password was stored and the row (nothing refers to
    it yet)."""
    account_id = account.id
    with contextlib.suppress(Exception):  # nothing stored, or the keyring is gone
        secrets.delete_password(account_id)
    Account.delete().where(Account.id == account_id).execute()


def _checked_style(style: str) -> str:
    from app.store import groups

    if style not in groups.STYLES:
        raise AccountError(
            _("„{style}“ ist keine Art, Gruppen zu schreiben (möglich: {styles}).").format(
                style=style, styles=", ".join(groups.STYLES)
            )
        )
    return style


def set_group_style(account: Account, style: str) -> None:
    """How `account` writes groups from now on: "categories", "cards" or "both"
    (app.store.groups.STYLES; AccountError for another word). Groups keep the form they
    have; a new group of the account's books (and, with "both", the form a group lacks at
    its next change) is written this way."""
    account.group_style = _checked_style(style)
    account.save(only=[Account.group_style])


def remove_account(account: Account) -> None:
    """Remove the account, its bindings and sync state; local contacts stay."""
    with database.atomic():
        account_id = account.id
        account.delete_instance(recursive=False)
    secrets.delete_password(account_id)


def open_session(account: Account, *, timeout: float = READ_TIMEOUT) -> DavSession:
    return open_account_session(session_fields(account), timeout=timeout)


def session_fields(account: Account) -> SessionFields:
    """What opening the account's session reads from its row (app/account_session.py)."""
    return SessionFields(account.id, account.base_url, account.username, account.pinned_sha256)


#: A connection check from the account dialog's fields: server, port, path, preset,
#: username, password, pinned certificate (`check_connection`, `check_calendar_connection`).
ConnectionCheck = Callable[[str, int | None, str, str | None, str, str, str | None], R]


def check_saved(check: ConnectionCheck[R], account: Account, password: str) -> R:
    """The connection check of a saved account (address-book or calendar kind)."""
    return check(
        account.server,
        account.port,
        account.path,
        account.preset,
        account.username,
        password,
        account.pinned_sha256,
    )


def check_account(account: Account) -> ConnectionResult[RemoteBook]:
    from app.dav.discovery import check_connection

    return check_saved(check_connection, account, secrets.get_password(account.id))


def server_books(session: DavSession) -> list[RemoteBook]:
    from app.dav.discovery import discover_books

    return discover_books(session)


def client_for(session: DavSession) -> CardDavClient:
    return CardDavClient(session)


def bindings(account: Account) -> list[Binding]:
    return list(account.bindings.order_by(Binding.id))
