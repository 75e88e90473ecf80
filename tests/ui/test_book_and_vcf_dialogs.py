"""Book name / delete dialogs and the .vcf import / export dialogs, driven like a user would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from app import vcard
from app.store.books import create_book
from app.store.contacts import add_contact, delete_contact, get_book, list_books
from app.store.models import Account, Binding, Contact
from app.store.vcf import ImportReport
from ui.book_dialogs import (
    BookNameDialog,
    DeleteBookDialog,
    ask_delete_book,
    ask_new_book,
    ask_rename_book,
)
from ui.vcf_dialogs import (
    ImportOptionsDialog,
    ImportReportDialog,
    export_vcf_interactive,
    import_vcf_interactive,
)

CARDS = Path(__file__).parents[1] / "unit" / "cards"


def card(fn: str, uid: str, note: str = "") -> str:
    extra = [f"NOTE:{note}"] if note else []
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", *extra,
                        "END:VCARD"]) + "\r\n"


def click_radio(qtbot: QtBot, radio: QRadioButton) -> None:
    """Click a radio button on its indicator (its centre may be empty space)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def when_modal(kind: type[QDialog], act: Callable[[Any], None]) -> list[Any]:
    """Run `act` on the next modal dialog of type `kind` once its exec() loop runs."""
    seen: list[Any] = []

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, kind):
            seen.append(w)
            act(w)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warning(_parent: QWidget | None, _title: str, text: str, *_a: Any) -> int:
        shown.append(text)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def bound_book() -> None:
    create_book("Kunden")
    book = get_book("Kunden")
    add_contact(book, card("Anna", "a1"))
    add_contact(book, card("Bernd", "b1"))
    delete_contact(add_contact(book, card("Carla", "c1")))
    account = Account.create(label="Büro", username="anna", server="dav.example.org")
    Binding.create(account=account, remote_href="/dav/kunden/", remote_name="Kunden Server",
                   book=book, operation="sync")


# ---------------------------------------------------------------- name dialog


def test_name_dialog_validates_while_typing(qtbot: QtBot, store: Path) -> None:
    dialog = BookNameDialog()
    qtbot.addWidget(dialog)
    error = dialog.findChild(QLabel, "errorLabel")
    assert error is not None
    assert not dialog.ok_button().isEnabled() and error.text() == ""
    qtbot.keyClicks(dialog.name_edit, "standard")
    assert error.text() == "Ein Adressbuch „Standard“ gibt es bereits."
    assert not dialog.ok_button().isEnabled()
    dialog.name_edit.setText("x" * 81)
    assert "höchstens 80 Zeichen" in error.text()
    dialog.name_edit.setText("  Kunden ")
    assert error.text() == "" and dialog.ok_button().isEnabled()
    assert dialog.name() == "Kunden"


def test_ask_new_book_creates_it(qtbot: QtBot, store: Path) -> None:
    def fill(d: BookNameDialog) -> None:
        d.name_edit.setText("Lieferanten")
        qtbot.mouseClick(d.ok_button(), Qt.MouseButton.LeftButton)

    when_modal(BookNameDialog, fill)
    assert ask_new_book(None) == "Lieferanten"
    assert list_books() == ["Standard", "Lieferanten"]


def test_ask_new_book_cancelled(qtbot: QtBot, store: Path) -> None:
    when_modal(BookNameDialog, lambda d: d.reject())
    assert ask_new_book(None) is None
    assert list_books() == ["Standard"]


def test_ask_rename_book(qtbot: QtBot, store: Path) -> None:
    create_book("Kunden")

    def fill(d: BookNameDialog) -> None:
        assert d.name_edit.text() == "Kunden"
        assert not d.ok_button().isEnabled()  # unchanged name
        d.name_edit.setText("Mandanten")
        qtbot.mouseClick(d.ok_button(), Qt.MouseButton.LeftButton)

    when_modal(BookNameDialog, fill)
    assert ask_rename_book(None, "Kunden") == "Mandanten"
    assert list_books() == ["Standard", "Mandanten"]


def test_rename_dialog_allows_case_change(qtbot: QtBot, store: Path) -> None:
    create_book("kunden")
    dialog = BookNameDialog("kunden")
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Kunden")
    assert dialog.ok_button().isEnabled()


# ---------------------------------------------------------------- delete dialog


def test_delete_dialog_explains_counts_and_bindings(qtbot: QtBot, store: Path) -> None:
    bound_book()
    dialog = DeleteBookDialog("Kunden")
    qtbot.addWidget(dialog)
    assert dialog.summary_label.text() == "Das Adressbuch enthält 2 Kontakte und 1 im Papierkorb."
    text = dialog.bindings_label.text()
    assert "Diese Synchronisierungen werden entfernt:" in text
    assert "Büro – Kunden Server (Synchronisieren)" in text
    assert "Auf dem Server wird nichts gelöscht." in text
    assert dialog.confirm_button.text() == "Adressbuch löschen"
    assert dialog.confirm_button.objectName() == "confirmDelete"
    assert "#b3261e" in dialog.styleSheet()
    assert dialog.move_radio.text() == "Kontakte in ein anderes Adressbuch verschieben:"
    assert dialog.delete_radio.text() == "Kontakte mit dem Adressbuch löschen"
    assert dialog.move_radio.isChecked()  # the safe choice first
    assert [dialog.target_combo.itemText(i) for i in range(dialog.target_combo.count())] == [
        "Standard"
    ]


