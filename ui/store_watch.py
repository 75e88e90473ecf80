"""The window learns from the store what changed: app.store.changes turned into Qt signals.

One `StoreWatch` per application (`store_watch()`) asks the database's change counters a
few times a second and emits what moved — whoever committed it: this window, a sync in a
worker thread, `contactbox-sync` or the daemon in another process. Pages connect to the
signals and read the store again; none of them keeps its own idea of what a run did.

The asking happens on a helper thread, not on the GUI thread: even ``PRAGMA
data_version`` hands the GIL away, and while a sync parses a big multiget answer on its
threads, getting it back can take tens of milliseconds — a stall the user would feel.
What the helper finds reaches the GUI thread as a queued signal. Bursts are combined: after
an emission the next one waits `HOLD_MS`, so a 10,000-card import re-reads the pages about
once a second, not at every committed batch.

It follows the database the models are bound to (app.store.db.open_path(); a test opens
one file each); it lets go of its connection when the database is closed.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.store import changes
from app.store.changes import Changes, ChangeWatcher
from app.store.db import on_close, open_path

log = logging.getLogger(__name__)

#: How often the helper thread looks at the counters (ms).
POLL_MS = 400
#: After an emission, changes found within this time are combined into the next one (ms).
HOLD_MS = 1000


def _merge(a: Changes, b: Changes) -> Changes:
    return Changes(a.scopes | b.scopes, a.everything or b.everything)


class StoreWatch(QObject):
    """Signals for committed changes of the store (see the module docstring)."""

    accounts_changed = Signal()
    bindings_changed = Signal()  # address book and calendar bindings: last sync, status …
    books_changed = Signal()
    contacts_changed = Signal(object)  # Changes (ask .touches_contacts(book_id))
    appointments_changed = Signal()
    followups_changed = Signal()
    reports_changed = Signal()
    users_changed = Signal()
    _found = Signal(object)  # from the helper thread (queued to the GUI thread)

    def __init__(self, parent: QObject | None = None, *, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._watcher: ChangeWatcher | None = None
        self._pending = Changes()
        self._last_emit = 0.0
        self.hold = QTimer(self)
        self.hold.setSingleShot(True)
        self.hold.timeout.connect(self._emit_pending)
        self._found.connect(self._deliver)
        self._stop = threading.Event()
        self._poll_s = poll_ms / 1000
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        on_close(self._let_go)

    def _let_go(self) -> None:
        """The database closes: our connection first (the last one to close cleans up)."""
        with self._lock:
            if self._watcher is not None:
                self._watcher.close()

    # ------------------------------------------------------------------ looking

    def _look(self) -> Changes:
        """Poll the current database (any thread; the lock keeps one look at a time)."""
        with self._lock:
            path = open_path()  # inside the lock: close_database() waits for the look
            if path is None:  # closed (our connection went in _let_go)
                return Changes()
            if self._watcher is None or self._watcher.path != path:
                # Another file (the app opens one; tests one each): take stock. Whoever
                # opens a file reads it anyway; a restore over the same file is told
                # by its counters, and the backup dialog reloads every page besides.
                if self._watcher is not None:
                    self._watcher.close()
                self._watcher = ChangeWatcher(path)
                self._watcher.poll()
                return Changes()
            return self._watcher.poll()

    def _run(self) -> None:
        while not self._stop.wait(self._poll_s):
            try:
                found = self._look()
            except Exception:  # never let the helper die: the next look tries again
                log.debug("store watch", exc_info=True)
                continue
            if found:
                self._found.emit(found)

    @Slot()
    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def check_now(self) -> Changes:
        """Look at the store now (GUI thread) and emit what changed at once (also
        returned), together with anything the helper found and held back."""
        found = self._look()
        if found or self._pending:
            self._deliver(found, hold=False)
        return found

    # ------------------------------------------------------------------ telling

    @Slot(object)
    def _deliver(self, found: Changes, hold: bool = True) -> None:
        self._pending = _merge(self._pending, found)
        wait_ms = HOLD_MS - (time.monotonic() - self._last_emit) * 1000
        if hold and wait_ms > 0:
            if not self.hold.isActive():
                self.hold.start(int(wait_ms))
            return
        self._emit_pending()

    @Slot()
    def _emit_pending(self) -> None:
        self.hold.stop()
        found, self._pending = self._pending, Changes()
        if not found or open_path() is None:
            return  # (closed meanwhile: nothing to read now, whoever opens it reads it)
        self._last_emit = time.monotonic()
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


def out_of_view(page: QWidget) -> bool:
    """Is `page` a page of a window that the user does not see now (another page is in
    front, or the window is hidden to the tray)? Such a page need not read the store at
    each change: it notes that it is behind and reads once it comes into view
    (its showEvent). A widget that is a window of its own always follows."""
    return page.window() is not page and not page.isVisible()


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
