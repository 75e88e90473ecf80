"""Database backups: create, list, check, restore, prune; and the damage check at open.

Backups are whole copies made with SQLite's online backup API (consistent while other
connections read or write), stored next to the database as
``contactbox.<reason>-<YYYYmmdd-HHMMSS UTC>[-n].sqlite3`` with mode 0600, in rollback
journal mode (one self-contained file, no -wal/-shm of their own). Reasons:

* ``vor-migration-vN``      before a schema upgrade from version N (app.store.db)
* ``vor-neu-anlegen``       before a run with the option "Neu anlegen" (app.sync.jobs)
* ``vor-wiederherstellung`` the current state, before a backup is restored over it
* ``manuell``               "Jetzt sichern" / ``contactbox-sync backup create``

Pruning (after each automatic backup): per reason the newest ``KEEP_PER_REASON`` stay,
older ones are deleted; the newest of each reason is never deleted, and manual backups
are never pruned (only the user deletes them). A damaged database that is set aside is
renamed ``contactbox.beschaedigt-<stamp>.sqlite3`` (with its -wal/-shm) and never deleted.

The check at every open (`check_database`, in app/store/dbfile.py with the files'
permissions and `BackupError`, re-exported here: an open loads neither these dataclasses
nor the rest) is cheap: the SQLite header, the file size
against the page count the header promises (a truncated file), and a read of the schema.
``PRAGMA quick_check`` reads every page (0.22 s warm, 2.2 s cold for 50,000 contacts /
200 MB), so it runs on each new backup and on a backup before it is restored, not at
every start (docs/RELIABILITY.md, "Data safety").
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.i18n import N_, _
from app.store.dbfile import _SIDE_FILES, _secure
from app.store.dbfile import BackupError as BackupError  # (re-exported: callers' home)
from app.store.dbfile import check_database as check_database
from app.store.dbfile import secure_database_files as secure_database_files
from app.store.identity import DATABASE_ID_KEY
from app.store.lock import SyncLocked, sync_lock
from app.store.migrations import SCHEMA_VERSION

KEEP_PER_REASON = 10
MANUAL = "manuell"
BEFORE_RECREATE = "vor-neu-anlegen"
BEFORE_RESTORE = "vor-wiederherstellung"
DAMAGED = "beschaedigt"
_STAMP_FORMAT = "%Y%m%d-%H%M%S"

log = logging.getLogger(__name__)


class DamagedSourceError(BackupError):
    """The database to back up is damaged (its copy failed the check)."""


@dataclass(frozen=True)
class Backup:
    """A backup file next to the database."""

    path: Path
    reason: str  # e.g. "vor-neu-anlegen", "vor-migration-v2"
    created: datetime  # UTC, from the file name
    size: int  # bytes
    sequence: int = 0  # several backups of one second: -1, -2, …

    @property
    def reason_de(self) -> str:
        """The reason in words, in the user's language (the name is historical)."""
        return reason_label_de(self.reason)


#: The words for the fixed reasons (German msgids, shown through `reason_label_de`).
_REASON_LABELS = {
    MANUAL: N_("Manuell gesichert"),
    BEFORE_RECREATE: N_("Vor „Neu anlegen“"),
    BEFORE_RESTORE: N_("Vor einer Wiederherstellung"),
}


def reason_label_de(reason: str) -> str:
    """The words for a backup's reason, in the user's language (the dialog and `backup
    list` show them; the name is historical: German is the default)."""
    label = _REASON_LABELS.get(reason)
    if label is not None:
        return _(label)
    match = re.fullmatch(r"vor-migration-v(\d+)", reason)
    if match:
        return _("Vor der Aktualisierung der Datenbank (Version {version})").format(
            version=match.group(1)
        )
    return reason


def _create_private(path: Path) -> None:
    """Create an empty file with mode 0600 (never readable by others, not even briefly)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _backup_pattern(path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(path.stem)}\.(?P<reason>[a-z0-9-]+?)-(?P<stamp>\d{{8}}-\d{{6}})"
        rf"(?:-(?P<n>\d+))?{re.escape(path.suffix)}$"
    )


def _target_name(path: Path, reason: str, now: datetime) -> Path:
    """A new name after every existing one of the same second (a pruned name is not reused:
    the newest backup must sort as the newest)."""
    stamp = now.strftime(_STAMP_FORMAT)
    base = f"{path.stem}.{reason}-{stamp}"
    taken = [
        int(m.group(1) or 0)
        for entry in path.parent.glob(f"{base}*{path.suffix}")
        if (m := re.fullmatch(rf"{re.escape(base)}(?:-(\d+))?{re.escape(path.suffix)}", entry.name))
    ]
    if not taken:
        return path.with_name(f"{base}{path.suffix}")
    return path.with_name(f"{base}-{max(taken) + 1}{path.suffix}")


# ---------------------------------------------------------------- checks


def _schema_version_of(path: Path) -> int:
    value = _meta_value(path, "schema_version")
    return int(value) if value else 0


def _meta_value(path: Path, key: str) -> str | None:
    """One MetaEntry value of the file at `path`, read-only (None: none, or unreadable)."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta_entry WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None


