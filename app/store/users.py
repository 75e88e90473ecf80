"""Contactbox users ("Benutzerkonfiguration") and the current user.

Every appointment, follow-up, per-user setting and calendar binding belongs to one user;
the views show those of the *current* user. There is always at least one user.

The current user is remembered in the database, as the `MetaEntry` row
``current_user_id`` (so it travels with the data directory like everything the user
arranged, and the CLI, the daemon and the window agree on it). Without that row, or when
it names a user that no longer exists, the current user is the default user
(`User.is_default`, made by app.store.db) - exactly what `agenda.current_user()` returned
before users could be switched.

Removing a user removes, in one transaction: the user's appointments (with their
versions and tombstones), follow-ups, per-user settings, calendar binding with its sync
state, and the user's CalDAV accounts (their passwords leave the keyring afterwards).
Nothing is deleted on the server: the calendar there keeps its events. The last user can
never be removed. If the removed user was the current or the default one, the first
remaining user (by id) takes that part.

Messages of `UserError` are meant for the user, in their language (app.i18n). The default
user is stored as "Standardbenutzer" and shown in the user's language (`display_name`);
`find_by_name` takes either spelling. No peewee object leaves this module except `User`
from `current_user()` (what the agenda functions take).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from app import secrets
from app.i18n import _
from app.secrets import SecretError
from app.store.models import (
    Account,
    Appointment,
    CalendarBinding,
    FollowUp,
    MetaEntry,
    User,
    database,
)
from app.store.names import FALLBACK_USER_NAME as FALLBACK_USER_NAME
from app.store.names import stored_user_name
from app.store.names import user_display_name as display_name

__all__ = [
    "FALLBACK_USER_NAME",
    "UserError",
    "UserInfo",
    "add_user",
    "calendar_account_label",
    "calendar_accounts",
    "current_user",
    "current_user_id",
    "display_name",
    "find_by_name",
    "get_user",
    "get_user_info",
    "list_users",
    "remove_user",
    "rename_user",
    "set_current_user",
    "user_count",
]

CURRENT_USER_KEY = "current_user_id"
CALDAV = "caldav"


class UserError(Exception):
    """A user cannot be added, renamed or removed; the message is in the user's language."""


@dataclass(frozen=True)
class UserInfo:
    """A user as the Benutzerkonfiguration lists it."""

    id: int
    name: str
    is_current: bool
    is_default: bool
    appointments: int  # live (not trashed) appointments
    followups: int
    calendar: str  # name of the bound server calendar, "" if none


# ---------------------------------------------------------------- the current user


def _fallback_user() -> User:
    """The default user; creates "Standard" (or promotes a user of that name) if none."""
    user = User.get_or_none(User.is_default)
    if user is not None:
        return user
    with database.atomic():
        user = User.get_or_none(User.name == FALLBACK_USER_NAME)
        if user is None:
            return User.create(name=FALLBACK_USER_NAME, is_default=True)
        user.is_default = True
        user.save()
        return user


def current_user() -> User:
    """The user whose appointments and follow-ups the views show (see module doc)."""
    row = MetaEntry.get_or_none(MetaEntry.key == CURRENT_USER_KEY)
    if row is not None and str(row.value).isdigit():
        user: User | None = User.get_or_none(User.id == int(row.value))
        if user is not None:
            return user
    return _fallback_user()


def current_user_id() -> int:
    return int(current_user().id)


def set_current_user(user_id: int) -> None:
    """Make `user_id` the current user (remembered in the database)."""
    user = _user(user_id)
    MetaEntry.replace(key=CURRENT_USER_KEY, value=str(user.id)).execute()


# ---------------------------------------------------------------- listing


def _user(user_id: int) -> User:
    user: User | None = User.get_or_none(User.id == user_id)
    if user is None:
        raise UserError(_("Den Benutzer Nr. {id} gibt es nicht.").format(id=user_id))
    return user


def find_by_name(name: str) -> User | None:
    """The user called `name` — the default user also by its name as shown ("Default
    user" in English) unless a user really has that name; None if there is none."""
    names = [str(u.name) for u in User.select(User.name)]
    user: User | None = User.get_or_none(User.name == stored_user_name(name, names))
    return user


def get_user(user_id: int) -> User:
    """The user with this id; UserError when there is none (removed meanwhile)."""
    return _user(user_id)


