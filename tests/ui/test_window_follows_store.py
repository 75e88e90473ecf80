"""The window follows the store (ui/store_watch.py), whoever changed it.

A real Radicale, the main window in this process, `contactbox-sync` as a real subprocess
on the same data directory: what the CLI commits shows in the open window within
seconds — the account, the book row's "zuletzt: gerade eben", the Kontakte counts and
rows (the selection stays), the tray's "zuletzt synchronisiert", the open list of earlier
reports — without any click. And a run started from the setup
dialog (`Vorgang starten`) leaves the row saying "gerade eben", not "noch nie".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store.models import Account, Binding
from app.sync.modes import Mode
from tests.servers.cards import simple_card
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.main_window import CONTACTS_PAGE, SYNC_PAGE, USERS_PAGE, MainWindow
from ui.report_dialog import ReportHistoryDialog
from ui.run_window import RunWindow
from ui.setup_dialog import SetupDialog
from ui.tray import TrayController

#: what the issue promises: a change elsewhere shows within 5 s
FOLLOW_MS = 5000
RUN_MS = 120_000


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=RUN_MS)


@pytest.fixture
def window(qtbot: QtBot, store: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.show()
    return main


def seeded_book(server: DavServer, prefix: str, n: int) -> tuple[str, str]:
    name = f"{prefix} {uuid.uuid4().hex[:6]}"
    url = server.make_book(display_name=name)
    for i in range(n):  # one by one: the test overwrites some by their file names
        server.put_card(url, f"f{i:02d}.vcf", simple_card(f"f-{name}-{i}", f"Folge {i:02d}"))
    return name, url


def book_items(window: MainWindow) -> list[str]:
    books = window.contacts_page.book_list
    return [books.topLevelItem(i).text(0) for i in range(books.topLevelItemCount())]


def test_a_cli_run_in_another_process_shows_in_the_open_window(
    qtbot: QtBot,
    window: MainWindow,
    store: Path,
    tmp_path: Path,
    radicale_server: DavServer,
) -> None:
    server = radicale_server
    name, url = seeded_book(server, "Folgen", 12)
    cli = CliProcesses(store.parent, tmp_path / "xdg")
    page = window.sync_page
    assert page.account_list.count() == 0

    added = cli.call(
        "account", "add", "Büro", "--url", server.root_url, "--user", server.user,
        extra_env={"CONTACTBOX_PASSWORD": server.password},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    qtbot.waitUntil(lambda: page.account_list.count() == 1, timeout=FOLLOW_MS)
    assert page.account_title.text() == "Büro"

    # the tray of this window, its timer far away: only the store can tell it
    tray = TrayController(
        window, available=lambda: True, tick_ms=3_600_000, first_tick_ms=-1, quit_app=lambda: None
    )
    assert "zuletzt synchronisiert: noch nie" in tray.tray.toolTip()
    window.show_page(CONTACTS_PAGE)
    ran = cli.call("run", "Büro", "--book", name, "--mode", "sync", "--option", "server")
    assert ran.returncode == 0, ran.stderr
    qtbot.waitUntil(lambda: "noch nie" not in tray.tray.toolTip(), timeout=FOLLOW_MS)
    local = Binding.get(Binding.remote_name == name).book.name
    # Kontakte: the new book with its count, without a click
    qtbot.waitUntil(lambda: f"{local} (12)" in book_items(window), timeout=FOLLOW_MS)
    # Adressbuch-Synchronisierung: the row of the book, just synced
    window.show_page(SYNC_PAGE)
    qtbot.waitUntil(lambda: len(page.book_rows) == 1, timeout=FOLLOW_MS)
    assert page.book_rows[0].time_label.text() == "zuletzt: gerade eben"

    # The book shown, one contact selected: a run elsewhere adds two and changes one.
    window.show_page(CONTACTS_PAGE)
    contacts = window.contacts_page
    assert f"{local} (12)" in book_items(window)
    contacts.select_book(local)
    assert contacts.model.rowCount() == 12
    assert contacts.select_contact(contacts.model.contact(5).id)  # "Folge 05"
    chosen = contacts.current_contact_id()
    server.put_card(url, "f90.vcf", simple_card(f"f-{name}-90", "Folge 90"))
    server.put_card(url, "f91.vcf", simple_card(f"f-{name}-91", "Folge 00a"))
    server.put_card(url, "f05.vcf", simple_card(f"f-{name}-5", "Folge 05", "neu@example.org"))
    reports = ReportHistoryDialog(int(Account.get(Account.label == "Büro").id))
    qtbot.addWidget(reports)
    reports.show()
    assert reports.table.rowCount() == 1
    again = cli.call("run", "Büro", "--book", name, "--mode", "sync", "--option", "server")
    assert again.returncode == 0, again.stderr
    qtbot.waitUntil(lambda: reports.table.rowCount() == 2, timeout=FOLLOW_MS)  # Frühere Berichte
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 14, timeout=FOLLOW_MS)
    assert f"{local} (14)" in book_items(window)
    assert contacts.status_label.text().startswith("14 ")
    assert contacts.current_contact_id() == chosen  # still selected, now one row lower
    row = contacts.table.currentIndex().row()
    shown = contacts.model.contact(row)
    assert shown is not None and (shown.fn, shown.email) == ("Folge 05", "neu@example.org")


def test_a_run_from_the_setup_dialog_leaves_the_row_saying_just_now(
    qtbot: QtBot,
    window: MainWindow,
    radicale_server: DavServer,
) -> None:
    from app.accounts import add_account

    server = radicale_server
    name, _url = seeded_book(server, "Einrichten", 5)
    account = add_account(
        "Büro", server=server.root_url, username=server.user, password=server.password
    )
    page = window.sync_page
    qtbot.waitUntil(lambda: page.current_account_id() == account.id, timeout=FOLLOW_MS)
    started: list[RunWindow] = []

    def drive() -> None:  # the modal setup dialog, as a user clicks it
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SetupDialog) or not dialog.overviews:
            QTimer.singleShot(50, drive)
            return
        dialog.run_countdown = 0
        dialog.set_checked(name)
        dialog.set_mode(Mode.parse("import", "add"))
        dialog.run_started.connect(started.append)
        dialog.start_button.click()

    QTimer.singleShot(0, drive)
    page.open_setup()  # exec(): returns when "Vorgang starten" closed the dialog
    assert started, "the run did not start"
    run = started[0]
    qtbot.waitUntil(lambda: run.report is not None, timeout=RUN_MS)
    assert run.report is not None and run.report.status == "ok"
    qtbot.waitUntil(
        lambda: [r.time_label.text() for r in page.book_rows] == ["zuletzt: gerade eben"],
        timeout=FOLLOW_MS,
    )
    assert Account.get_by_id(account.id).label == "Büro"
    run.close()


def test_the_user_counts_follow_a_new_appointment(qtbot: QtBot, window: MainWindow) -> None:
    """Benutzerkonfiguration said "0 Termine · 0 Wiedervorlagen" after creating an
    appointment until a restart."""
    from datetime import datetime

    from app.store.agenda import add_appointment, add_followup

    window.show_page(USERS_PAGE)
    subtitle = window.users_page.user_subtitle
    assert subtitle.text() == "0 Termine · 0 Wiedervorlagen"
    add_appointment(None, "Besprechung", datetime(2030, 4, 1, 9), None)
    qtbot.waitUntil(lambda: subtitle.text() == "1 Termin · 0 Wiedervorlagen", timeout=FOLLOW_MS)
    add_followup(None, "Anrufen", datetime(2030, 4, 2, 9))
    qtbot.waitUntil(lambda: subtitle.text() == "1 Termin · 1 Wiedervorlage", timeout=FOLLOW_MS)