def test_delete_dialog_moves_contacts(qtbot: QtBot, store: Path) -> None:
    bound_book()
    create_book("Archiv")
    dialog = DeleteBookDialog("Kunden")
    qtbot.addWidget(dialog)
    dialog.target_combo.setCurrentText("Archiv")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.moved == 2
    assert list_books() == ["Standard", "Archiv"]
    archive = Contact.select().where(Contact.book == get_book("Archiv"))
    assert sorted(c.fn for c in archive) == ["Anna", "Bernd"]
    assert Binding.select().count() == 0


def test_delete_dialog_deletes_contacts(qtbot: QtBot, store: Path) -> None:
    bound_book()
    dialog = DeleteBookDialog("Kunden")
    qtbot.addWidget(dialog)
    dialog.show()
    click_radio(qtbot, dialog.delete_radio)
    assert not dialog.target_combo.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.moved == 0
    assert list_books() == ["Standard"]
    assert Contact.select().count() == 0


def test_delete_dialog_shows_the_uid_clash_and_stays(
    qtbot: QtBot, store: Path, warnings: list[str]
) -> None:
    bound_book()
    add_contact(get_book("Standard"), card("Anna auch", "a1"))
    dialog = DeleteBookDialog("Kunden")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1 and warnings[0].startswith("1 Kontakt hat dieselbe UID")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Kunden" in list_books()


def test_delete_dialog_without_contacts_or_bindings(qtbot: QtBot, store: Path) -> None:
    create_book("Leer")
    dialog = DeleteBookDialog("Leer")
    qtbot.addWidget(dialog)
    assert dialog.summary_label.text() == "Das Adressbuch enthält 0 Kontakte und 0 im Papierkorb."
    assert "keinem Server-Adressbuch" in dialog.bindings_label.text()
    assert not dialog.move_radio.isEnabled() and dialog.move_target() is None


def test_ask_delete_book(qtbot: QtBot, store: Path, warnings: list[str]) -> None:
    bound_book()
    when_modal(DeleteBookDialog, lambda d: d.reject())
    assert ask_delete_book(None, "Kunden") is False
    assert "Kunden" in list_books()
    when_modal(DeleteBookDialog, lambda d: d.confirm_button.click())
    assert ask_delete_book(None, "Kunden") is True
    assert list_books() == ["Standard"]
    assert Contact.select().where(Contact.deleted_at.is_null()).count() == 2  # moved
    assert ask_delete_book(None, "Standard") is False
    assert warnings == ["Das Adressbuch „Standard“ kann nicht gelöscht werden."]


# ---------------------------------------------------------------- import


