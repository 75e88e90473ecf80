"""Open the SQLite database, check it, migrate its schema, back it up before each migration.

The schema is versioned from the first release: MIGRATIONS[i] brings version i to i+1.
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

from peewee import DatabaseProxy, SqliteDatabase

from app.store import changes
from app.store.backups import BackupError, check_database, list_backups, secure_database_files
from app.store.backups import backup_database as backup_database  # its home until v0.x
from app.store.collation import search_text, sort_key
from app.store.identity import ensure_database_id
from app.store.models import (
    ALL_MODELS,
    CALENDAR_MODELS,
    AddressBook,
    Contact,
    MetaEntry,
    PendingReattach,
    User,
    UserSetting,
    database,
)

log = logging.getLogger(__name__)

STANDARD_BOOK = "Standard"
DEFAULT_USER = "Standardbenutzer"


def _create_v1(db: SqliteDatabase) -> None:
    """Version 1: every table of the first release."""
    db.create_tables(ALL_MODELS)


#: (index name, column) of the contact list's sort and search indexes (schema version 2).
#: Each sort index ends in sort_fn (and, implicitly, the row id): equal values (many
#: contacts have no e-mail) are listed by name, still straight from the index.
LIST_INDEXES = (
    ("email", "email COLLATE NOCASE, sort_fn"),
    ("phone", "phone, sort_fn"),
    ("org", "sort_org, sort_fn"),
    ("given", "sort_given, sort_fn"),
    ("family", "sort_family, sort_fn"),
    ("modified", "modified, sort_fn"),
    ("search", "search"),
)


def _german_sort_keys_v2(db: SqliteDatabase) -> None:
    """Version 2: German sort keys for names and organizations (app.store.collation),
    and per-user settings (UserSetting).

    A database created by this release already has the columns (v1 creates the tables
    from the current models); one from the first release gets them added and filled.
    """
    have = {c.name for c in db.get_columns("contact")}
    for column in ("sort_fn", "sort_given", "sort_family", "sort_org"):
        if column not in have:
            db.execute_sql(
                f"ALTER TABLE contact ADD COLUMN {column} VARCHAR(255) NOT NULL DEFAULT ''"
            )
    rows = db.execute_sql("SELECT id, fn, given, family, org FROM contact").fetchall()
    db.cursor().executemany(
        "UPDATE contact SET sort_fn = ?, sort_given = ?, sort_family = ?, sort_org = ? "
        "WHERE id = ?",
        [
            (sort_key(fn), sort_key(given), sort_key(family), sort_key(org), cid)
            for cid, fn, given, family, org in rows
        ],
    )
    db.execute_sql("DROP INDEX IF EXISTS contact_book_id_deleted_at_fn")
    db.create_tables([Contact, UserSetting], safe=True)  # IF NOT EXISTS: tables, indexes
    ensure_list_indexes(db)


def ensure_list_indexes(db: SqliteDatabase | DatabaseProxy) -> None:
    """The contact list's indexes, created where missing (each start: a first import that
    stopped without building them again leaves them missing, see `list_indexes_dropped`).

    The contact list sorts by any column and searches a 50,000-contact book without
    reading the cards (a page is then one index walk; a search scans the narrow index).
    """
    for name, column in LIST_INDEXES:
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS contact_list_{name} "
            f"ON contact (book_id, deleted_at, {column})"
        )


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


def _calendar_sync_v3(db: SqliteDatabase) -> None:
    """Version 3: two-way calendar sync (app.sync.calendar).

    Appointment gets `uid` (indexed; unique per user among live appointments with a UID,
    a partial index), and the tables CalendarBinding, EventState, AppointmentVersion and
    AppointmentTombstone. Idempotent like v2: a database created by this release has the
    column and tables already (v1 creates them from the current models).
    """
    have = {c.name for c in db.get_columns("appointment")}
    if "uid" not in have:
        db.execute_sql("ALTER TABLE appointment ADD COLUMN uid VARCHAR(255) NOT NULL DEFAULT ''")
    db.execute_sql("CREATE INDEX IF NOT EXISTS appointment_uid ON appointment (uid)")
    db.execute_sql(
        "CREATE UNIQUE INDEX IF NOT EXISTS appointment_live_uid ON appointment (user_id, uid) "
        "WHERE deleted_at IS NULL AND uid != ''"
    )
    db.create_tables(CALENDAR_MODELS, safe=True)  # IF NOT EXISTS: tables, indexes


def _read_only_v4(db: SqliteDatabase) -> None:
    """Version 4: Binding and CalendarBinding get `read_only` (the server lets the user only
    read the collection: local changes stay local). Idempotent like v2 and v3."""
    for table in ("binding", "calendar_binding"):
        if "read_only" not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(
                f"ALTER TABLE {table} ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0"
            )


def _pending_reattach_v5(db: SqliteDatabase) -> None:
    """Version 5: PendingReattach, the contacts an interrupted "Neu anlegen" still has to
    re-attach appointments and follow-ups from. Idempotent (IF NOT EXISTS)."""
    db.create_tables([PendingReattach], safe=True)


def _announce_changes_v6(db: SqliteDatabase) -> None:
    """Version 6: the table `store_change` and the triggers that count every committed
    change of what a user sees into it (app/store/changes.py), so an open window follows
    changes made by a sync, the CLI or the daemon. Idempotent (IF NOT EXISTS)."""
    for statement in changes.install_sql():
        db.execute_sql(statement)


#: Contacts read (and, where changed, rewritten) per batch by
#: `_folded_search_and_natural_sort`.
REKEY_BATCH = 5000
#: From this many changed contacts in a batch on, the indexes over the rewritten columns
#: are dropped until the end and built again once: 50,000 changed contacts take about
#: 6 s instead of 12 s (a few changed contacts are cheaper to update in place).
REKEY_DROP_INDEXES = 1000


def _folded_search_and_natural_sort(db: SqliteDatabase) -> None:
    """Search folding and natural number order (app.store.collation): every contact's
    search text gets the folded form of its words ("Müller" is found by "mueller" and
    "muller"), its sort keys order numbers by value ("Müller 16" before "Müller 152").

    Rebuilt from the stored columns, not the cards (an older search column holds the
    case-folded words `search_text` starts from), in batches along the primary key; only
    rows whose values change are written. Idempotent: a second run writes nothing.
    """
    indexes = [  # (name, the statement that built it) of those over the rewritten columns
        (name, sql)
        for name, sql in db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contact'"
        ).fetchall()
        if sql and ("sort_" in sql or "search" in sql)
    ]
    dropped = False
    last = 0
    while True:
        rows = db.execute_sql(
            "SELECT id, fn, given, family, org, search, sort_fn, sort_given, sort_family, "
            "sort_org FROM contact WHERE id > ? ORDER BY id LIMIT ?",
            (last, REKEY_BATCH),
        ).fetchall()
        if not rows:
            break
        changed = []
        for cid, fn, given, family, org, search, *keys in rows:
            new = (search_text(search), sort_key(fn), sort_key(given), sort_key(family),
                   sort_key(org))  # fmt: skip
            if new != (search, *keys):
                changed.append((*new, cid))
        if len(changed) >= REKEY_DROP_INDEXES and not dropped:
            for name, _sql in indexes:
                db.execute_sql(f'DROP INDEX "{name}"')
            dropped = True
        db.cursor().executemany(
            "UPDATE contact SET search = ?, sort_fn = ?, sort_given = ?, sort_family = ?, "
            "sort_org = ? WHERE id = ?",
            changed,
        )
        last = rows[-1][0]
    if dropped:
        for _name, sql in indexes:
            db.execute_sql(sql)


# MIGRATIONS[i] migrates schema version i to i + 1.
MIGRATIONS: list[Callable[[SqliteDatabase], None]] = [
    _create_v1,
    _german_sort_keys_v2,
    _calendar_sync_v3,
    _read_only_v4,
    _pending_reattach_v5,
    _announce_changes_v6,
    _folded_search_and_natural_sort,  # version 7
]
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; message is for the user (German)."""


