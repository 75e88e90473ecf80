"""What a `contactbox-sync sync`'s head start needs from the database, read with the
standard library's `sqlite3` before the store (peewee, the models) loads (issue 21).

Read-only (a ``mode=ro`` URI connection) and only from a file whose schema is the current
one (app/store/schema.py), with the database's own id in place: anything else — no file,
an older or newer version, no id yet, an account from before per-database password
entries, any SQLite error — gives None, and the run opens the store and does everything as
before (app/sync/head_start.py). The rows are read as the models would read them: the
account by label and kind, its enabled bindings in the store's order (the same statement
as `Binding.select().where(account & enabled)`) — for a `run` of one book all its bindings
(`account.bindings`), among which the book is named; for a `calendar run` the calendar
account's enabled calendar bindings by id —, and whether each has state rows
(`app.store.syncbase.has_rows`). Which binding is asked for is decided elsewhere, for both
paths alike (`app.sync.head_start.first_to_ask`, `run_to_ask`, `calendar_to_ask`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.account_session import SessionFields
from app.store.schema import DATABASE_ID_KEY, LEGACY_PREFIX, SCHEMA_VERSION, read_schema_version

_T = TypeVar("_T")


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class BindingRow:
    """The columns of a binding the head start reads, the name of its local book, and
    whether it has state rows."""

    id: int
    remote_href: str
    remote_name: str
    local_book: str
    operation: str
    option: str
    supports_sync: bool
    sync_token: str | None
    has_rows: bool

    @property
    def href(self) -> str:
        """(as a server book is named: `app.dav.hrefs.collections_named`)"""
        return self.remote_href

    @property
    def display_name(self) -> str:
        return self.remote_name


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class SyncStart:
    """An address book account's session fields and its enabled bindings (store order; for
    a `run`: all its bindings)."""

    database_id: str
    session: SessionFields
    bindings: list[BindingRow]


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class CalendarRow:
    """The columns of a calendar binding the head start reads, its user's name, and
    whether it has state rows."""

    id: int
    remote_href: str
    user: str
    supports_sync: bool
    sync_token: str | None
    has_rows: bool


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class CalendarStart:
    """A calendar account's session fields and its enabled calendar bindings (by id, as
    `app.sync.calendar_jobs.enabled_bindings` lists them)."""

    database_id: str
    session: SessionFields
    calendars: list[CalendarRow]


def read_sync_start(path: Path, label: str, *, every: bool = False) -> SyncStart | None:
    """The account `label` (kind carddav) of the database at `path` and its enabled
    bindings (`every`: all of them); None when the file is not one to read this way (see
    the module docstring) or has no such account (the run then says so, as before)."""
    return _reading(path, lambda con: _read_books(con, label, every))


def read_calendar_start(path: Path, label: str) -> CalendarStart | None:
    """The calendar account `label` (kind caldav) of the database at `path` and its enabled
    calendar bindings; None as `read_sync_start`."""
    return _reading(path, lambda con: _read_calendars(con, label))


def _reading(path: Path, read: Callable[[sqlite3.Connection], _T | None]) -> _T | None:
    """`read` on a read-only connection to the file at `path` (None: no file, or any
    SQLite error, or what does not read as expected)."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        return read(con)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()


def _account(con: sqlite3.Connection, label: str, kind: str) -> tuple[str, SessionFields] | None:
    """The database id and the session fields of the account `label` of `kind`, from a
    file of the current schema (None: not such a file, or no such account)."""
    if read_schema_version(con.execute) != SCHEMA_VERSION:
        return None
    meta = 'SELECT value FROM "meta_entry" WHERE key = ?'
    found = con.execute(meta, (DATABASE_ID_KEY,)).fetchone()
    if found is None:
        return None
    account = con.execute(
        'SELECT id, base_url, username, pinned_sha256 FROM "account" '
        "WHERE label = ? AND kind = ? LIMIT 1",
        (label, kind),
    ).fetchone()
    if account is None or con.execute(meta, (f"{LEGACY_PREFIX}{account[0]}",)).fetchone():
        return None
    fields = SessionFields(int(account[0]), str(account[1]), str(account[2]), account[3])
    return str(found[0]), fields


def _read_books(con: sqlite3.Connection, label: str, every: bool) -> SyncStart | None:
    found = _account(con, label, "carddav")
    if found is None:
        return None
    database_id, session = found
    rows = con.execute(
        "SELECT t1.id, t1.remote_href, t1.remote_name, "
        '(SELECT name FROM "address_book" WHERE id = t1.book_id), t1.operation, t1.option, '
        "t1.supports_sync, t1.sync_token, "
        'EXISTS (SELECT 1 FROM "item_state" WHERE binding_id = t1.id) FROM "binding" AS t1 '
        + ("WHERE (t1.account_id = ?)" if every else "WHERE ((t1.account_id = ?) AND t1.enabled)"),
        (session.account_id,),
    ).fetchall()
    return SyncStart(database_id, session, [_binding(r) for r in rows])


def _read_calendars(con: sqlite3.Connection, label: str) -> CalendarStart | None:
    found = _account(con, label, "caldav")
    if found is None:
        return None
    database_id, session = found
    rows = con.execute(
        'SELECT t1.id, t1.remote_href, (SELECT name FROM "user" WHERE id = t1.user_id), '
        "t1.supports_sync, t1.sync_token, "
        'EXISTS (SELECT 1 FROM "event_state" WHERE binding_id = t1.id) '
        'FROM "calendar_binding" AS t1 WHERE ((t1.account_id = ?) AND t1.enabled) '
        "ORDER BY t1.id",
        (session.account_id,),
    ).fetchall()
    calendars = [
        CalendarRow(int(r[0]), str(r[1]), str(r[2]), bool(r[3]), r[4], bool(r[5])) for r in rows
    ]
    return CalendarStart(database_id, session, calendars)


def _binding(r: tuple[Any, ...]) -> BindingRow:
    href, name, book, operation, option = (str(v) for v in r[1:6])
    return BindingRow(int(r[0]), href, name, book, operation, option, bool(r[6]), r[7], bool(r[8]))
