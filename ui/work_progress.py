"""A modal progress window for long store work on a worker thread: "12 von 10.000", Abbrechen.

`WorkProgressDialog.run(fn)` runs `fn(progress, cancelled)` on a `ProgressWorker`
(ui/workers.py) and keeps the event loop turning while it works, so the window repaints,
follows the store and answers; it returns `fn`'s result once the worker is done, or raises
`WorkFailed` with the worker's message. Abbrechen (or Esc, or closing the window) asks the
work to stop between two items and waits for it: what the work did so far is its own to
keep or undo (the .vcf import keeps every card it has imported, in whole transactions).

Widgets: "progressLabel", "progressBar", "cancelButton".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.locale_format import number_text
from ui.workers import ProgressWorker, start_worker

__all__ = ["WorkFailed", "WorkProgressDialog"]

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class WorkFailed(Exception):
    """The work raised; `message` is what the worker said (in the user's language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkProgressDialog(QDialog):
    """Progress of one piece of work: a line of text, a bar and "Abbrechen".

    `describe(done, total)` gives the line ("120 von 10.000 Karten importiert").
    """

    def __init__(
        self,
        title: str,
        describe: Callable[[int, int], str],
        parent: QWidget | None = None,
        *,
        starting: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._describe = describe
        self._result: Any = None
        self._error: str | None = None
        self._finished = False
        self.worker: ProgressWorker | None = None
        layout = QVBoxLayout(self)
        self.label = QLabel(starting or self.tr("Bitte warten …"))
        self.label.setObjectName("progressLabel")
        self.label.setMinimumWidth(360)
        layout.addWidget(self.label)
        self.bar = QProgressBar()
        self.bar.setObjectName("progressBar")
        self.bar.setRange(0, 0)  # busy until the first figures arrive
        layout.addWidget(self.bar)
        buttons = QDialogButtonBox()
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        # The last figures shown (done, total); for tests and the bench.
        self.figures: tuple[int, int] = (0, 0)

    def run(self, fn: Work) -> Any:
        """Run `fn` on a worker while this window shows its progress; its result."""
        worker = ProgressWorker(fn)
        self.worker = worker
        worker.progress.connect(self._progress)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        start_worker(worker)
        if not self._finished:
            self.exec()
        if self._error is not None:
            raise WorkFailed(self._error)
        return self._result

    def cancel_requested(self) -> bool:
        return self.worker is not None and self.worker.is_cancelled()

    @Slot()
    def cancel(self) -> None:
        """Abbrechen: the work stops between two items; the window closes when it has."""
        if self.worker is None or self._finished:
            return
        self.worker.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Wird abgebrochen …"))

    def reject(self) -> None:  # Esc, the window's close button
        if self._finished:
            super().reject()
        else:
            self.cancel()

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self.figures = (done, total)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if not self.cancel_requested():
            self.label.setText(self._describe(done, total))

    @Slot(object)
    def _done(self, result: Any) -> None:
        self._result = result
        self._end()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._error = message
        self._end()

    def _end(self) -> None:
        self._finished = True
        if self.isVisible():
            self.done(QDialog.DialogCode.Accepted)


def counted(template: str) -> Callable[[int, int], str]:
    """A `describe` from a template with {done} and {total} (numbers in the locale's way)."""
    return lambda done, total: template.format(done=number_text(done), total=number_text(total))
