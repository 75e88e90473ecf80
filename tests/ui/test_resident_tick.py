"""What a tray tick that found nothing new costs the window (issue 21, bench/resident.py).

Every scheduled run saves its binding's last sync and a report, even when nothing changed.
The window follows the store (ui/store_watch.py), but such a run changes nothing a page
shows except the Adressbuch-Synchronisierung's "zuletzt …": Kontakte does not read its
rows again, and the pages out of view read nothing until they come into view — then
they show the store as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.store.agenda import add_appointment
from app.store.contacts import add_contact, ensure_book
from app.store.models import Account, Binding, utcnow
from tests.servers.cards import simple_card
from ui.main_window import CONTACTS_PAGE, SYNC_PAGE, USERS_PAGE, MainWindow
from ui.store_watch import store_watch


@pytest.fixture
def bound(store: Path) -> Binding:
    book = ensure_book("Kunden")
    for i in range(3):
        add_contact(book, simple_card(f"k{i}", f"Kunde {i}"))
    account = Account.create(label="Büro", username="anna", server="dav.example.org")
    return Binding.create(account=account, remote_href="/dav/kunden/", remote_name="Kunden",
                          book=book, operation="sync", option="server")  # fmt: skip


@pytest.fixture
def window(qtbot: QtBot, bound: Binding) -> MainWindow:
    main = MainWindow(keep_window_state=False)
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.show()
    main.show_page(CONTACTS_PAGE)
    main.contacts_page.select_book("Kunden")
    return main


def tick_saved(binding: Binding) -> None:
    """What a no-change run writes: the binding's last sync and position."""
    binding.last_sync = utcnow()
    binding.last_status = "ok"
    binding.sync_token = f"token-{utcnow().timestamp()}"
    binding.save()
    store_watch().check_now()


def test_a_quiet_tick_does_not_make_kontakte_read_its_rows(
    window: MainWindow, bound: Binding, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.contacts_page
    model = page.model
    tick_saved(bound)  # the first after showing the page reads once (nothing seen yet)
    reloads: list[int] = []
    real = model.reload
    monkeypatch.setattr(model, "reload", lambda: reloads.append(1) or real())
    for _ in range(3):
        tick_saved(bound)
    assert reloads == []
    assert model.rowCount() == 3

    # A change the book list shows (the binding switched off): read, the icon and tip follow.
    bound.enabled = False
    bound.save()
    store_watch().check_now()
    assert reloads == [1]
    tip = page.book_list.topLevelItem(1).toolTip(0)
    assert "Nur lokal" in tip, tip


def test_pages_out_of_view_read_when_they_come_into_view(
    qtbot: QtBot, window: MainWindow, bound: Binding
) -> None:
    sync_page, users_page = window.sync_page, window.users_page
    rows_before = list(sync_page.book_rows)
    tick_saved(bound)
    assert sync_page.book_rows == rows_before, "a hidden page re-read its books"
    window.show_page(SYNC_PAGE)
    assert sync_page.book_rows != rows_before  # read afresh on showing
    assert [r.time_label.text() for r in sync_page.book_rows] == ["zuletzt: gerade eben"]

    window.show_page(CONTACTS_PAGE)
    subtitle = users_page.user_subtitle
    text_before = subtitle.text()
    add_appointment(None, "Besprechung", utcnow(), None)
    store_watch().check_now()
    assert subtitle.text() == text_before  # out of view: not read yet
    window.show_page(USERS_PAGE)
    assert subtitle.text() == "1 Termin · 0 Wiedervorlagen"
    add_appointment(None, "Noch eine", utcnow(), None)
    store_watch().check_now()  # in view: follows at once
    assert subtitle.text() == "2 Termine · 0 Wiedervorlagen"