# ---------------------------------------------------------------- create, list, prune


def backup_database(path: Path, reason: str, *, verify: bool = True, prune: bool = True) -> Path:
    """Copy the database with SQLite's online backup API; returns the copy's path.

    `verify`: the copy is checked with ``PRAGMA quick_check`` — a copy of a damaged
    database is removed again and BackupError says so. `prune`: older automatic backups
    of the same reason beyond KEEP_PER_REASON are deleted afterwards.
    """
    if not path.exists():
        raise BackupError(
            _("Es gibt keine Datenbank {path}, die gesichert werden könnte.").format(path=path)
        )
    target = _target_name(path, reason, datetime.now(UTC))
    try:
        _create_private(target)
        src = sqlite3.connect(path, timeout=10)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal/-shm
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(target)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            _(
                "Die Datensicherung nach {folder} ist fehlgeschlagen ({error}). "
                "Bitte prüfen Sie den freien Speicherplatz und die Zugriffsrechte."
            ).format(folder=target.parent, error=detail)
        ) from exc
    _secure(target)
    if verify:
        problem = check_database(target, thorough=True)
        if problem:
            _remove_quietly(target)
            raise DamagedSourceError(
                _(
                    "Die Datenbank {path} ist beschädigt; eine Sicherung davon wäre "
                    "unbrauchbar. {problem} Bitte stellen Sie eine frühere Sicherung wieder her."
                ).format(path=path, problem=problem)
            )
    if prune:
        prune_backups(path)
    return target


def list_backups(path: Path) -> list[Backup]:
    """The backups of the database at `path`, newest first (set-aside damaged files not)."""
    pattern = _backup_pattern(path)
    found = []
    if not path.parent.is_dir():
        return []
    for entry in path.parent.iterdir():
        match = pattern.match(entry.name)
        if match is None or match.group("reason") == DAMAGED or not entry.is_file():
            continue
        created = datetime.strptime(match.group("stamp"), _STAMP_FORMAT).replace(tzinfo=UTC)
        found.append(
            Backup(
                entry,
                match.group("reason"),
                created,
                entry.stat().st_size,
                int(match.group("n") or 0),
            )
        )
    found.sort(key=lambda b: (b.created, b.sequence, b.path.name), reverse=True)
    return found


def prune_backups(path: Path, keep: int = KEEP_PER_REASON) -> list[Path]:
    """Delete automatic backups beyond the newest `keep` of each reason; returns them.

    Manual backups stay; the newest backup of every reason always stays.
    """
    keep = max(1, keep)
    seen: dict[str, int] = {}
    removed: list[Path] = []
    for b in list_backups(path):  # newest first
        if b.reason == MANUAL:
            continue
        seen[b.reason] = seen.get(b.reason, 0) + 1
        if seen[b.reason] > keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def delete_backup(path: Path, backup: Path) -> None:
    """Delete one backup file of the database at `path` (only a listed backup)."""
    if backup.resolve() not in {b.path.resolve() for b in list_backups(path)}:
        raise BackupError(
            _("{name} ist keine Sicherung dieser Datenbank.").format(name=backup.name)
        )
    backup.unlink(missing_ok=True)


def find_backup(path: Path, name: str) -> Path:
    """A backup by file name or path (as the CLI takes it); BackupError if unknown."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    for b in list_backups(path):
        if b.path.name == given.name:
            return b.path
    raise BackupError(
        _(
            "Die Sicherung „{name}“ gibt es nicht. Vorhandene Sicherungen zeigt "
            "„contactbox-sync backup list“."
        ).format(name=name)
    )


# ---------------------------------------------------------------- damaged files, restore


def set_aside_damaged(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) out of the way; never deletes it."""
    target = _target_name(path, DAMAGED, datetime.now(UTC))
    for side in _SIDE_FILES:  # side files first: never a main file without its WAL
        src = path.with_name(path.name + side)
        if src.exists():
            os.replace(src, target.with_name(target.name + side))
    if path.exists():
        os.replace(path, target)
    return target


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path | None  # the state before, backed up as "vor-wiederherstellung"
    damaged_kept: Path | None  # the damaged database, renamed (when it could not be read)
    recreate_stopped: list[str] = field(default_factory=list)  # see _no_second_recreate


