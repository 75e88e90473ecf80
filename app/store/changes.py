"""What changed in the store: committed changes announced to whoever shows them.

The database announces its own changes. Triggers on the tables a user sees (accounts,
bindings, address books, contacts per book, appointments, follow-ups, reports, users)
count every committed row change into the small table `store_change` (one counter per
*scope*, e.g. ``contacts:3`` for the contacts of book 3), in the same transaction as the
change itself. So every writer is covered without remembering to announce anything: the
window, a sync in a worker thread, `contactbox-sync` or the daemon in another process, a
second window.

`ChangeWatcher` reads them on its own SQLite connection. ``PRAGMA data_version`` changes
whenever another connection (of this process or another one) has committed; it costs
next to nothing, so the watcher can be asked a few times a second. Only then does it read
the counters and tell which scopes moved since the last look (`Changes`). The Qt adapter
(ui/store_watch.py) turns that into signals the pages listen to; this module knows
nothing of Qt.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ACCOUNTS = "accounts"
BINDINGS = "bindings"  # address book and calendar bindings (incl. last sync, status)
BOOKS = "books"
CONTACTS = "contacts"  # scope "contacts:<book id>"
APPOINTMENTS = "appointments"
FOLLOWUPS = "followups"
REPORTS = "reports"
USERS = "users"

#: table → SQL expression of the scope a changed row counts into (NEW/OLD per trigger).
_TABLES: dict[str, str] = {
    "account": f"'{ACCOUNTS}'",
    "binding": f"'{BINDINGS}'",
    "calendar_binding": f"'{BINDINGS}'",
    "address_book": f"'{BOOKS}'",
    "contact": f"'{CONTACTS}:' || ROW.book_id",
    "empty_group": f"'{CONTACTS}:' || ROW.book_id",
    "appointment": f"'{APPOINTMENTS}'",
    "follow_up": f"'{FOLLOWUPS}'",
    "run_report": f"'{REPORTS}'",
    "user": f"'{USERS}'",
}

_BUMP = (
    "INSERT INTO store_change (scope, seq) VALUES ({scope}, 1) "
    "ON CONFLICT (scope) DO UPDATE SET seq = seq + 1;"
)


def _trigger_sql(table: str, scope: str) -> list[str]:
    statements = []
    for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        # An UPDATE counts for the old and the new scope (a contact moved to another book).
        scopes = dict.fromkeys(scope.replace("ROW.", f"{row}.") for row in rows)
        bumps = " ".join(_BUMP.format(scope=s) for s in scopes)
        statements.append(
            f'CREATE TRIGGER IF NOT EXISTS "announce_{table}_{op.lower()}" '
            f'AFTER {op} ON "{table}" BEGIN {bumps} END'
        )
    return statements


def install_sql(tables: Collection[str] | None = None) -> list[str]:
    """The statements that create `store_change` and the triggers (idempotent); only for
    the `tables` given, where a migration runs before a later one creates the others."""
    statements = [
        "CREATE TABLE IF NOT EXISTS store_change "
        "(scope TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID"
    ]
    for table, scope in _TABLES.items():
        if tables is None or table in tables:
            statements.extend(_trigger_sql(table, scope))
    return statements


@dataclass(frozen=True)
class Changes:
    """The scopes that changed since the watcher's last look (empty: nothing)."""

    scopes: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False  # the watcher lost track (new file, restore): read all again

    def __bool__(self) -> bool:
        return self.everything or bool(self.scopes)

    def touches(self, scope: str) -> bool:
        return self.everything or scope in self.scopes

    @property
    def contact_books(self) -> frozenset[int]:
        """Ids of the address books whose contacts changed."""
        prefix = f"{CONTACTS}:"
        return frozenset(
            int(s[len(prefix) :])
            for s in self.scopes
            if s.startswith(prefix) and s[len(prefix) :].isdigit()
        )

    def touches_contacts(self, book_id: int | None = None) -> bool:
        """Contacts of `book_id` (of any book when None) changed."""
        if self.everything:
            return True
        books = self.contact_books
        return bool(books) if book_id is None else book_id in books


class ChangeWatcher:
    """Tells which scopes of the database at `path` changed since the last `poll()`.

    The first poll only takes stock (returns nothing). A database that cannot be read just
    now (locked by a migration, gone while a backup is restored) is tried again at the next
    poll; after it came back, `Changes.everything` says to read everything again.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None
        self._seen: dict[str, int] | None = None
        self._lost = False

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            if not self.path.exists():
                raise sqlite3.OperationalError(f"{self.path} does not exist")
            # read-write but never writing ("ro" cannot open a WAL file whose -shm is gone)
            uri = f"{self.path.resolve().as_uri()}?mode=rw"
            connection = sqlite3.connect(
                uri, uri=True, isolation_level=None, timeout=0.2, check_same_thread=False
            )
            connection.execute("PRAGMA query_only = 1")
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._version = None

    def poll(self) -> Changes:
        try:
            connection = self._connect()
            version = int(connection.execute("PRAGMA data_version").fetchone()[0])
            if version == self._version and self._seen is not None:
                return Changes()
            counters = dict(connection.execute("SELECT scope, seq FROM store_change").fetchall())
        except sqlite3.Error as exc:
            log.debug("store watcher: %s", exc)
            self.close()
            self._lost = self._seen is not None
            return Changes()
        self._version = version
        previous, self._seen = self._seen, counters
        if previous is None:
            return Changes()
        if self._lost:
            self._lost = False
            return Changes(everything=True)
        moved = frozenset(
            scope for scope, seq in counters.items() if previous.get(scope) != seq
        ) | frozenset(scope for scope in previous if scope not in counters)
        return Changes(moved)

    def reset(self) -> None:
        """Connect anew (the file was replaced, e.g. a backup restored); the next poll
        reports everything."""
        self.close()
        self._lost = self._seen is not None
