"""The window learns from the store what changed: app.store.changes turned into Qt signals.

One `StoreWatch` per application (`store_watch()`) polls the database's change counters
a few times a second on the GUI thread (``PRAGMA data_version``: microseconds when
nothing happened) and emits what moved — whoever committed it: this window, a sync in a
worker thread, `contactbox-sync` or the daemon in another process. Pages connect to the
signals and read the store again; none of them keeps its own idea of what a run did.

It follows the database the models are bound to (a test or a restore may open another
file): when the path changes, it starts over and reports everything.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from app.store import changes
from app.store.changes import Changes, ChangeWatcher
from app.store.models import database

#: How often the counters are looked at (ms); a change shows within this time.
POLL_MS = 400


def current_database_path() -> Path | None:
    """The file the models are bound to now (None before open_database / after close)."""
    db = database.obj
    name = getattr(db, "database", None) if db is not None else None
    if not name or name == ":memory:" or db.is_closed():
        return None
    return Path(str(name))


class StoreWatch(QObject):
    """Signals for committed changes of the store (see the module docstring)."""

    changed = Signal(object)  # Changes: every poll that found something
    accounts_changed = Signal()
    bindings_changed = Signal()  # address book and calendar bindings: last sync, status …
    books_changed = Signal()
    contacts_changed = Signal(object)  # Changes (ask .touches_contacts(book_id))
    appointments_changed = Signal()
    followups_changed = Signal()
    reports_changed = Signal()
    users_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher: ChangeWatcher | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check_now)
        self.timer.start()

    @Slot()
    def check_now(self) -> Changes:
        """Look at the store now and emit what changed (also returned)."""
        path = current_database_path()
        if path is None:
            return Changes()
        if self._watcher is None or self._watcher.path != path:
            first = self._watcher is None
            if self._watcher is not None:
                self._watcher.close()
            self._watcher = ChangeWatcher(path)
            self._watcher.poll()  # takes stock
            found = Changes() if first else Changes(everything=True)
        else:
            found = self._watcher.poll()
        if found:
            self._emit(found)
        return found

    def restart(self) -> None:
        """The file was replaced (a backup restored): read everything again."""
        if self._watcher is not None:
            self._watcher.reset()
        self.check_now()

    def _emit(self, found: Changes) -> None:
        self.changed.emit(found)
        for scope, signal in (
            (changes.ACCOUNTS, self.accounts_changed),
            (changes.BINDINGS, self.bindings_changed),
            (changes.BOOKS, self.books_changed),
            (changes.APPOINTMENTS, self.appointments_changed),
            (changes.FOLLOWUPS, self.followups_changed),
            (changes.REPORTS, self.reports_changed),
            (changes.USERS, self.users_changed),
        ):
            if found.touches(scope):
                signal.emit()
        if found.touches_contacts():
            self.contacts_changed.emit(found)


_instance: StoreWatch | None = None


def store_watch() -> StoreWatch:
    """The application's StoreWatch (made on first use, lives as long as the QApplication)."""
    global _instance
    app = QCoreApplication.instance()
    if _instance is None or _instance.parent() is not app:
        _instance = StoreWatch(app)
    # Take stock now, while the caller reads the store: a change committed before the
    # first tick of the timer is then told, not taken for the starting point.
    _instance.check_now()
    return _instance
