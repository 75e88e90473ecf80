"""The schema's version and how a file says which one it has — standard library only.

`SCHEMA_VERSION` is the number of migrations (app/store/migrations.py checks that its
`MIGRATIONS` has exactly that many); `read_schema_version` asks a file for its version
with two plain statements, through any `execute(sql, params)` that returns a cursor:
peewee's `execute_sql` when the store opens (app/store/db.py), the standard library's
`sqlite3` where a `sync`'s head start reads the file before peewee loads
(app/store/plain_read.py, issue 21)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: The current version: the number of migrations (bump it with each one added).
SCHEMA_VERSION = 12
#: The table holding the version (`app.store.models.MetaEntry`).
META_TABLE = "meta_entry"
#: Its keys of the database's own id and of the accounts that may take over a password
#: entry from before per-database entries (app/store/identity.py).
DATABASE_ID_KEY = "database_id"
LEGACY_PREFIX = "keyring-legacy-account-"


def read_schema_version(execute: Callable[[str, Sequence[Any]], Any]) -> int:
    """The version the file says it has (0: a new file, without the table)."""
    exists = execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (META_TABLE,)
    ).fetchone()
    if exists is None:
        return 0
    row = execute(f'SELECT value FROM "{META_TABLE}" WHERE key = ?', ("schema_version",)).fetchone()
    return int(row[0]) if row else 0
