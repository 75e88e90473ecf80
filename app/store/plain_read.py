"""What a `contactbox-sync sync`'s head start needs from the database, read with the
standard library's `sqlite3` before the store (peewee, the models) loads (issue 21).

Read-only (a ``mode=ro`` URI connection) and only from a file whose schema is the current
one (app/store/schema.py), with the database's own id in place: anything else — no file,
an older or newer version, no id yet, an account from before per-database password
entries, any SQLite error — gives None, and the run opens the store and does everything as
before (app/sync/head_start.py). The rows are read as the models would read them: the
account by label and kind, its enabled bindings in the store's order (the same statement
as `Binding.select().where(account & enabled)`) — for a `run` of one book all its bindings
(`account.bindings`), among which the book is named —, and whether each has state rows
(`app.store.syncbase.has_rows`). Which binding is asked for is decided elsewhere, for both
paths alike (`app.sync.head_start.first_to_ask`, `run_to_ask`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.account_session import SessionFields
from app.store.schema import DATABASE_ID_KEY, LEGACY_PREFIX, SCHEMA_VERSION, read_schema_version


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


def read_sync_start(path: Path, label: str, *, every: bool = False) -> SyncStart | None:
    """The account `label` (kind carddav) of the database at `path` and its enabled
    bindings (`every`: all of them); None when the file is not one to read this way (see
    the module docstring) or has no such account (the run then says so, as before)."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        return _read(con, label, every)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()


def _read(con: sqlite3.Connection, label: str, every: bool) -> SyncStart | None:
    if read_schema_version(con.execute) != SCHEMA_VERSION:
        return None
    meta = 'SELECT value FROM "meta_entry" WHERE key = ?'
    found = con.execute(meta, (DATABASE_ID_KEY,)).fetchone()
    if found is None:
        return None
    account = con.execute(
        'SELECT id, base_url, username, pinned_sha256 FROM "account" '
        "WHERE label = ? AND kind = 'carddav' LIMIT 1",
        (label,),
    ).fetchone()
    if account is None or con.execute(meta, (f"{LEGACY_PREFIX}{account[0]}",)).fetchone():
        return None
    rows = con.execute(
        "SELECT t1.id, t1.remote_href, t1.remote_name, "
        '(SELECT name FROM "address_book" WHERE id = t1.book_id), t1.operation, t1.option, '
        "t1.supports_sync, t1.sync_token, "
        'EXISTS (SELECT 1 FROM "item_state" WHERE binding_id = t1.id) FROM "binding" AS t1 '
        + ("WHERE (t1.account_id = ?)" if every else "WHERE ((t1.account_id = ?) AND t1.enabled)"),
        (account[0],),
    ).fetchall()
    return SyncStart(
        database_id=str(found[0]),
        session=SessionFields(int(account[0]), str(account[1]), str(account[2]), account[3]),
        bindings=[_binding(r) for r in rows],
    )


def _binding(r: tuple[Any, ...]) -> BindingRow:
    href, name, book, operation, option = (str(v) for v in r[1:6])
    return BindingRow(int(r[0]), href, name, book, operation, option, bool(r[6]), r[7], bool(r[8]))