def restore_backup(path: Path, backup: Path) -> RestoreResult:
    """Replace the database at `path` by the content of `backup`.

    The caller closes its own connections first (app.store.db.close_database) and makes
    sure no sync runs; it reopens with open_database afterwards (which migrates an older
    backup). A sound current database is first backed up as "vor-wiederherstellung" and
    then overwritten page by page with SQLite's backup API, inside SQLite's locking and
    WAL (a process that still reads sees the old or the new state, never a mix); a
    damaged or missing one is set aside (renamed) and the backup copied into a new file.
    All of it under the database's sync lock (app/store/lock.py): while another process
    syncs, BackupError says so and nothing is changed.
    """
    problem = check_database(backup, thorough=True)
    if problem:
        raise BackupError(
            _("Die Sicherung {name} ist nicht lesbar: {problem}").format(
                name=backup.name, problem=problem
            )
        )
    version = _schema_version_of(backup)
    if version < 1:
        raise BackupError(
            _("Die Datei {name} ist keine Sicherung von Contactbox Sync.").format(name=backup.name)
        )
    if version > SCHEMA_VERSION:
        raise BackupError(
            _(
                "Die Sicherung {name} stammt von einer neueren Version von Contactbox "
                "Sync. Bitte aktualisieren Sie das Programm."
            ).format(name=backup.name)
        )
    try:
        with sync_lock(path):  # no other process syncs (or restores) meanwhile
            return _restore_locked(path, backup)
    except SyncLocked as exc:
        raise BackupError(
            _("{reason} Danach können Sie die Sicherung wiederherstellen.").format(
                reason=exc.message
            )
        ) from exc


def _restore_locked(path: Path, backup: Path) -> RestoreResult:
    safety: Path | None = None
    damaged: Path | None = None
    sound = path.exists() and path.stat().st_size > 0 and check_database(path) is None
    database_id = _meta_value(path, DATABASE_ID_KEY) if sound else None
    if sound:
        try:
            safety = backup_database(path, BEFORE_RESTORE)
        except DamagedSourceError:  # damage deeper than the check at open looks
            sound = False
    if not sound and (
        path.exists() or any(path.with_name(path.name + s).exists() for s in _SIDE_FILES)
    ):
        damaged = set_aside_damaged(path)
    try:
        if not path.exists():
            _create_private(path)
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(path, timeout=30)
            try:
                src.backup(dst)
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        failed = _("Die Wiederherstellung aus {name} ist fehlgeschlagen ({error}).").format(
            name=backup.name, error=exc
        )
        kept = _("Der vorige Stand liegt in {name}.").format(name=safety.name) if safety else ""
        advice = _(
            "Läuft noch ein anderes Contactbox-Programm (z. B. „contactbox-sync daemon“)? "
            "Bitte beenden Sie es und versuchen Sie es erneut."
        )
        raise BackupError(" ".join(t for t in (failed, kept, advice) if t)) from exc
    secure_database_files(path)
    if database_id:
        _keep_database_id(path, database_id)
    return RestoreResult(backup, safety, damaged, _no_second_recreate(path))


def _keep_database_id(path: Path, database_id: str) -> None:
    """A backup from before per-database password entries has no id: it keeps the one of
    the database it replaces, so its accounts find the passwords they had (the same data
    directory, the same account ids). A backup with an id keeps its own."""
    con = sqlite3.connect(path, timeout=30)
    try:
        with con:
            con.execute(
                "INSERT OR IGNORE INTO meta_entry (key, value) VALUES (?, ?)",
                (DATABASE_ID_KEY, database_id),
            )
    except sqlite3.Error:  # then open_database makes a new id (legacy accounts take over)
        log.warning("Datenbank-Kennung nach der Wiederherstellung nicht übernommen", exc_info=True)
    finally:
        con.close()


def _no_second_recreate(path: Path) -> list[str]:
    """Two-way bindings restored with the option "Neu anlegen" continue as "Server".

    A backup can hold a two-way binding still set to "Neu anlegen" (a run by hand that
    had not got to its wipe); after the restore its next run would wipe the book again —
    the very thing a user undoes by restoring. (The backup made right before a "Neu
    anlegen" chosen in the setup dialog or with `run` holds the binding as it was before:
    the choice is saved only when the run starts.) "Server" is what a finished "Neu
    anlegen" continues with (app.sync.modes.AFTER_RECREATE). Returns the books' names,
    for the message.
    """
    con = sqlite3.connect(path, timeout=30)
    try:
        with con:
            rows = con.execute(
                "SELECT id, remote_name FROM binding "
                "WHERE operation = 'sync' AND option = 'recreate'"
            ).fetchall()
            con.executemany(
                "UPDATE binding SET option = 'server' WHERE id = ?", [(r[0],) for r in rows]
            )
    except sqlite3.OperationalError:  # no binding table: a backup of an early version
        return []
    finally:
        con.close()
    return [str(r[1] or "") for r in rows]


def _remove_quietly(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)


# ---------------------------------------------------------------- for the job layer


def current_database_path() -> Path:
    """The file the models are bound to (app.store.models.database)."""
    from app.store.models import database

    return Path(database.obj.database)


def backup_before_recreate() -> Path:
    """The automatic backup before a "Neu anlegen" run (BackupError stops the run)."""
    return backup_database(current_database_path(), BEFORE_RECREATE)


def backup_note_de(backup: Path) -> str:
    """The run report's line about the backup made before "Neu anlegen", in the user's
    language (the name is historical)."""
    return _(
        "Vor „Neu anlegen“ wurde die Datenbank gesichert: {name} "
        "(wiederherstellbar unter Konfiguration ▸ Datensicherung…)."
    ).format(name=backup.name)