def test_options_dialog_modes(qtbot: QtBot) -> None:
    dialog = ImportOptionsDialog("Standard", ["/tmp/a.vcf"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.mode() == "skip"
    click_radio(qtbot, dialog.update_radio)
    assert dialog.mode() == "update"
    click_radio(qtbot, dialog.add_radio)
    assert dialog.mode() == "add"
    assert dialog.add_radio.text() == "trotzdem anlegen"


def test_report_dialog_shows_the_figures(qtbot: QtBot) -> None:
    report = ImportReport(
        cards_read=12, added=7, duplicates_skipped=2, updated=1, unchanged=0,
        skipped_trashed=1, errors=["Karte 9 („X“): kaputt"], notes=["Karte 4: Papierkorb"],
    )
    dialog = ImportReportDialog(report, "Kunden")
    qtbot.addWidget(dialog)
    dialog.show()
    assert {k: dialog.figure(k) for k in dialog.value_labels} == {
        "cards_read": "12", "added": "7", "updated": "1", "unchanged": "0",
        "duplicates_skipped": "2", "skipped_trashed": "1", "errors": "1",
    }
    assert dialog.error_list.count() == 1
    assert dialog.error_list.item(0).text() == "Karte 9 („X“): kaputt"
    assert dialog.note_list.item(0).text() == "Karte 4: Papierkorb"
    assert dialog.error_list.isVisible()
    clean = ImportReportDialog(ImportReport(cards_read=3, added=3), "Kunden")
    qtbot.addWidget(clean)
    clean.show()
    assert not clean.error_list.isVisible() and not clean.note_list.isVisible()
    assert "groups_added" not in clean.value_labels  # no group card: no line for it
    with_groups = ImportReportDialog(ImportReport(cards_read=5, added=3, groups_added=2), "Kunden")
    qtbot.addWidget(with_groups)
    assert with_groups.figure("added") == "3"
    assert with_groups.figure("groups_added") == "2"


@pytest.mark.parametrize(
    ("radio", "expect"),
    [
        ("skip_radio", {"added": "1", "updated": "0", "duplicates_skipped": "1"}),
        ("update_radio", {"added": "1", "updated": "1", "duplicates_skipped": "0"}),
        ("add_radio", {"added": "2", "updated": "0", "duplicates_skipped": "0"}),
    ],
)
def test_import_interactive_honours_the_option(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    radio: str, expect: dict[str, str],
) -> None:
    add_contact(get_book("Standard"), card("Anna", "a1", "alt"))
    file = tmp_path / "neu.vcf"
    file.write_bytes((card("Anna", "a1", "neu") + card("Bernd", "b1")).encode())
    asked: list[tuple[Any, ...]] = []

    def open_names(*args: Any) -> tuple[list[str], str]:
        asked.append(args)
        return [str(file)], "vCard-Dateien (*.vcf)"

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileNames", open_names)

    def choose(d: ImportOptionsDialog) -> None:
        click_radio(qtbot, getattr(d, radio))
        d.buttons.accepted.emit()

    when_modal(ImportOptionsDialog, choose)
    shown = when_modal(ImportReportDialog, lambda d: d.reject())
    report = import_vcf_interactive(None, "Standard")
    assert report is not None and report.cards_read == 2
    assert "*.vcf" in asked[0][3]
    [dialog] = shown
    assert {k: dialog.figure(k) for k in expect} == expect
    anna = [c for c in Contact.select() if c.fn == "Anna"]
    assert ("NOTE:neu" in anna[0].vcard) == (radio == "update_radio")


def test_import_interactive_several_files_and_cancel(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = tmp_path / "outlook.vcf"
    a.write_bytes((CARDS / "outlook_21.vcf").read_bytes())
    b = tmp_path / "kaputt.vcf"
    b.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Halb\r\n")
    names = [str(a), str(b), str(tmp_path / "fehlt.vcf")]
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileNames", lambda *_a: (names, "")
    )
    when_modal(ImportOptionsDialog, lambda d: d.accept())
    shown = when_modal(ImportReportDialog, lambda d: d.reject())
    report = import_vcf_interactive(None, "Standard")
    assert report is not None
    assert (report.cards_read, report.added) == (2, 1)
    assert report.errors[0].startswith("kaputt.vcf: Karte 1 („Halb“): ")
    assert report.errors[1].startswith("fehlt.vcf: Die Datei kann nicht gelesen werden")
    assert shown[0].figure("errors") == "2"
    assert Contact.get().fn == "Günther Weiß"

    when_modal(ImportOptionsDialog, lambda d: d.reject())
    assert import_vcf_interactive(None, "Standard") is None
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileNames", lambda *_a: ([], "")
    )
    assert import_vcf_interactive(None, "Standard") is None
    assert Contact.select().count() == 1


# ---------------------------------------------------------------- export


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def information(_parent: QWidget | None, _title: str, text: str, *_a: Any) -> int:
        shown.append(text)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "information", information)
    return shown


def test_export_whole_book_and_selection(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, infos: list[str]
) -> None:
    book = get_book("Standard")
    a = add_contact(book, card("Anna", "a1"))
    b = add_contact(book, card("Bernd", "b1"))
    delete_contact(add_contact(book, card("Carla", "c1")))
    suggested: list[str] = []
    target = tmp_path / "alle"  # no suffix: .vcf is added

    def save_name(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        suggested.append(start)
        return str(target), ""

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", save_name)
    path = export_vcf_interactive(None, None, "Standard")
    assert path == tmp_path / "alle.vcf"
    assert Path(suggested[0]).name.startswith("Kontakte-Standard-")
    cards = vcard.split_cards(path.read_text(encoding="utf-8"))
    assert [vcard.summarize(c).fn for c in cards] == ["Anna", "Bernd"]
    assert infos == [f"2 Kontakte wurden nach {path} exportiert."]

    target = tmp_path / "eine.vcf"
    path = export_vcf_interactive(None, [b.id], "Standard")
    assert path is not None and path.read_bytes() == card("Bernd", "b1").encode()
    assert infos[-1] == f"1 Kontakt wurde nach {path} exportiert."
    assert a.id != b.id


def test_export_cancel_and_write_error(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    warnings: list[str], infos: list[str],
) -> None:
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *_a: ("", "")
    )
    assert export_vcf_interactive(None, None, "Standard") is None
    bad = tmp_path / "gibtsnicht" / "x.vcf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *_a: (str(bad), "")
    )
    assert export_vcf_interactive(None, None, "Standard") is None
    assert len(warnings) == 1 and "kann nicht geschrieben werden" in warnings[0]
    assert infos == []
