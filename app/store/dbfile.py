"""The database file as every open sees it: whether it looks sound (`check_database`),
owner-only permissions (`secure_database_files`), and the error of backups (`BackupError`).

Part of app/store/backups.py (which re-exports all of it and says why the check is cheap),
in a module of its own so that opening the store, and a sync that makes no backup, load
none of the backups' code (issue 21).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.i18n import _

SQLITE_MAGIC = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup could not be made, read or restored; the message is for the user (in their
    language)."""


def _secure(path: Path) -> None:
    """Owner-only (0600) for a file that exists; no-op on Windows (ACLs of the profile)."""
    if os.name != "nt" and path.exists():
        os.chmod(path, 0o600)


def secure_database_files(path: Path) -> None:
    """The data directory 0700, the database and its -wal/-shm/-journal 0600."""
    if os.name == "nt":
        return
    directory = path.parent
    if (
        directory.exists()
        and directory.stat().st_uid == os.getuid()
        and directory.stat().st_mode & 0o077
    ):
        os.chmod(directory, 0o700)
    for p in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        _secure(p)


def check_database(path: Path, *, thorough: bool = False) -> str | None:
    """What is wrong with the SQLite file at `path` (in the user's language), or None if
    it looks sound.

    Cheap by default (header, size, schema read: well under 10 ms at any size);
    `thorough` adds ``PRAGMA quick_check`` (reads every page).
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        return _("Die Datei kann nicht gelesen werden ({error}).").format(error=exc.strerror or exc)
    if size == 0:
        return _("Die Datei ist leer (0 Byte).")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return _("Die Datei ist keine SQLite-Datenbank (falscher Dateikopf).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return _("Der Dateikopf der Datenbank ist beschädigt (ungültige Seitengröße).")
    pages = int.from_bytes(header[28:32], "big")
    valid_for = header[92:96]
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if pages and header[24:28] == valid_for and not wal_pending and size < pages * page_size:
        expected = pages * page_size
        return _("Die Datei ist abgeschnitten: {size} statt {expected} Byte.").format(
            size=size, expected=expected
        )
    try:
        con = sqlite3.connect(path, timeout=10)
    except sqlite3.Error as exc:
        return _("Die Datenbank lässt sich nicht öffnen ({error}).").format(error=exc)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        if tables and "meta_entry" not in tables:
            return _("Die Datei ist keine Contactbox-Datenbank (andere Tabellen).")
        for table in tables:  # the root page and first leaf of every table
            con.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchall()
        if thorough:
            result = [r[0] for r in con.execute("PRAGMA quick_check(5)")]
            if result != ["ok"]:
                return _("Die Prüfung der Datenbank hat Fehler gefunden: {errors}").format(
                    errors="; ".join(result)
                )
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # another process writes right now: not a sign of damage
        return _("Die Datenbank lässt sich nicht lesen ({error}).").format(error=exc)
    except sqlite3.DatabaseError as exc:
        return _("SQLite meldet: „{error}“.").format(error=exc)
    finally:
        con.close()
    return None
