"""The tray's schedule: every tick it follows the accounts' settings (app.scheduler,
continuing from the runs stored by earlier sessions), starts the next due account (or one
asked for by "Jetzt synchronisieren") on a JobWorker thread with `background_job`
(app/sync/background.py) — one account at a time, never one whose lock a manual run holds
— and, when the job ends, records the result and has the notices told
(ui/tray_notices.py). `report_failure_kind` says why a run failed. `TraySchedulePart` is
mixed into `TrayController` (ui/tray.py); plain methods without @Slot (see "Mixins" in
ui/contacts_page.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from app.scheduler import FAILURE_KINDS, FailureKind, Scheduler, kind_of_message
from app.store.accounts import account_by_id, find_account, schedule_settings
from app.store.reports import last_report_id, last_run_times
from app.sync.background import background_job
from app.sync.jobs import AccountJob
from app.sync.report import RunReport
from ui.workers import JobWorker, start_worker

if TYPE_CHECKING:
    _Tray = QObject  # for the type checker: the part is mixed into TrayController
else:
    _Tray = object


def report_failure_kind(report: RunReport) -> FailureKind:
    """Why a run failed: "auth" | "network" | "server" | "other" (from its messages)."""
    explicit = getattr(report, "error_kind", None)  # if the job ever records the type
    if explicit in FAILURE_KINDS:
        return explicit  # type: ignore[no-any-return]
    if report.message:
        return kind_of_message(report.message)
    kinds = {kind_of_message(b.error) for b in report.books if b.error}
    order: tuple[FailureKind, ...] = ("auth", "network", "server")
    return next((k for k in order if k in kinds), "other")


class _Job:
    """The scheduled (or tray-started) job that runs now."""

    def __init__(
        self, account_id: int, label: str, trigger: str, worker: JobWorker, thread: QThread
    ) -> None:
        self.account_id = account_id
        self.label = label
        self.trigger = trigger
        self.worker = worker
        self.thread = thread


class TraySchedulePart(_Tray):
    """Scheduled and tray-started runs (mixed into `TrayController`)."""

    # Set by TrayController.__init__.
    clock: Callable[[], datetime]
    scheduler: Scheduler
    run_finished: Signal
    _job: _Job | None
    _queue: list[int]
    _quitting: bool
    _seeded: set[int]
    _last_message: dict[int, str]

    if TYPE_CHECKING:

        def _update(self) -> None: ...
        def _fail(self, job: Any, kind: FailureKind, message: str, report_id: int) -> None: ...
        def _tell_about_success(self, job: Any, report: RunReport, report_id: int) -> None: ...

    def _sync_accounts(self) -> None:
        rows = schedule_settings()
        self.scheduler.sync_accounts(rows)
        for account_id, _interval, _enabled in rows:
            if account_id not in self._seeded:
                self._seeded.add(account_id)
                self._seed(account_id)

    def _seed(self, account_id: int) -> None:
        """Continue from earlier sessions: the last stored run counts as the last attempt."""
        last, ok = last_run_times(account_id)
        if last is not None:
            self.scheduler.seed(account_id, last_attempt=min(last, self.clock()), last_success=ok)

    def tick(self) -> None:
        """Start the next due account, if nothing runs (the timer calls this)."""
        if self._quitting or self._job is not None:
            return
        self._sync_accounts()
        while self._queue:
            account_id = self._queue.pop(0)
            if self._start(account_id, "manual"):
                return
        for account_id in self.scheduler.due_accounts(self.clock()):
            if self._start(account_id, "schedule"):
                return
        self._update()

    def _start(self, account_id: int, trigger: str) -> bool:
        account = find_account(account_id)
        if account is None:
            self.scheduler.forget(account_id)
            return False
        if not self.scheduler.try_acquire(account_id):
            return False
        if background_job(account, trigger) is None:
            self.scheduler.release(account_id)
            self.scheduler.defer(account_id)
            return False
        self.scheduler.record_start(account_id)

        def make_job() -> Any:  # AccountJob | CalendarJob, read on the worker's thread
            job = background_job(account_by_id(account_id), trigger)
            if job is None:  # the bindings went away meanwhile: an empty run
                return AccountJob(account_by_id(account_id), [], trigger=trigger)
            return job

        worker = JobWorker(make_job)
        worker.done.connect(self._on_job_done)
        worker.failed.connect(self._on_job_failed)
        thread = start_worker(worker)
        self._job = _Job(account_id, account.label, trigger, worker, thread)
        self._update()
        return True

    def _on_job_done(self, report: RunReport) -> None:
        job = self._job
        if job is None:
            return
        self._job = None
        manual = job.trigger == "manual"
        report_id = self._stored_report_id(job.account_id)
        if report.status == "cancelled":
            self.scheduler.release(job.account_id)
        elif report.status in ("ok", "errors"):
            self._last_message.pop(job.account_id, None)
            self.scheduler.record_result(job.account_id, True, manual=manual)
            self._tell_about_success(job, report, report_id)
        else:
            kind = report_failure_kind(report)
            message = report.message or next((b.error for b in report.books if b.error), "")
            self._fail(job, kind, message, report_id)
        self.run_finished.emit(job.account_id, report)
        self._after_job()

    def _on_job_failed(self, message: str) -> None:
        job = self._job
        if job is None:
            return
        self._job = None
        self._fail(job, kind_of_message(message), message, 0)
        self._after_job()

    def _after_job(self) -> None:
        self._update()
        if not self._quitting:
            QTimer.singleShot(0, self.tick)  # the next due account, if any

    def _stored_report_id(self, account_id: int) -> int:
        return last_report_id(account_id)
