"""Konfiguration ▸ Datensicherung… and the start-up dialog for a damaged database (pytest-qt).

Real SQLite files throughout; the damaged ones are damaged for real (tests/unit/test_backups.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from app.store import backups as bk
from app.store import contacts as cs
from app.store.db import DamagedDatabaseError, close_database, open_database
from tests.unit.test_backups import DAMAGES, card, damage, make_database, names
from ui import backup_dialog as bd
from ui.main_window import MainWindow
from ui.workers import CallWorker, running_count, start_worker


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """QMessageBox.question returns `button`; information/critical are collected."""
    said: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        said.append(text)
        return button

    def tell(_parent: object, _title: str, text: str, *_args: object) -> object:
        said.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, tell)
    return said


def table_rows(dialog: bd.BackupDialog) -> list[tuple[str, str]]:
    t = dialog.table
    return [(t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())]


def contact_names(window: MainWindow) -> list[str]:
    m = window.contacts_page.model
    return sorted(str(m.data(m.index(r, 0))) for r in range(m.rowCount()))


def test_menu_entry_opens_the_dialog(qtbot: QtBot, store: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    menus = {m.title().replace("&", ""): m for m in window.findChildren(QMenu)}
    texts = [a.text().replace("&", "") for a in menus["Konfiguration"].actions()]
    assert "Datensicherung…" in texts
    window.backup_action.trigger()
    dialog = window.findChild(bd.BackupDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.path == store
    dialog.close()


def test_create_restore_and_delete_in_the_window(
    qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cs.add_contact(cs.get_book("Standard"), card("u-a", "Anna Äbel"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.contacts_page.refresh()
    dialog = window.show_backups()
    assert isinstance(dialog, bd.BackupDialog)
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()

    dialog.create_button.click()
    [(reason, size)] = table_rows(dialog)
    assert reason == "Manuell gesichert" and size.endswith("KB")
    assert dialog.restore_button.isEnabled() and dialog.delete_button.isEnabled()

    cs.add_contact(cs.get_book("Standard"), card("u-b", "Bert Brandt"))
    window.contacts_page.refresh()
    assert contact_names(window) == ["Anna Äbel", "Bert Brandt"]

    said = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert dialog.restore_selected() is False  # asked, declined: nothing happens
    assert "Vor einer Wiederherstellung" in said[0]
    assert names(store) == ["Anna Äbel", "Bert Brandt"]

    said = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        dialog.restore_button.click()
    assert contact_names(window) == ["Anna Äbel"]  # the window reads the restored database
    assert [c.fn for c in cs.list_contacts(cs.get_book("Standard"))] == ["Anna Äbel"]
    reasons = sorted(r for r, _ in table_rows(dialog))
    assert reasons == ["Manuell gesichert", "Vor einer Wiederherstellung"]
    [before] = [b for b in bk.list_backups(store) if b.reason == bk.BEFORE_RESTORE]
    assert names(before.path) == ["Anna Äbel", "Bert Brandt"]  # the way back

    row = [r for r, (reason, _) in enumerate(table_rows(dialog)) if reason.startswith("Vor")]
    dialog.table.selectRow(row[0])
    answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert dialog.delete_selected() is False and before.path.exists()
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(row[0])
    assert dialog.delete_selected() is True
    assert not before.path.exists()
    assert [r for r, _ in table_rows(dialog)] == ["Manuell gesichert"]
    dialog.close()


def test_restore_is_refused_while_background_work_runs(
    qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cs.add_contact(cs.get_book("Standard"), card("u-a", "Anna"))
    dialog = bd.BackupDialog(path=store)
    qtbot.addWidget(dialog)
    dialog.create_backup()
    cs.add_contact(cs.get_book("Standard"), card("u-b", "Bert"))
    release = threading.Event()
    start_worker(CallWorker(lambda: release.wait(10)))
    try:
        said = answer(monkeypatch, QMessageBox.StandardButton.Yes)
        assert dialog.restore_selected() is False
        assert "Bitte warten Sie" in said[0]
        assert names(store) == ["Anna", "Bert"]
    finally:
        release.set()
        qtbot.waitUntil(lambda: running_count() == 0, timeout=5000)
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        assert dialog.restore_selected() is True  # started on a worker thread
    assert names(store) == ["Anna"]


# ---------------------------------------------------------------- damaged at start


def damaged_home(tmp_path: Path, kind: str) -> tuple[Path, Path, bytes]:
    """A database with a backup (Anna), then Bert added, then damaged."""
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna")
    backup = bk.backup_database(path, bk.BEFORE_RECREATE)
    open_database(path)
    cs.add_contact(cs.get_book("Standard"), card("u-b", "Bert"))
    close_database()
    damage(path, kind)
    return path, backup, path.read_bytes()


def open_or_recover(path: Path, choose: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> bool:
    """What ui/app.py does at start, with the dialog answered by clicking `choose`."""
    seen: list[bd.DamagedDatabaseDialog] = []

    def exec_(dialog: bd.DamagedDatabaseDialog) -> int:
        qtbot.addWidget(dialog)
        seen.append(dialog)
        button = {
            bd.RESTORE: dialog.restore_button,
            bd.EMPTY: dialog.empty_button,
            bd.QUIT: dialog.quit_button,
        }[choose]
        button.click()
        return dialog.result()

    monkeypatch.setattr(bd.DamagedDatabaseDialog, "exec", exec_)
    try:
        open_database(path)
    except DamagedDatabaseError as exc:
        ok = bd.recover_damaged_database(exc.path, exc)
    else:
        raise AssertionError("the damaged database was not detected")
    [dialog] = seen
    assert dialog.windowTitle() == "Die Datenbank ist beschädigt"
    assert str(path) in dialog.problem_label.text()
    assert dialog.backup_list.count() == 1
    assert "Vor „Neu anlegen“" in dialog.backup_list.item(0).text()
    return ok


@pytest.mark.parametrize("kind", DAMAGES)
def test_damaged_at_start_restore_the_newest_backup(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path, _backup, damaged = damaged_home(tmp_path, kind)
    assert open_or_recover(path, bd.RESTORE, qtbot, monkeypatch) is True
    try:
        assert [c.fn for c in cs.list_contacts(cs.get_book("Standard"))] == ["Anna"]
    finally:
        close_database()
    [kept] = tmp_path.glob("contactbox.beschaedigt-*.sqlite3")
    assert kept.read_bytes() == damaged


def test_damaged_at_start_begin_with_an_empty_database(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, backup, damaged = damaged_home(tmp_path, "garbage_pages")
    assert open_or_recover(path, bd.EMPTY, qtbot, monkeypatch) is True
    try:
        assert cs.list_contacts(cs.get_book("Standard")) == []
    finally:
        close_database()
    [kept] = tmp_path.glob("contactbox.beschaedigt-*.sqlite3")
    assert kept.read_bytes() == damaged  # never deleted
    assert backup.exists()


def test_damaged_at_start_quit_changes_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, backup, damaged = damaged_home(tmp_path, "truncated")
    assert open_or_recover(path, bd.QUIT, qtbot, monkeypatch) is False
    assert path.read_bytes() == damaged
    assert not list(tmp_path.glob("contactbox.beschaedigt-*"))
    assert [b.path for b in bk.list_backups(path)] == [backup]
