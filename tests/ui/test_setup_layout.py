"""The setup dialog holds still and says everything (issue 16): switching the operation
moves no widget and keeps the dialog's size, "Bei Konflikten gilt:" is there only for
Synchronisation, a long server book name is readable at the default size (wrapped, and
whole in the tooltip), a switched-off book says "(deaktiviert)", and the "Neu anlegen"
question answers "Nein" to Enter and Escape. Against a real Radicale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store.contacts import add_contact, ensure_book
from app.store.models import Account
from app.sync.jobs import AccountJob, set_binding_enabled
from app.sync.modes import Mode, Operation
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.ui.test_setup_and_run import bound, live_count, seed_book, unique, vc
from ui import workers
from ui.elided_combo import ElidedComboBox
from ui.setup_dialog import COL_NAME, SetupDialog, name_text_rect

TIMEOUT = 30_000
LONG_NAME = "Gemeinsamer Kalender der Geschäftsleitung (Vertretung)"


@pytest.fixture
def account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    s = radicale_server
    return add_account("Büro", server=s.root_url, username=s.user, password=s.password)


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=TIMEOUT)


def open_default_size(qtbot: QtBot, account: Account) -> SetupDialog:
    """The dialog as it opens (its own default size), with the server's books listed."""
    dialog = SetupDialog(int(account.id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.overviews), timeout=TIMEOUT)
    settle()
    return dialog


def settle() -> None:
    """Let pending layout requests and row relayouts run (no waiting on a clock)."""
    for _ in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def placed(dialog: SetupDialog, widget: QWidget) -> QRect:
    """Where a widget is in the dialog."""
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


def layout_of(dialog: SetupDialog) -> dict[str, QRect]:
    widgets: dict[str, QWidget] = {
        "tree": dialog.tree,
        "load status": dialog.load_status,
        "select all": dialog.select_all_button,
        "reload": dialog.reload_button,
        "options": dialog.options_stack,
        "close": dialog.close_button,
        "check": dialog.check_button,
        "start": dialog.start_button,
    }
    for operation, button in dialog.operation_buttons.items():
        widgets[f"operation {operation.value}"] = button
    shapes = {name: placed(dialog, w) for name, w in widgets.items()}
    shapes["dialog"] = QRect(QPoint(0, 0), dialog.size())
    shapes["first row"] = dialog.tree.visualItemRect(dialog.book_items()[0])
    return shapes


def choose(qtbot: QtBot, dialog: SetupDialog, operation: Operation) -> None:
    button = dialog.operation_buttons[operation]
    # on the radio's circle: the button is wider than its text
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    settle()
    assert dialog.mode().operation is operation


def conflict_texts(dialog: SetupDialog) -> list[QLabel]:
    """Every label on screen that speaks of the conflict preference."""
    return [
        label
        for label in dialog.findChildren(QLabel)
        if "Bei Konflikten gilt" in label.text() and label.isVisible()
    ]


