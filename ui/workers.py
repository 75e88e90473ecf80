"""Background work for the window: a QObject moved to a QThread, talking only by signals.

Workers never touch widgets. A job's progress callback emits a signal; `cancelled()`
reads a thread-safe flag that the window sets. Every worker closes its thread's database
connection when it is done (peewee opens one connection per thread).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.store.models import database
from app.sync.execute import Progress
from app.sync.jobs import AccountJob
from app.sync.report import RunReport

# Threads whose work is not finished yet: kept alive here, so a dialog can close while
# its background call still runs (its result then simply goes nowhere).
_RUNNING: set[tuple[QThread, QObject]] = set()


def _close_thread_connection() -> None:
    try:
        if not database.is_closed():
            database.close()
    except Exception:  # the database may already be gone (application quitting)
        pass


class CallWorker(QObject):
    """Runs one function on a background thread; `done(result)` or `failed(message)`."""

    done = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # shown to the user, never swallowed
            self.failed.emit(_message_of(exc))
        else:
            self.done.emit(result)
        finally:
            _close_thread_connection()
            self.finished.emit()


class JobWorker(QObject):
    """Runs `AccountJob.run(on_progress, cancelled)` on a background thread.

    `make_job` is called on the worker thread, so the account and its bindings are read
    with that thread's database connection.
    """

    progress = Signal(object)  # app.sync.execute.Progress
    done = Signal(object)  # app.sync.report.RunReport
    failed = Signal(str)
    finished = Signal()

    #: At most one progress signal per this many seconds within a phase: a 10,000-card
    #: import must not queue 10,000 repaints on the GUI thread.
    PROGRESS_INTERVAL = 0.05

    def __init__(self, make_job: Callable[[], AccountJob]) -> None:
        super().__init__()
        self._make_job = make_job
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._last_phase = ""

    def cancel(self) -> None:
        """Ask the job to stop between two contacts (safe from any thread)."""
        self._cancel.set()

    def _on_progress(self, progress: Progress) -> None:
        now = time.monotonic()
        if (
            progress.phase != self._last_phase
            or progress.done >= progress.total
            or now - self._last_emit >= self.PROGRESS_INTERVAL
        ):
            self._last_phase = progress.phase
            self._last_emit = now
            self.progress.emit(progress)

    @Slot()
    def run(self) -> None:
        try:
            job = self._make_job()
            report: RunReport = job.run(self._on_progress, self._cancel.is_set)
        except Exception as exc:
            self.failed.emit(_message_of(exc))
        else:
            self.done.emit(report)
        finally:
            _close_thread_connection()
            self.finished.emit()


class ProgressWorker(QObject):
    """Runs `fn(progress, cancelled)` on a background thread: long store work of the window
    (.vcf import and export, deleting many contacts) with "done of total" and "Abbrechen".

    `fn` calls `progress(done, total)` as it goes (passed on as the `progress` signal, at
    most every PROGRESS_INTERVAL seconds and always the last one) and asks `cancelled()`
    between two items; `done(result)` or `failed(message)` at the end.
    """

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str)
    finished = Signal()

    PROGRESS_INTERVAL = JobWorker.PROGRESS_INTERVAL

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def cancel(self) -> None:
        """Ask the work to stop between two items (safe from any thread)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _on_progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_emit >= self.PROGRESS_INTERVAL:
            self._last_emit = now
            self.progress.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self._on_progress, self._cancel.is_set)
        except Exception as exc:  # shown to the user, never swallowed
            self.failed.emit(_message_of(exc))
        else:
            self.done.emit(result)
        finally:
            _close_thread_connection()
            self.finished.emit()


class _Answer(QObject):
    """Carries a worker's answer to the GUI thread and into plain callbacks.

    A worker's signal connected straight to a closure or lambda runs it on the *worker*
    thread (there is no receiving QObject to queue it to), where touching a widget can
    crash the process. This relay lives on the GUI thread as a child of the owner: the
    answer is queued to it, and when the owner is destroyed first, Qt disconnects it and
    the late answer is dropped. The relay lives as long as its owner (a few hundred bytes
    per call): deleting it after the answer, with its closures, crashed PySide 6.11 in
    tests/ui/test_backup_dialog.py.
    """

    def __init__(
        self,
        owner: QObject,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> None:
        super().__init__(owner)
        self._on_done = on_done
        self._on_failed = on_failed

    @Slot(object)
    def done(self, result: Any) -> None:
        self._on_done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self._on_failed(message)


def call_in_background(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
) -> CallWorker:
    """Run `fn` on a worker thread; `on_done(result)` / `on_failed(message)` run on the GUI
    thread, and only while `owner` (a widget on the GUI thread) still exists."""
    worker = CallWorker(fn)
    answer = _Answer(owner, on_done, on_failed)
    worker.done.connect(answer.done)
    worker.failed.connect(answer.failed)
    start_worker(worker)
    return worker


def start_worker(worker: CallWorker | JobWorker | ProgressWorker) -> QThread:
    """Move `worker` to a new thread and start it; the thread ends when the work does."""
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    for old in [e for e in _RUNNING if e[0].isFinished()]:
        _RUNNING.discard(old)
    _RUNNING.add((thread, worker))
    thread.start()
    return thread


def running_count() -> int:
    """How many background threads are still working (tests wait for zero)."""
    return sum(1 for thread, _ in _RUNNING if thread.isRunning())


def _message_of(exc: Exception) -> str:
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    return str(exc) or exc.__class__.__name__
