"""The run window: a countdown, then the import / sync on a background thread.

The window stays open while the run lasts (SPEC §2 "Vorgang starten"). It shows the
progress per book and overall, the contact being processed and how many changes were
carried out of how many (links and skipped items are no changes). At the end each book
and the whole run show what was done: the figures of the import report, taken from it
(app.sync.report.book_summary / run_summary, the report's columns), so the two never
disagree. "Abbrechen" stops cleanly between two contacts; closing mid-run asks first.
When the mass-deletion guard held deletions back, the user is asked and, on yes, the run
is repeated with the deletions allowed. When the password is missing or refused, it is
asked for (ui/password_prompt.py) and the run is repeated. At the end the import report
opens.

Binding changes from the setup dialog come as `pending` (app.sync.jobs.PendingBinding):
the job saves them when it starts (under the sync lock). "Abbrechen" in the countdown, or
a start refused because another process syncs, leaves the bindings as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.store.accounts import account_by_id, bindings_by_id
from app.store.models import Account
from app.sync.execute import Progress
from app.sync.jobs import AccountJob, PendingBinding
from app.sync.modes import Mode
from app.sync.report import (
    ADDRESS_BOOK,
    LOCAL_CHANGES,
    OTHER_RESULTS,
    SERVER_CHANGES,
    BookReport,
    RunReport,
    Summary,
    book_summary,
    run_summary,
    words_for,
)
from ui.ask import ask_yes_no
from ui.password_prompt import ask_password
from ui.report_dialog import ReportDialog
from ui.report_export import SIDE_DE, status_de
from ui.side_list import bold
from ui.workers import JobWorker, start_worker

# Open run windows, so one without a parent is not garbage-collected mid-run.
_OPEN: set[RunWindow] = set()

# The figures' labels are translated where the import report translates them.
_REPORT_CONTEXT = "ReportDialog"


def _report_tr(text: str) -> str:
    return QCoreApplication.translate(_REPORT_CONTEXT, text)


def figure_label(name: str, collection: str = ADDRESS_BOOK) -> str:
    """A figure's label as the report of `collection` shows it (translated): "Kontakte
    auf dem Server" for an address book, "Termine auf dem Server" for a calendar."""
    label = words_for(collection).labels[name]
    return _report_tr(label)


@dataclass
class _BookRow:
    name: str
    bar: QProgressBar
    status: QLabel
    done: bool = False


