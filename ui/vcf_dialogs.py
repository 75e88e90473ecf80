""".vcf import and export from the GUI: file choice, duplicate options, the import report.

The file dialogs are the static QFileDialog.getOpenFileNames / getSaveFileName, looked up
at call time, so tests can monkeypatch them; ImportOptionsDialog and ImportReportDialog are
plain QDialogs a test drives with qtbot.

Reading, importing and exporting the cards run on a worker thread (ui/work_progress.py):
the window shows "120 von 10.000 Karten importiert" and "Abbrechen" and stays responsive.
A cancelled import keeps every card imported until then — each complete, committed in whole
transactions (app.store.vcf.import_cards) — and its report says how many cards were not
imported; a cancelled export writes no file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.store.contacts import StoreError
from app.store.names import book_display_name
from app.store.vcf import (
    ExportCancelled,
    ImportReport,
    default_export_name,
    export_book,
    export_vcf,
    import_cards,
    read_cards,
)
from ui.side_list import bold
from ui.work_progress import WorkFailed, WorkProgressDialog, counted

__all__ = [
    "ImportOptionsDialog",
    "ImportReportDialog",
    "export_vcf_interactive",
    "import_vcf_interactive",
]

CONTEXT = "vcf_dialogs"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class ImportOptionsDialog(QDialog):
    """How duplicates are treated: "skip", "update" or "add" (`mode()`).

    Widgets: "skipRadio", "updateRadio", "addRadio", "buttons".
    """

    def __init__(
        self, book_name: str, files: list[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("vCard-Datei importieren"))
        layout = QVBoxLayout(self)
        files = files or []
        if len(files) == 1:
            what = self.tr("„{file}“").format(file=Path(files[0]).name)
        else:
            what = self.tr("{n} Dateien").format(n=len(files))
        intro = QLabel(
            self.tr("{what} in das Adressbuch „{book}“ importieren.").format(
                what=what, book=book_display_name(book_name)
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("<b>Doppelte Kontakte:</b>")))
        self.skip_radio = QRadioButton(self.tr("überspringen"))
        self.skip_radio.setObjectName("skipRadio")
        self.update_radio = QRadioButton(
            self.tr("aktualisieren (die bisherige Fassung bleibt im Verlauf)")
        )
        self.update_radio.setObjectName("updateRadio")
        self.add_radio = QRadioButton(self.tr("trotzdem anlegen"))
        self.add_radio.setObjectName("addRadio")
        self.group = QButtonGroup(self)
        for radio in (self.skip_radio, self.update_radio, self.add_radio):
            self.group.addButton(radio)
            layout.addWidget(radio)
        self.skip_radio.setChecked(True)
        hint = QLabel(
            self.tr(
                "Doppelt ist ein Kontakt mit derselben UID, sonst mit gleichem Namen und "
                "gleicher E-Mail-Adresse, sonst mit genau gleichem Inhalt. Kontakte im "
                "Papierkorb werden nicht erneut importiert."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("buttons")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Importieren"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def mode(self) -> str:
        if self.update_radio.isChecked():
            return "update"
        if self.add_radio.isChecked():
            return "add"
        return "skip"


#: The ImportReport figures the report dialog shows, in this order (then the error count).
REPORT_FIGURES: tuple[str, ...] = (
    "cards_read",
    "added",
    "updated",
    "unchanged",
    "duplicates_skipped",
    "skipped_trashed",
)


class ImportReportDialog(QDialog):
    """The figures of an import, its errors and notes.

    Widgets: "figuresGrid" holds per figure a value label named "value_<attribute>"
    (e.g. "value_added"); "errorList" and "noteList" (QListWidget), "errorsLabel";
    after Abbrechen "cancelledLabel" and the figure "value_cancelled".
    """

    def __init__(self, report: ImportReport, book_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        if report.cancelled:
            self.setWindowTitle(self.tr("Import abgebrochen"))
        else:
            self.setWindowTitle(self.tr("Import abgeschlossen"))
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("vCard-Import in „{book}“").format(book=book_display_name(book_name))
        )
        bold(heading, 1.25)
        layout.addWidget(heading)
        if report.cancelled:
            stopped = QLabel(
                self.tr(
                    "Der Import wurde abgebrochen: %n Karte(n) wurde(n) nicht importiert. Die "
                    "Kontakte davor sind vollständig importiert und bleiben.",
                    "",
                    report.cancelled,
                )
            )
            stopped.setObjectName("cancelledLabel")
            stopped.setWordWrap(True)
            layout.addWidget(stopped)

        grid_widget = QWidget()
        grid_widget.setObjectName("figuresGrid")
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(24)
        labels = {
            "cards_read": self.tr("Gelesene Karten"),
            "added": self.tr("Neu angelegt"),
            "groups_added": self.tr("Gruppen neu angelegt"),
            "updated": self.tr("Aktualisiert"),
            "unchanged": self.tr("Unverändert (doppelt, gleicher Inhalt)"),
            "duplicates_skipped": self.tr("Doppelt, übersprungen"),
            "skipped_trashed": self.tr("Im Papierkorb, übersprungen"),
            "errors": self.tr("Fehler"),
            "cancelled": self.tr("Nicht importiert (abgebrochen)"),
        }
        self.value_labels: dict[str, QLabel] = {}
        figures = [(attr, int(getattr(report, attr))) for attr in REPORT_FIGURES]
        if report.groups_added:  # group cards are no contacts: a line of their own
            figures.insert(REPORT_FIGURES.index("added") + 1, ("groups_added", report.groups_added))
        figures.append(("errors", len(report.errors)))
        if report.cancelled:
            figures.append(("cancelled", report.cancelled))
        for row, (attr, value) in enumerate(figures):
            name = QLabel(labels[attr])
            number = QLabel(str(value))
            number.setObjectName(f"value_{attr}")
            number.setMinimumWidth(48)
            if attr in ("errors", "cancelled") and value:
                number.setStyleSheet("color: #b3261e; font-weight: bold;")
            elif attr == "added" and value:
                number.setStyleSheet("color: #1b7f3b; font-weight: bold;")
            grid.addWidget(name, row, 0)
            grid.addWidget(number, row, 1)
            self.value_labels[attr] = number
        grid.setColumnStretch(2, 1)
        layout.addWidget(grid_widget)

        self.errors_label = QLabel(self.tr("Fehler ({n}):").format(n=len(report.errors)))
        self.errors_label.setObjectName("errorsLabel")
        self.error_list = QListWidget()
        self.error_list.setObjectName("errorList")
        self.error_list.addItems(report.errors)
        self.error_list.setWordWrap(True)
        self.error_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.error_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.error_list.setStyleSheet("QListWidget { color: #b3261e; }")
        for w in (self.errors_label, self.error_list):
            w.setVisible(bool(report.errors))
            layout.addWidget(w)

        self.notes_label = QLabel(self.tr("Hinweise ({n}):").format(n=len(report.notes)))
        self.notes_label.setObjectName("notesLabel")
        self.note_list = QListWidget()
        self.note_list.setObjectName("noteList")
        self.note_list.addItems(report.notes)
        self.note_list.setWordWrap(True)
        self.note_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.note_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w in (self.notes_label, self.note_list):
            w.setVisible(bool(report.notes))
            layout.addWidget(w)
        if not report.errors and not report.notes:
            layout.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Schließen"))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(620, 480 if report.errors or report.notes else self.sizeHint().height())

    def figure(self, attr: str) -> str:
        """The number shown for an ImportReport attribute (or "errors")."""
        return self.value_labels[attr].text()


#: At most this long one transaction of the import holds the database's write lock: the
#: window writes meanwhile too (column widths, an edit), and must not wait longer.
HOLD_SECONDS = 0.05


def _read_files(files: list[str]) -> list[tuple[str, list[str], str]]:
    """Per file (on the worker): its name, its cards, and the error line if it cannot be
    read."""
    parts: list[tuple[str, list[str], str]] = []
    for file in files:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            error = _t("{file}: Die Datei kann nicht gelesen werden ({error}).").format(
                file=path.name, error=exc.strerror or exc
            )
            parts.append((path.name, [], error))
            continue
        parts.append((path.name, read_cards(data), ""))
    return parts


def import_files(
    book_name: str,
    files: list[str],
    mode: str,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> ImportReport:
    """Import the .vcf files into `book_name` (the work of the import's worker thread).

    `progress(done, total)` counts the cards of all files; after `cancelled()` the cards
    not handled yet — of this file and the next ones — are counted as `cancelled`.
    A file that cannot be read becomes an error line; the other files are still imported.
    """
    parts = _read_files(files)
    total = sum(len(cards) for _name, cards, _error in parts)
    report = ImportReport()
    offset = 0
    for name, cards, error in parts:
        if error:
            report = report.merge(ImportReport(errors=[error]))
            continue
        if cancelled() and cards:
            report = report.merge(ImportReport(cancelled=len(cards)))
            continue
        part = import_cards(
            book_name,
            cards,
            duplicates=mode,
            source=name if len(files) > 1 else "",
            progress=progress,
            cancelled=cancelled,
            offset=offset,
            total=total,
            hold=HOLD_SECONDS,
        )
        offset += len(cards)
        report = report.merge(part)
    return report


def import_vcf_interactive(parent: QWidget | None, book_name: str) -> ImportReport | None:
    """Choose .vcf files, the duplicate option, import into `book_name`, show the report.

    The import runs on a worker with progress and Abbrechen (see the module docstring).
    Returns the (merged) report, or None when the user cancelled before the import began
    or it could not begin (the book is gone: a warning was shown).
    """
    files, _ = QFileDialog.getOpenFileNames(
        parent,
        _t("vCard-Dateien importieren"),
        QDir.homePath(),
        _t("vCard-Dateien (*.vcf *.vcard);;Alle Dateien (*)"),
    )
    if not files:
        return None
    options = ImportOptionsDialog(book_name, files, parent)
    if options.exec() != QDialog.DialogCode.Accepted:
        return None
    mode = options.mode()
    progress = WorkProgressDialog(
        _t("vCard-Dateien importieren"),
        counted(_t("{done} von {total} Karten importiert")),
        parent,
        starting=_t("Die Dateien werden gelesen …"),
    )
    try:
        report: ImportReport = progress.run(
            lambda on_progress, cancelled: import_files(
                book_name, files, mode, on_progress, cancelled
            )
        )
    except WorkFailed as exc:
        QMessageBox.warning(parent, _t("vCard-Dateien importieren"), exc.message)
        return None
    finally:
        progress.deleteLater()
    ImportReportDialog(report, book_name, parent).exec()
    return report


class _WriteError(Exception):
    """The export cannot be written; `message`: why (the system's words)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def export_file(
    path: Path,
    contact_ids: list[int] | None,
    book_name: str,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> int | None:
    """Write the contacts (None: the whole book) to `path` (the export's worker thread);
    how many, or None when cancelled (then no file was written)."""
    count = 0

    def follow(done: int, total: int) -> None:
        nonlocal count
        count = done
        progress(done, total)

    try:
        if contact_ids is None:
            data = export_book(book_name, progress=follow, cancelled=cancelled)
        else:
            data = export_vcf(contact_ids, progress=follow, cancelled=cancelled)
        path.write_bytes(data)
    except ExportCancelled:
        return None
    except (OSError, StoreError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _WriteError(detail) from None
    return count


def export_vcf_interactive(
    parent: QWidget | None, contact_ids: list[int] | None, book_name: str
) -> Path | None:
    """Ask where to save, then write the contacts (None: the whole book) as a .vcf file.

    The cards are read and written on a worker with progress and Abbrechen. Returns the
    written path, or None when cancelled (no file written) or the file cannot be written
    (then a warning was shown).
    """
    start = str(Path(QDir.homePath()) / default_export_name(book_name))
    file, _ = QFileDialog.getSaveFileName(
        parent,
        _t("Kontakte als vCard exportieren"),
        start,
        _t("vCard-Dateien (*.vcf)"),
    )
    if not file:
        return None
    path = Path(file)
    if path.suffix.lower() not in (".vcf", ".vcard"):
        path = path.with_name(path.name + ".vcf")
    progress = WorkProgressDialog(
        _t("Kontakte als vCard exportieren"),
        counted(_t("{done} von {total} Kontakten exportiert")),
        parent,
    )
    try:
        count: int | None = progress.run(
            lambda on_progress, cancelled: export_file(
                path, contact_ids, book_name, on_progress, cancelled
            )
        )
    except WorkFailed as exc:
        QMessageBox.warning(
            parent,
            _t("Kontakte als vCard exportieren"),
            _t("Die Datei {file} kann nicht geschrieben werden: {error}").format(
                file=str(path), error=exc.message
            ),
        )
        return None
    finally:
        progress.deleteLater()
    if count is None:
        return None
    message = QCoreApplication.translate(
        CONTEXT, "%n Kontakt(e) wurde(n) nach {file} exportiert.", None, count
    ).format(file=str(path))
    QMessageBox.information(parent, _t("Kontakte als vCard exportieren"), message)
    return path