def list_users() -> list[UserInfo]:
    """All users by name (case-insensitive)."""
    current = current_user_id()
    out = []
    for u in User.select():
        appointments = (
            Appointment.select()
            .where((Appointment.user == u) & Appointment.deleted_at.is_null())
            .count()
        )
        followups = FollowUp.select().where(FollowUp.user == u).count()
        binding = CalendarBinding.get_or_none(CalendarBinding.user == u)
        out.append(
            UserInfo(
                id=int(u.id),
                name=str(u.name),
                is_current=int(u.id) == current,
                is_default=bool(u.is_default),
                appointments=int(appointments),
                followups=int(followups),
                calendar=str(binding.remote_name or binding.remote_href) if binding else "",
            )
        )
    out.sort(key=lambda i: (i.name.casefold(), i.id))
    return out


def get_user_info(user_id: int) -> UserInfo:
    for info in list_users():
        if info.id == user_id:
            return info
    raise UserError(_("Den Benutzer Nr. {id} gibt es nicht.").format(id=user_id))


def user_count() -> int:
    return int(User.select().count())


# ---------------------------------------------------------------- changes


def _valid_name(name: str, *, except_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise UserError(_("Bitte einen Namen für den Benutzer angeben."))
    if len(name) > 100:
        raise UserError(_("Der Name ist zu lang (höchstens {n} Zeichen).").format(n=100))
    for u in User.select(User.id, User.name):
        shown = display_name(str(u.name))
        if u.id != except_id and name.casefold() in (str(u.name).casefold(), shown.casefold()):
            raise UserError(_("Einen Benutzer „{name}“ gibt es bereits.").format(name=shown))
    return name


def add_user(name: str) -> int:
    """A new user (not current, not default); its id."""
    with database.atomic():
        user = User.create(name=_valid_name(name))
    return int(user.id)


def rename_user(user_id: int, name: str) -> None:
    with database.atomic():
        user = _user(user_id)
        user.name = _valid_name(name, except_id=user.id)
        user.save()


def remove_user(user_id: int) -> None:
    """Remove a user and everything that is theirs (see module doc); never the last one."""
    account_ids: list[int] = []
    with database.atomic():
        user = _user(user_id)
        if User.select().count() <= 1:
            raise UserError(
                _(
                    "„{name}“ ist der einzige Benutzer und kann nicht entfernt werden. "
                    "Legen Sie zuerst einen weiteren Benutzer an."
                ).format(name=display_name(str(user.name)))
            )
        was_current = current_user_id() == user.id
        was_default = bool(user.is_default)
        accounts = Account.select().where((Account.kind == CALDAV) & (Account.user == user))
        account_ids = [int(a.id) for a in accounts]
        for account in accounts:
            account.delete_instance(recursive=True)  # its bindings and their sync state
        user.delete_instance(recursive=True)  # appointments, follow-ups, settings, binding
        heir = User.select().order_by(User.id).first()
        if was_default:
            heir.is_default = True
            heir.save()
        if was_current:
            MetaEntry.replace(key=CURRENT_USER_KEY, value=str(heir.id)).execute()
    for account_id in account_ids:
        # The keyring gone or locked: an orphaned entry, harmless.
        with contextlib.suppress(SecretError):
            secrets.delete_password(account_id)


# ---------------------------------------------------------------- calendar accounts


def calendar_accounts(user_id: int) -> list[Account]:
    """The user's CalDAV accounts, the one of their calendar binding first."""
    accounts = list(
        Account.select()
        .where((Account.kind == CALDAV) & (Account.user == user_id))
        .order_by(Account.id)
    )
    binding = CalendarBinding.get_or_none(CalendarBinding.user == user_id)
    if binding is not None:
        bound = [a for a in accounts if a.id == binding.account_id]
        if not bound:  # bound through an account of no user / another user
            bound = [Account.get_by_id(binding.account_id)]
        accounts = bound + [a for a in accounts if a.id != binding.account_id]
    return accounts


def calendar_account_label(user_name: str) -> str:
    """A free account label for a user's calendar account ("Kalender Anna", "… (2)"), in
    the user's language when it is made (a label, once stored, is the user's own)."""
    base = _("Kalender {name}").format(name=display_name(user_name))
    label, n = base, 1
    while Account.select().where(Account.label == label).exists():
        n += 1
        label = f"{base} ({n})"
    return label