class RunWindow(QDialog):
    """Runs some bindings of one account, visibly; ends with the import report."""

    job_started = Signal(object)  # the JobWorker, before its thread starts
    run_finished = Signal(object)  # the final RunReport

    def __init__(
        self,
        account_id: int,
        binding_ids: list[int],
        parent: QWidget | None = None,
        *,
        countdown: int = 5,
        allow_mass_delete: bool = False,
        pending: Sequence[PendingBinding] = (),
    ) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self.binding_ids = list(binding_ids)
        # Not saved yet: the job saves them once it has started (then they join binding_ids).
        self.pending: list[PendingBinding] = list(pending)
        self.allow_mass_delete = allow_mass_delete
        self.account: Account = account_by_id(account_id)
        books: list[tuple[str, Mode]] = [
            (b.remote_name or b.remote_href, Mode.parse(b.operation, b.option))
            for b in bindings_by_id(self.binding_ids)
        ]
        books += [(p.name, p.mode) for p in self.pending]
        self.state = "countdown"  # "countdown" | "running" | "finished" | "stopped"
        self.worker: JobWorker | None = None
        self._jobs: list[AccountJob] = []  # the jobs made on the worker thread, last one last
        self.report: RunReport | None = None
        self.report_dialog: ReportDialog | None = None
        self.runs = 0  # how many jobs were started (2 after a confirmed mass deletion)
        self._remaining = max(0, countdown)
        self._close_when_done = False
        self._current = 0
        # Per row: the changes its apply phase planned (the last progress says how many).
        self._planned: dict[int, int] = {}
        _OPEN.add(self)

        self.setWindowTitle(self.tr("Abgleich – {account}").format(account=self.account.label))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(640, 420)
        layout = QVBoxLayout(self)

        heading = QLabel(
            self.tr("Import / Synchronisation – Account „{account}“").format(
                account=self.account.label
            )
        )
        bold(heading, 1.3)
        layout.addWidget(heading)
        keep_open = QLabel(
            self.tr("Bitte lassen Sie dieses Fenster geöffnet, bis der Vorgang abgeschlossen ist.")
        )
        keep_open.setWordWrap(True)
        layout.addWidget(keep_open)

        self.phase_label = QLabel()
        phase_font = self.phase_label.font()
        phase_font.setBold(True)
        self.phase_label.setFont(phase_font)
        layout.addWidget(self.phase_label)

        books_box = QGroupBox(self.tr("Adressbücher"))
        grid = QGridLayout(books_box)
        grid.setColumnStretch(1, 1)
        self.rows: list[_BookRow] = []
        for i, (name, mode) in enumerate(books):
            label = QLabel(
                self.tr("<b>{name}</b><br><small>{mode}</small>").format(
                    name=name, mode=mode.label()
                )
            )
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(0)
            status = QLabel(self.tr("wartet"))
            status.setTextFormat(Qt.TextFormat.PlainText)
            status.setMinimumWidth(200)
            grid.addWidget(label, i, 0)
            grid.addWidget(bar, i, 1)
            grid.addWidget(status, i, 2)
            self.rows.append(_BookRow(name, bar, status))
        # The whole run, below its books: the bar, and at the end the figures of the
        # report's column "Gesamt".
        total_row = len(self.rows)
        total_name = QLabel(self.tr("Gesamt:"))
        total_font = total_name.font()
        total_font.setBold(True)
        total_name.setFont(total_font)
        grid.addWidget(total_name, total_row, 0)
        self.overall_bar = QProgressBar()
        self.overall_bar.setRange(0, 100)
        grid.addWidget(self.overall_bar, total_row, 1)
        self.total_label = QLabel(" ")
        self.total_label.setTextFormat(Qt.TextFormat.PlainText)
        self.total_label.setMinimumWidth(200)
        grid.addWidget(self.total_label, total_row, 2)
        layout.addWidget(books_box)

        self.current_label = QLabel(" ")
        self.current_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.current_label)
        self.counts_label = QLabel(" ")
        layout.addWidget(self.counts_label)
        layout.addStretch(1)

        bar_layout = QHBoxLayout()
        self.start_now_button = QPushButton(self.tr("Jetzt starten"))
        self.start_now_button.clicked.connect(self.start_now)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button = QPushButton(self.tr("Importbericht anzeigen"))
        self.report_button.clicked.connect(self.show_report)
        self.report_button.setVisible(False)
        self.close_button = QPushButton(self.tr("Schließen"))
        self.close_button.clicked.connect(self.close)
        self.close_button.setVisible(False)
        bar_layout.addWidget(self.start_now_button)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.report_button)
        bar_layout.addWidget(self.cancel_button)
        bar_layout.addWidget(self.close_button)
        layout.addLayout(bar_layout)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._show_countdown()
        if self._remaining > 0:
            self._timer.start()
        else:
            QTimer.singleShot(0, self._begin_if_waiting)

    # ------------------------------------------------------------------ countdown

    def _show_countdown(self) -> None:
        self.phase_label.setText(
            self.tr("Der Abgleich beginnt in {n} s …").format(n=self._remaining)
        )

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining > 0:
            self._show_countdown()
        else:
            self._timer.stop()
            self._begin_if_waiting()

    def _begin_if_waiting(self) -> None:
        if self.state == "countdown":
            self._start_job()

    def start_now(self) -> None:
        """Skip the rest of the countdown."""
        self._timer.stop()
        self._begin_if_waiting()

    # ------------------------------------------------------------------ the job

    def _start_job(self) -> None:
        self.state = "running"
        self.runs += 1
        self._current = 0
        self._planned = {}
        self.counts_label.setText(" ")
        self.total_label.setText(" ")
        for row in self.rows:
            row.done = False
            row.bar.setRange(0, 100)
            row.bar.setValue(0)
            row.status.setText(self.tr("wartet"))
        self.overall_bar.setValue(0)
        self.start_now_button.setVisible(False)
        self.cancel_button.setEnabled(True)
        self.phase_label.setText(self.tr("Der Abgleich läuft …"))
        account_id, binding_ids = self.account_id, list(self.binding_ids)
        pending, jobs = list(self.pending), self._jobs
        allow = self.allow_mass_delete

        def make_job() -> AccountJob:
            account = account_by_id(account_id)
            bindings = bindings_by_id(binding_ids)
            job = AccountJob(account, bindings, allow_mass_delete=allow, pending=pending)
            jobs.append(job)
            return job

        worker = JobWorker(make_job)
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        self.worker = worker
        self.job_started.emit(worker)
        start_worker(worker)

    def _row_for(self, book: str) -> int:
        for i in range(self._current, len(self.rows)):
            if self.rows[i].name == book:
                return i
        return self._current

    def _on_progress(self, progress: Progress) -> None:
        index = self._row_for(progress.book)
        for earlier in self.rows[self._current : index]:
            self._mark_done(earlier)
        self._current = index
        row = self.rows[index]
        if progress.phase == "list":
            row.bar.setRange(0, 0)  # busy: the server is listing the book
            row.status.setText(self.tr("Liste laden …"))
            self.counts_label.setText(" ")  # the last book's counts are not this one's
            percent = 0
        else:
            row.bar.setRange(0, 100)
            fraction = progress.done / progress.total if progress.total else 1.0
            if progress.phase == "fetch":
                percent = int(50 * fraction)
                row.status.setText(self.tr("Kontakte laden …"))
                self.counts_label.setText(
                    self.tr("Vom Server geladen: {done} von {total}").format(
                        done=progress.done, total=progress.total
                    )
                )
            else:
                percent = 50 + int(50 * fraction)
                row.status.setText(self.tr("Änderungen übernehmen …"))
                self._planned[index] = progress.changes_total
                self._show_applied(progress.changes_done, progress.changes_total)
            row.bar.setValue(percent)
        if progress.current:
            self.current_label.setText(
                self.tr("Aktueller Kontakt: {name}").format(name=progress.current)
            )
        done_books = sum(1 for r in self.rows if r.done)
        overall = (done_books * 100 + percent) / max(1, len(self.rows))
        self.overall_bar.setValue(int(overall))

    def _show_applied(self, done: int, total: int) -> None:
        """The changes carried out of those planned (links and skips are no changes);
        nothing while there are none."""
        if not done and not total:
            self.counts_label.setText(" ")
            return
        total = max(done, total)
        self.counts_label.setText(
            self.tr("Übernommen: {done} von %n Änderung(en)", "", total).format(done=done)
        )

    def _mark_done(self, row: _BookRow) -> None:
        row.done = True
        row.bar.setRange(0, 100)
        row.bar.setValue(100)
        row.status.setText(self.tr("fertig"))

    def _take_saved_bindings(self) -> None:
        """Once the job has saved the pending bindings, a repeated run (password, mass
        deletion) runs those bindings as saved: never the setup's choice a second time
        ("Neu anlegen" switches to its follow-up option once it has emptied the book)."""
        job = self._jobs[-1] if self._jobs else None
        if self.pending and job is not None and not job.pending:
            self.binding_ids = [int(b.id) for b in job.bindings]
            self.pending = []

    def _on_done(self, report: RunReport) -> None:
        self.worker = None
        self._take_saved_bindings()
        if (
            report.status == "failed"
            and report.error_kind == "auth"
            and not self._close_when_done
            and self._ask_password()
        ):
            self._start_job()
            return
        guarded = [b for b in report.books if b.guarded]
        if (
            guarded
            and not self.allow_mass_delete
            and report.status != "cancelled"
            and not self._close_when_done
        ):
            held = sum(b.held_back for b in guarded)
            names = ", ".join(f"„{b.book}“" for b in guarded)
            sides = ", ".join(sorted({SIDE_DE.get(s, s) for b in guarded for s in b.guarded}))
            if ask_yes_no(
                self,
                self.tr("Viele Kontakte gelöscht"),
                self.tr(
                    "Im Adressbuch {names} fehlt auf einer Seite ({sides}) mehr als die Hälfte "
                    "der abgeglichenen Kontakte. %n Kontakt(e) würde(n) deshalb auch auf der "
                    "anderen Seite gelöscht.\n\n%n Kontakt(e) wirklich löschen?",
                    "",
                    held,
                ).format(names=names, sides=sides),
            ):
                self.allow_mass_delete = True
                self._start_job()
                return
        self._finish(report)

    def _ask_password(self) -> bool:
        """No password, or the server refused it: ask for it; True to run again."""
        return ask_password(self.account_id, self.account.label, self.account.username, self)

    def _on_failed(self, message: str) -> None:
        self.worker = None
        self._take_saved_bindings()
        self.state = "finished"
        self.phase_label.setText(self.tr("Der Abgleich ist fehlgeschlagen."))
        self.current_label.setText(message)
        self._show_end_buttons()
        if self._close_when_done:
            self.close()

    def _finish(self, report: RunReport) -> None:
        self.state = "finished"
        self.report = report
        planned = 0
        books = list(report.books)
        for index, row in enumerate(self.rows):
            book = next((b for b in books if b.book == row.name), None)
            if book is not None:
                books.remove(book)  # two books of the same name: one row each
            row.bar.setRange(0, 100)
            row.status.setToolTip("")
            if book is None or book.not_started:
                row.status.setText(self.tr("nicht begonnen"))
                row.status.setToolTip(book.not_started if book is not None else "")
                continue
            summary = book_summary(book)
            planned += max(self._planned.get(index, 0), summary.changes)
            if book.error:
                # What was carried out before the failure stays and is counted too.
                row.status.setText("\n".join([self.tr("Fehler"), *self._summary_lines(summary)]))
                row.status.setToolTip(f"{book.error}\n\n{self._figures_tip(book)}")
                continue
            if report.status != "cancelled" or row.done:
                row.bar.setValue(100)
            row.status.setText(self._summary_text(summary))
            row.status.setToolTip(self._figures_tip(book))
        total = run_summary(report)
        self._show_applied(total.changes, planned)
        self.total_label.setText(self._summary_text(total))
        if report.status == "cancelled":
            self.phase_label.setText(
                self.tr(
                    "Der Abgleich wurde abgebrochen. Bereits übernommene Kontakte "
                    "bleiben erhalten; ein neuer Abgleich setzt fort."
                )
            )
        else:
            self.overall_bar.setValue(100)
            self.phase_label.setText(
                self.tr("Der Abgleich ist abgeschlossen ({status}).").format(
                    status=status_de(report.status)
                )
            )
        self.current_label.setText(report.message or " ")
        self._show_end_buttons()
        self.run_finished.emit(report)
        if self._close_when_done:
            self.close()
            return
        self.show_report()

    def _summary_text(self, summary: Summary) -> str:
        """What was done, with the import report's figures (see _summary_lines)."""
        return "\n".join(self._summary_lines(summary)) or self.tr("keine Änderungen")

    def _summary_lines(self, summary: Summary) -> list[str]:
        """The figures of a report's column that are not zero: a line per side with its
        changes ("In Contactbox: 300 neu"), the group cards' ("Gruppen: 2 geändert"), then
        conflicts, skipped items and errors."""
        figures = summary.figures
        words = (self.tr("{n} neu"), self.tr("{n} aktualisiert"), self.tr("{n} gelöscht"))
        lines: list[str] = []
        for side, names in (
            (_report_tr("In Contactbox"), LOCAL_CHANGES),
            (_report_tr("Auf dem Server"), SERVER_CHANGES),
        ):
            done = [w.format(n=figures[n]) for n, w in zip(names, words, strict=True) if figures[n]]
            if done:
                lines.append(f"{side}: {' · '.join(done)}")
        if figures.get("groups_changed"):
            lines.append(self.tr("Gruppen: {n} geändert").format(n=figures["groups_changed"]))
        others = [f"{figure_label(n)}: {figures[n]}" for n in OTHER_RESULTS if figures.get(n)]
        if summary.errors:
            others.append(self.tr("Fehler: {n}").format(n=summary.errors))
        if others:
            lines.append(" · ".join(others))
        return lines

    def _figures_tip(self, book: BookReport) -> str:
        """Every figure of the book's column in the import report."""
        figures = book.figures()  # (an address book's with its group cards' figures)
        return "\n".join(
            f"{figure_label(name, book.collection)}: {value}" for name, value in figures.items()
        )

    def _show_end_buttons(self) -> None:
        self.start_now_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.report_button.setVisible(self.report is not None)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)

    def show_report(self) -> None:
        if self.report is None:
            return
        if self.report_dialog is None:
            self.report_dialog = ReportDialog(self.report, self)
        self.report_dialog.show()
        self.report_dialog.raise_()

    # ------------------------------------------------------------------ cancel / close

    def cancel(self) -> None:
        """ "Abbrechen": stop the countdown, or the run between two contacts."""
        if self.state == "countdown":
            self._timer.stop()
            self.state = "stopped"
            self.phase_label.setText(self.tr("Abgebrochen – es wurde nichts geändert."))
            self._show_end_buttons()
        elif self.state == "running" and self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.phase_label.setText(self.tr("Wird nach dem aktuellen Kontakt angehalten …"))

    def is_running(self) -> bool:
        return self.state == "running"

    def reject(self) -> None:
        """Escape or the title bar's close: while running, ask first (closeEvent)."""
        if self.state == "running":
            self.close()
            return
        self._timer.stop()
        if self.state == "countdown":
            self.state = "stopped"
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.state == "running":
            if not self._close_when_done and ask_yes_no(
                self,
                self.tr("Abgleich läuft"),
                self.tr(
                    "Der Abgleich läuft noch. Wollen Sie ihn abbrechen und das Fenster "
                    "schließen? Bereits übernommene Kontakte bleiben erhalten."
                ),
            ):
                self._close_when_done = True
                self.cancel()
            event.ignore()  # closes by itself once the job has stopped
            return
        super().closeEvent(event)  # calls reject(), which stops a countdown
        if event.isAccepted():
            _OPEN.discard(self)
