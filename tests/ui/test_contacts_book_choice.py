"""Which address book "Kontakte anzeigen" opens on (issue 16): the one this user last chose,
else the most recently synced one, else the one with the most contacts, else "Standard" -
an empty "Standard" never hides a book with contacts. Against the store, and after a real
import from Radicale through the main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store import users
from app.store.books import delete_book
from app.store.contacts import BookCount, add_contact, ensure_book
from app.store.models import Account, Binding
from app.sync.jobs import AccountJob, bind_book, book_overview
from app.sync.modes import Mode
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.ui.test_setup_and_run import seed_book, unique
from ui import workers
from ui.contacts_page import BOOK_ROLE, ContactsPage, book_to_open
from ui.main_window import CONTACTS_PAGE, SYNC_PAGE, MainWindow

NOW = datetime(2026, 12, 6, 9, 0)


def card(uid: str, fn: str) -> str:
    given, _, family = fn.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{family};{given};;;"]
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def fill(book: str, count: int) -> None:
    b = ensure_book(book)
    for i in range(count):
        add_contact(b, card(f"{book}-{i}", f"Person{i} {book}"))


def synced(book: str, when: datetime) -> None:
    """A binding of `book` whose last run ended at `when` (as an import leaves it)."""
    account = Account.get_or_none(Account.label == "Büro") or Account.create(
        label="Büro", username="u", server="dav.example"
    )
    Binding.create(
        account=account,
        remote_href=f"/{book}/",
        remote_name=book,
        book=ensure_book(book),
        operation="import",
        option="add",
        last_sync=when,
        last_status="ok",
    )


def open_page(qtbot: QtBot) -> ContactsPage:
    page = ContactsPage()
    qtbot.addWidget(page)
    return page


def choose(page: ContactsPage, name: str) -> None:
    """What a click on the book in the list does."""
    tree = page.book_list
    rows = [tree.topLevelItem(r) for r in range(tree.topLevelItemCount())]
    [item] = [i for i in rows if i.data(0, BOOK_ROLE) == name]
    tree.setCurrentItem(item)
    assert page.current_book() == name


def shown(page: ContactsPage) -> tuple[str | None, int, str]:
    return page.current_book(), page.model.rowCount(), page.status_label.text()


# ---------------------------------------------------------------- the rule


def test_the_rule() -> None:
    def books(**live: int) -> list[BookCount]:
        return [BookCount(name, n, 0) for name, n in live.items()]

    three = books(Standard=0, Kunden=4, Kontakte=300)
    assert book_to_open(three, "", []) == "Kontakte"  # most contacts
    assert book_to_open(three, "", ["Kunden", "Kontakte"]) == "Kunden"  # latest sync
    assert book_to_open(three, "Kontakte", ["Kunden"]) == "Kontakte"  # last chosen
    assert book_to_open(three, "Weg", ["Kunden"]) == "Kunden"  # chosen one is gone
    assert book_to_open(three, "Standard", []) == "Kontakte"  # never an empty Standard
    assert book_to_open(three, "", ["Standard"]) == "Kontakte"
    with_empty = books(Standard=0, Neu=0, Kontakte=3)
    assert book_to_open(with_empty, "Neu", []) == "Neu"  # an empty book of one's own choice
    assert book_to_open(with_empty, "", ["Neu", "Kontakte"]) == "Kontakte"
    assert book_to_open(books(Standard=0, Neu=0), "", []) == "Standard"
    assert book_to_open(books(Standard=0, Neu=0), "", ["Neu"]) == "Neu"
    assert book_to_open(books(Standard=2, Kunden=2), "", []) == "Standard"  # first of equals
    assert book_to_open([], "Kunden", ["Kunden"]) is None


# ---------------------------------------------------------------- the page


def test_after_an_import_the_page_opens_on_the_imported_book(qtbot: QtBot, store: Path) -> None:
    ensure_book("Standard")
    fill("Kontakte", 30)
    synced("Kontakte", NOW)
    page = open_page(qtbot)
    assert shown(page) == ("Kontakte", 30, "30 Kontakte")

    # no sync at all: the book with the most contacts
    Binding.delete().execute()
    fill("Kunden", 2)
    assert shown(open_page(qtbot)) == ("Kontakte", 30, "30 Kontakte")

    # the most recent sync wins over the number of contacts
    synced("Kunden", NOW + timedelta(minutes=5))
    assert shown(open_page(qtbot)) == ("Kunden", 2, "2 Kontakte")


def test_the_book_last_viewed_is_kept_per_user(qtbot: QtBot, store: Path) -> None:
    fill("Standard", 4)
    fill("Kunden", 2)
    fill("Kontakte", 3)
    synced("Kontakte", NOW)
    first_user = users.current_user_id()

    page = open_page(qtbot)
    assert page.current_book() == "Kontakte"
    choose(page, "Kunden")
    assert shown(open_page(qtbot)) == ("Kunden", 2, "2 Kontakte")

    # another user has a choice of their own; until they make one, the latest sync
    second_user = users.add_user("Anna Berger")
    users.set_current_user(second_user)
    page.refresh()  # what the main window does when the current user changes
    assert page.current_book() == "Kontakte"
    assert open_page(qtbot).current_book() == "Kontakte"
    choose(page, "Standard")
    assert shown(open_page(qtbot)) == ("Standard", 4, "4 Kontakte")

    users.set_current_user(first_user)
    page.refresh()
    assert page.current_book() == "Kunden"
    assert open_page(qtbot).current_book() == "Kunden"


def test_a_book_that_is_gone_or_an_empty_standard_falls_back(qtbot: QtBot, store: Path) -> None:
    ensure_book("Standard")
    fill("Kunden", 2)
    fill("Kontakte", 3)
    synced("Kontakte", NOW)
    choose(open_page(qtbot), "Kunden")
    delete_book("Kunden")
    assert shown(open_page(qtbot)) == ("Kontakte", 3, "3 Kontakte")

    # an empty Standard, chosen once, does not hide the books with contacts next time ...
    choose(open_page(qtbot), "Standard")
    assert shown(open_page(qtbot)) == ("Kontakte", 3, "3 Kontakte")
    # ... an empty book of the user's own does
    fill("Leer", 0)
    choose(open_page(qtbot), "Leer")
    assert shown(open_page(qtbot)) == ("Leer", 0, "0 Kontakte")


def test_the_shown_book_never_changes_under_the_users_eyes(qtbot: QtBot, store: Path) -> None:
    ensure_book("Standard")
    fill("Kontakte", 3)
    synced("Kontakte", NOW)
    page = open_page(qtbot)
    page.show()
    qtbot.waitExposed(page)
    assert page.current_book() == "Kontakte"

    # a sync into another book while the page is looked at: it stays
    fill("Lieferanten", 5)
    synced("Lieferanten", NOW + timedelta(minutes=5))
    page.refresh()
    assert page.current_book() == "Kontakte"

    # out of view and back: it opens on the latest sync
    page.hide()
    page.show()
    assert shown(page) == ("Lieferanten", 5, "5 Kontakte")

    # the user's own choice stays, even an empty Standard, in view or not
    choose(page, "Standard")
    page.refresh()
    page.hide()
    page.show()
    assert shown(page) == ("Standard", 0, "0 Kontakte")


# ---------------------------------------------------------------- a real import


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)


def test_the_main_window_shows_the_import_from_radicale_not_an_empty_standard(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    contacts = window.page_actions[CONTACTS_PAGE]
    contacts.trigger()  # before any import: Standard, the only book
    assert shown(window.contacts_page) == ("Standard", 0, "0 Kontakte")
    window.page_actions[SYNC_PAGE].trigger()

    s = radicale_server
    name = unique("Kontakte")
    seed_book(s, name, 12)
    account = add_account("Büro Radicale", server=s.root_url, username=s.user, password=s.password)
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    binding = bind_book(account, remote, Mode.parse("import", "add"), "Kontakte")
    report = AccountJob(account, [binding]).run()
    assert report.status == "ok", report.message

    contacts.trigger()
    assert window.stack.currentWidget() is window.contacts_page
    assert shown(window.contacts_page) == ("Kontakte", 12, "12 Kontakte")
    items = [window.contacts_page.book_list.topLevelItem(r).text(0) for r in range(2)]
    assert items == ["Standard (0)", "Kontakte (12)"]
