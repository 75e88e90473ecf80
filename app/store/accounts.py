"""Account rows as the windows read them (core; never imports Qt): one account by its id,
the labels of some accounts, every account's schedule settings, whether a label is taken,
and an account's bindings (address books, calendars) by their ids. Adding, checking and removing an
account (with its password and server) stays in app/accounts.py."""

from __future__ import annotations

from collections.abc import Iterable

from app.store.models import Account, Binding, CalendarBinding

__all__ = [
    "account_by_id",
    "account_labels",
    "bindings_by_id",
    "calendar_binding_by_id",
    "find_account",
    "label_taken",
    "schedule_settings",
]


def find_account(account_id: int) -> Account | None:
    """The account with this id; None when there is none (removed meanwhile)."""
    return Account.get_or_none(Account.id == account_id)


def account_by_id(account_id: int) -> Account:
    """The account with this id; raises Account.DoesNotExist when there is none."""
    return Account.get_by_id(account_id)


def account_labels(account_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, label) of those of these accounts that exist, by label ignoring case."""
    ids = list(account_ids)
    if not ids:
        return []
    rows = Account.select(Account.id, Account.label).where(Account.id.in_(ids))
    return sorted(((int(a.id), str(a.label)) for a in rows), key=lambda r: r[1].casefold())


def schedule_settings() -> list[tuple[int, int, bool]]:
    """(id, interval in minutes, enabled) of every account: what the scheduler follows."""
    rows = Account.select(Account.id, Account.interval_minutes, Account.enabled)
    return [(int(a.id), int(a.interval_minutes), bool(a.enabled)) for a in rows]


def label_taken(label: str, *, except_id: int | None = None) -> bool:
    """Another account (not `except_id`) is called `label` already (labels are unique
    across address book and calendar accounts)."""
    query = Account.select(Account.id).where(Account.label == label)
    if except_id is not None:
        query = query.where(Account.id != except_id)
    return query.exists()


def bindings_by_id(binding_ids: Iterable[int]) -> list[Binding]:
    """The address-book bindings with these ids, in the order given; raises
    Binding.DoesNotExist for an id that has none."""
    return [Binding.get_by_id(i) for i in binding_ids]


def calendar_binding_by_id(binding_id: int) -> CalendarBinding:
    """The calendar binding with this id; raises CalendarBinding.DoesNotExist when there
    is none."""
    return CalendarBinding.get_by_id(binding_id)
