"""One sync at a time per database: an OS-level lock file next to the SQLite file.

Two Contactbox processes on one database (the GUI and a `contactbox-sync run`, the daemon
and a cron job, two terminals) must not sync at the same time: both would list the
server, both would upload the same new contact, and one's state would describe the other's
writes. SQLite's own locking keeps the file intact, but not the sync's logic. So every
sync run (AccountJob / CalendarJob, app/sync) holds this lock while it runs; a second
process gets `SyncLocked` at once (non-blocking) with the holder's program name and PID,
and writes nothing.

The lock is `fcntl.flock` on POSIX and `msvcrt.locking` on Windows, held on an open file
descriptor: when the holder dies (crash, SIGKILL, power cut of the process) the operating
system releases it, so there is never a stale lock to clean up. The file itself stays;
its content (program and PID of the last holder) is only informative.

Within one process the lock is re-entrant (counted): the GUI's manual run and its tray
run of another account are already kept apart by the scheduler, and a process never
blocks itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.i18n import _

LOCK_SUFFIX = ".sync-lock"
#: Windows locks byte ranges, and a locked range cannot be read by others: lock a byte
#: far behind the holder's text so that the text stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20

_PROGRAMS = {"cli": "contactbox-sync", "app": "contactbox", "__main__": "contactbox-sync"}
_program_name: str | None = None


def set_program_name(name: str) -> None:
    """The name written into the lock file (default: from sys.argv[0])."""
    global _program_name
    _program_name = name


def program_name() -> str:
    if _program_name:
        return _program_name
    stem = Path(sys.argv[0] if sys.argv and sys.argv[0] else "contactbox").stem
    return _PROGRAMS.get(stem, stem or "contactbox")


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: `contactbox.sqlite3.sync-lock` beside it."""
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


class SyncLocked(Exception):
    """Another process syncs with this database right now; the message is in the user's
    language."""

    def __init__(self, program: str = "", pid: int | None = None) -> None:
        self.program = program
        self.pid = pid
        if program and pid:
            who = f" ({program}, PID {pid})"
        elif pid:
            who = f" (PID {pid})"
        else:
            who = ""
        self.message = _(
            "Eine andere Synchronisation mit dieser Datenbank läuft gerade{who}. "
            "Bitte warten Sie, bis sie beendet ist."
        ).format(who=who)
        super().__init__(self.message)


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class _Held:
    fd: int
    count: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    # POSIX: closing the descriptor releases the flock.


def read_holder(db_path: Path) -> tuple[str, int | None]:
    """(program, PID) written by the current (or last) holder; ("", None) if unknown."""
    return _read_holder(lock_path(db_path))


def _read_holder(path: Path) -> tuple[str, int | None]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "", None
    program, _, pid = text.strip().rpartition(" ")
    if not pid.isdigit():
        return "", None
    return program, int(pid)


_HOLDER_WIDTH = 95  # bytes of "program PID", padded with spaces


def _acquire(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if not _try_lock(fd):
            raise SyncLocked(*_read_holder(path))
        # Ours now: say who holds it (read by a second process to name us). The line is
        # padded to a fixed width and written over the last holder's: truncating the file
        # first made some file systems flush it (200 ms in a profiled run).
        line = f"{program_name()} {os.getpid()}".encode().ljust(_HOLDER_WIDTH) + b"\n"
        if os.fstat(fd).st_size > len(line):
            os.ftruncate(fd, len(line))
        if hasattr(os, "pwrite"):
            os.pwrite(fd, line, 0)
        else:  # Windows
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, line)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def sync_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's sync lock for the block; `SyncLocked` if another process has it."""
    path = lock_path(db_path.resolve())
    with _guard:
        held = _held.get(path)
        if held is not None:
            held.count += 1
        else:
            _held[path] = held = _Held(_acquire(path), 1)
    try:
        yield
    finally:
        with _guard:
            held.count -= 1
            if held.count == 0:
                del _held[path]
                _unlock(held.fd)
                os.close(held.fd)


def database_file() -> Path | None:
    """The file of the open database (None for an in-memory one)."""
    from app.store.models import database

    name = str(getattr(database.obj, "database", "") or "")
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        return None
    return Path(name)


@contextlib.contextmanager
def database_sync_lock() -> Iterator[None]:
    """`sync_lock` for the database the models are bound to (no-op in memory)."""
    path = database_file()
    if path is None:
        yield
        return
    with sync_lock(path):
        yield