class DamagedDatabaseError(DatabaseError):
    """The file at `path` is damaged (or not a Contactbox database): restore a backup.

    `problem` says what is wrong (German); the message names the file. The GUI offers
    the recovery dialog (ui/backup_dialog.py), the CLI names the backup commands.
    """

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"Die Datenbank {path} ist beschädigt. {problem}")
        self.path = path
        self.problem = problem


def schema_version(db: SqliteDatabase) -> int:
    if not db.table_exists("meta_entry"):
        return 0
    row = MetaEntry.get_or_none(MetaEntry.key == "schema_version")
    return int(row.value) if row else 0


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if needed) and migrate the database at `path`; binds the models.

    An existing file is checked first (app.store.backups.check_database: header, size,
    schema; cheap): a damaged one raises DamagedDatabaseError and is left untouched. An
    empty (0 byte) file counts as damaged when backups exist (there were data before),
    otherwise as new. Files owner-only: the directory 0700, the database and -wal/-shm 0600.
    """
    existed = path.exists() and path.stat().st_size > 0
    if path.exists() and (existed or list_backups(path)):
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
            f"Die Datenbank {path} kann nicht geöffnet werden. Ist sie beschädigt oder "
            f"gesperrt? ({exc})"
        ) from exc
    secure_database_files(path)
    try:
        version = schema_version(db)
    except Exception as exc:
        db.close()
        raise DamagedDatabaseError(
            path, f"Die Datei ist keine gültige Contactbox-Datenbank ({exc})."
        ) from exc
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            "Diese Datenbank stammt von einer neueren Version von Contactbox Sync. "
            "Bitte aktualisieren Sie das Programm."
        )
    if version < SCHEMA_VERSION and existed and version > 0:
        try:
            backup_database(path, f"vor-migration-v{version}")
        except BackupError as exc:
            raise DatabaseError(
                f"Vor der Aktualisierung der Datenbank konnte keine Sicherung angelegt "
                f"werden; die Datenbank bleibt unverändert. {exc}"
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
