"""Test-wide set-up: Qt offscreen, a real in-memory keyring backend, a fresh SQLite file."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

# The tests read German (the product's first language): a machine whose locale asks for
# English (LANG=en_US.UTF-8, …) would make the CLI — in-process and in subprocesses —
# speak English (app/i18n.py). The variable that decides is set to C.UTF-8 (German for
# Contactbox, valid everywhere); tests of English ask for it explicitly.
for _key in ("LC_ALL", "LC_MESSAGES", "LANG"):
    if os.environ.get(_key):
        if os.environ[_key].lower().startswith("en"):
            os.environ[_key] = "C.UTF-8"
        break


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps passwords in memory, for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def earlier_windows_deleted() -> None:
    """Windows of earlier tests are gone before this one starts: pytest-qt closes them and
    calls deleteLater(), which only an event loop carries out — a window left over would
    still follow the store (ui/store_watch.py) and read this test's database."""
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def core_speaks_german() -> Iterator[None]:
    """Each test starts and ends with the core in German (a test of English sets it)."""
    from app import i18n

    i18n.set_language("de")
    yield
    i18n.set_language("de")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def berlin_time() -> Iterator[None]:
    """The computer's time zone is Europe/Berlin for the test: local and floating times,
    the agenda's occurrences (modules use it with `pytest.mark.usefixtures`)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """A fresh database file, opened and bound to the models."""
    from app.store.db import close_database, open_database

    path = tmp_path / "contactbox.sqlite3"
    open_database(path)
    yield path
    close_database()
