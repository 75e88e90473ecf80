"""Saving an account: the row commits first, the password goes to the keyring after, outside
any transaction — a keyring that is slow or asks to be unlocked never holds SQLite's write
lock. A keyring that refuses leaves no account and no password (real SQLite, real keyring
backends)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordSetError

from app import secrets
from app.accounts import add_account, list_accounts
from app.store.models import Account
from tests.conftest import MemoryKeyring


class WatchingKeyring(MemoryKeyring):
    """A keyring that looks at the database from another connection (another process, the
    tray's scheduler) at the moment it is asked to store a password, then stores it — or
    fails, like a locked keyring whose unlock prompt the user dismissed."""

    def __init__(self, db: Path, fail: bool = False) -> None:
        super().__init__()
        self.db = db
        self.fail = fail
        self.seen: list[tuple[list[str], bool]] = []

    def set_password(self, service: str, username: str, password: str) -> None:
        other = sqlite3.connect(self.db, timeout=0)  # no waiting: a held lock fails at once
        try:
            labels = [r[0] for r in other.execute("SELECT label FROM account")]
            try:
                other.execute("BEGIN IMMEDIATE")  # the write lock
                other.execute("ROLLBACK")
                free = True
            except sqlite3.OperationalError:  # "database is locked"
                free = False
        finally:
            other.close()
        self.seen.append((labels, free))
        if self.fail:
            raise PasswordSetError("Der Schlüsselbund ist gesperrt.")
        super().set_password(service, username, password)


@pytest.fixture
def use_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_the_row_commits_before_the_keyring_write_which_holds_no_lock(
    store: Path, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = WatchingKeyring(store)
    use_keyring(backend)
    account = add_account("Büro", server="https://dav.example", username="u", password="geheim")
    assert backend.seen == [(["Büro"], True)]  # committed, and the write lock is free
    assert backend.store == {(secrets.SERVICE, secrets.entry_name(account.id)): "geheim"}
    assert secrets.get_password(account.id) == "geheim"


def test_a_refusing_keyring_leaves_no_account_and_no_password(
    store: Path, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = WatchingKeyring(store, fail=True)
    use_keyring(backend)
    with pytest.raises(secrets.SecretError) as info:
        add_account("Büro", server="https://dav.example", username="u", password="geheim")
    assert "Schlüsselbund" in str(info.value) and "geheim" not in str(info.value)
    assert backend.seen == [(["Büro"], True)]  # it was written outside any transaction
    assert list_accounts() == [] and Account.select().count() == 0  # taken back
    assert backend.store == {}
    # The label is free again: saving once the keyring works gives the account.
    backend.fail = False
    account = add_account("Büro", server="https://dav.example", username="u", password="geheim")
    assert [a.label for a in list_accounts()] == ["Büro"]
    assert secrets.get_password(account.id) == "geheim"


def test_no_keyring_at_all_leaves_no_account(
    store: Path, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    from keyring.backends import fail

    use_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(secrets.NoPasswordStore):
        add_account("Büro", server="https://dav.example", username="u", password="geheim")
    assert list_accounts() == []