def test_switching_the_operation_moves_nothing_and_conflicts_only_with_sync(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    seed_book(radicale_server, unique("Kontakte"), 3)
    seed_book(radicale_server, unique("Lieferanten"), 2)
    dialog = open_default_size(qtbot, account)
    dialog.set_checked(dialog.overviews[0].remote.display_name)
    settle()
    assert dialog.mode().operation is Operation.IMPORT
    before = layout_of(dialog)

    for operation in (Operation.ONEWAY, Operation.SYNC, Operation.IMPORT, Operation.SYNC):
        choose(qtbot, dialog, operation)
        after = layout_of(dialog)
        moved = {n: (before[n], after[n]) for n in before if before[n] != after[n]}
        assert moved == {}, f"{operation.value}: {moved}"

        is_sync = operation is Operation.SYNC
        assert dialog.conflict_label.text() == "Bei Konflikten gilt:"
        assert dialog.conflict_label.isVisible() is is_sync
        assert conflict_texts(dialog) == ([dialog.conflict_label] if is_sync else [])
        for (op, _option), radio in dialog.option_buttons.items():
            assert radio.isVisible() is (op is operation)

    # the options of the chosen operation are still chosen and counted
    dialog.set_mode(Mode.parse("sync", "contactbox"))
    assert dialog.mode() == Mode.parse("sync", "contactbox")
    assert layout_of(dialog) == before


def test_a_long_name_is_readable_and_a_switched_off_book_says_so(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    seed_book(radicale_server, LONG_NAME, 4)
    short = unique("Kunden")
    seed_book(radicale_server, short, 1)
    binding = bound(account, LONG_NAME, Mode.parse("import", "update"))
    AccountJob(account, [binding]).run()
    set_binding_enabled(int(binding.id), False)

    dialog = open_default_size(qtbot, account)
    rows = {item.data(COL_NAME, Qt.ItemDataRole.UserRole): item for item in dialog.book_items()}
    long_item, short_item = rows[LONG_NAME], rows[short]

    # the list says it, whole: wrapped in its cell (nothing cut off) and in the tooltip
    assert long_item.text(COL_NAME) == f"{LONG_NAME} (deaktiviert)"
    assert short_item.text(COL_NAME) == short
    tip = long_item.toolTip(COL_NAME)
    assert tip.splitlines()[0] == LONG_NAME and "deaktiviert" in tip
    metrics = dialog.tree.fontMetrics()
    column = dialog.tree.header().sectionSize(COL_NAME)
    assert metrics.horizontalAdvance(long_item.text(COL_NAME)) > column  # it must wrap here
    for item in (long_item, short_item):
        room, needed = name_text_rect(dialog.tree, item)
        assert room.width() > 0
        assert needed.width() <= room.width() and needed.height() <= room.height(), (
            item.text(COL_NAME),
            room,
            needed,
        )
    row = dialog.tree.visualItemRect(long_item)
    assert row.height() >= 2 * metrics.lineSpacing()
    assert dialog.tree.visualItemRect(short_item).height() < row.height()

    # the choice of the local book: the whole text in the tooltip, "…" where it is cut short
    box = dialog.target_box(LONG_NAME)
    assert isinstance(box, ElidedComboBox)
    assert box.currentText() == (f"{LONG_NAME} (Einmalig importieren · Aktualisieren, deaktiviert)")
    assert box.toolTip().splitlines()[0] == box.currentText()
    shown = box.shown_text()
    assert shown == box.currentText() or (
        shown.endswith("…") and box.currentText().startswith(shown[:-1])
    )
    other = dialog.target_box(short)
    assert other.toolTip().splitlines()[0] == other.currentText() == f"Neu: {short}"

    # ticking it and starting switches the binding on again: the tooltip says so
    assert "wieder ein" in tip

    # a wider dialog puts the name on fewer lines, still whole
    dialog.resize(1400, dialog.height())
    settle()
    room, needed = name_text_rect(dialog.tree, long_item)
    assert needed.height() <= room.height() and needed.width() <= room.width()
    assert dialog.tree.visualItemRect(long_item).height() <= row.height()


def answer_with_key(qtbot: QtBot, key: Qt.Key) -> dict[str, object]:
    """Press `key` in the next message box; what it offered as default is recorded."""
    seen: dict[str, object] = {}

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(0, act)
            return
        seen["text"] = box.text()
        seen["default"] = box.standardButton(box.defaultButton())
        qtbot.keyClick(box, key)
        if box.isVisible():  # the key did not answer: say no, so the test ends
            seen["still open"] = True
            box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, act)
    return seen


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_Return])
def test_the_neu_anlegen_question_answers_no_to_enter_and_escape(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    key: Qt.Key,
) -> None:
    name = unique("Kontakte")
    seed_book(radicale_server, name, 2)
    standard = ensure_book("Standard")
    add_contact(standard, vc("keep-1", "Erika Mustermann", "erika@example.de"))
    dialog = open_default_size(qtbot, account)
    dialog.set_checked(name)
    dialog.set_target(name, "Standard")
    dialog.set_mode(Mode.parse("import", "recreate"))
    started: list[object] = []
    dialog.run_started.connect(started.append)

    seen = answer_with_key(qtbot, key)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    assert "Papierkorb" in str(seen["text"])
    assert seen["default"] == QMessageBox.StandardButton.No
    assert "still open" not in seen
    assert started == [] and dialog.run_window is None and dialog.isVisible()
    assert live_count("Standard") == 1
