"""Open the SQLite database, check it, migrate its schema, back it up before each migration.

The schema is versioned from the first release: MIGRATIONS[i] brings version i to i+1
(app/store/migrations.py, re-exported here).
Before any migration of an existing file, a copy is written next to it
(app/store/backups.py), so a failed upgrade never costs the user their contacts. A
damaged file is detected before anything is written to it (DamagedDatabaseError).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

from app.i18n import _
from app.store.dbfile import BackupError, check_database, secure_database_files
from app.store.identity import ensure_database_id
from app.store.migrations import LIST_INDEXES as LIST_INDEXES
from app.store.migrations import MIGRATIONS as MIGRATIONS
from app.store.migrations import SCHEMA_VERSION as SCHEMA_VERSION
from app.store.migrations import ensure_list_indexes as ensure_list_indexes
from app.store.migrations import schema_version as schema_version
from app.store.models import AddressBook, MetaEntry, User, database
from app.store.names import DEFAULT_USER as DEFAULT_USER
from app.store.names import STANDARD_BOOK as STANDARD_BOOK

log = logging.getLogger(__name__)


@contextmanager
def list_indexes_dropped() -> Iterator[bool]:
    """Around the very first import (no contact at all yet): the list indexes are dropped
    and built once at the end, which costs less than keeping seven indexes up to date with
    every insert (10,000 cards: 0.9 s instead of 1.4 s of SQLite). Yields whether they were
    dropped; anything else in the table leaves them alone. A crash in between leaves them
    missing until the next start (`open_database` builds them again); meanwhile the list
    is correct, only slower.
    """
    with database.atomic():
        empty = database.execute_sql("SELECT 1 FROM contact LIMIT 1").fetchone() is None
        if empty:
            for name, _column in LIST_INDEXES:
                database.execute_sql(f"DROP INDEX IF EXISTS contact_list_{name}")
    try:
        yield empty
    except Exception:
        if empty:
            try:  # the import failed or was cancelled: the list stays fast all the same
                with database.atomic():
                    ensure_list_indexes(database)
            except Exception:  # e.g. a transaction the failure left open: next start
                log.warning("Listen-Indizes nicht wiederhergestellt", exc_info=True)
        raise
    # (Ctrl+C, SystemExit: the process ends, the next start builds them.)
    if empty:
        with database.atomic():
            ensure_list_indexes(database)


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; message is for the user (German)."""


class DamagedDatabaseError(DatabaseError):
    """The file at `path` is damaged (or not a Contactbox database): restore a backup.

    `problem` says what is wrong (German); the message names the file. The GUI offers
    the recovery dialog (ui/backup_dialog.py), the CLI names the backup commands.
    """

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            _("Die Datenbank {path} ist beschädigt. {problem}").format(path=path, problem=problem)
        )
        self.path = path
        self.problem = problem


def _has_backups(path: Path) -> bool:
    from app.store.backups import list_backups

    return bool(list_backups(path))


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if needed) and migrate the database at `path`; binds the models.

    An existing file is checked first (app.store.backups.check_database: header, size,
    schema; cheap): a damaged one raises DamagedDatabaseError and is left untouched. An
    empty (0 byte) file counts as damaged when backups exist (there were data before),
    otherwise as new. Files owner-only: the directory 0700, the database and -wal/-shm 0600.
    """
    existed = path.exists() and path.stat().st_size > 0
    if path.exists() and (existed or _has_backups(path)):
        problem = check_database(path)
        if problem:
            raise DamagedDatabaseError(path, problem)
    if not path.exists() and os.name != "nt":
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    secure_database_files(path)
    db = SqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 10000,
            "synchronous": "normal",
        },
    )
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # peewee wraps sqlite3 errors in its own types
        raise DatabaseError(
            _(
                "Die Datenbank {path} kann nicht geöffnet werden. Ist sie beschädigt oder "
                "gesperrt? ({error})"
            ).format(path=path, error=exc)
        ) from exc
    secure_database_files(path)
    try:
        version = schema_version(db)
    except Exception as exc:
        db.close()
        raise DamagedDatabaseError(
            path,
            _("Die Datei ist keine gültige Contactbox-Datenbank ({error}).").format(error=exc),
        ) from exc
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            _(
                "Diese Datenbank stammt von einer neueren Version von Contactbox Sync. "
                "Bitte aktualisieren Sie das Programm."
            )
        )
    if version < SCHEMA_VERSION and existed and version > 0:
        from app.store.backups import backup_database  # (only before a migration)

        try:
            backup_database(path, f"vor-migration-v{version}")
        except BackupError as exc:
            raise DatabaseError(
                _(
                    "Vor der Aktualisierung der Datenbank konnte keine Sicherung angelegt "
                    "werden; die Datenbank bleibt unverändert. {error}"
                ).format(error=exc)
            ) from exc
    for step in range(version, SCHEMA_VERSION):
        with db.atomic():
            MIGRATIONS[step](db)
            MetaEntry.replace(key="schema_version", value=str(step + 1)).execute()
    if version >= 2:  # (a new or migrated file has them): after a stopped first import
        ensure_list_indexes(db)
    _ensure_defaults()
    global _open_path
    _open_path = path.resolve()
    return db


#: The file open_database() bound the models to (None before, and after close_database):
#: a plain value any thread may read (peewee's own state is per thread).
_open_path: Path | None = None


#: Called by close_database() before the models' connection closes (e.g. the window's
#: change watcher lets go of its own connection, so the last one to close cleans the WAL).
_close_hooks: list[Callable[[], None]] = []


def open_path() -> Path | None:
    """The database file the models are bound to now, for any thread."""
    return _open_path


def on_close(hook: Callable[[], None]) -> None:
    """Call `hook` whenever the database is closed (once per hook)."""
    if hook not in _close_hooks:
        _close_hooks.append(hook)


def _ensure_defaults() -> None:
    """The "Standard" book and a default user always exist; so does the database's own id
    (the passwords of this data directory are stored under it, app/store/identity.py)."""
    with database.atomic():
        AddressBook.get_or_create(name=STANDARD_BOOK)
        if not User.select().exists():
            User.create(name=DEFAULT_USER, is_default=True)
    ensure_database_id()


def close_database() -> None:
    global _open_path
    _open_path = None
    for hook in list(_close_hooks):
        hook()
    if not database.is_closed():
        database.close()
