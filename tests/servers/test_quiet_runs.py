"""A resident process's quiet runs (app/sync/quiet.py), against a real Radicale.

The tray runs `background_job(account).run()` every few minutes in one process. Once a run
found nothing new on either side, the next runs of the binding do not read the local side
as long as nothing changed here and the server has no news: the test counts the reads of
the local side (`local_items`). Every kind of change still gets through: an edit in this
process, a change committed by another connection (another process), news on the server,
a run elsewhere that moved the binding's position. The mark is kept in the database file
too: the next process (the command line run again) finds it, and still every change made
meanwhile gets through.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.accounts import add_account
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Account, Binding, database
from app.sync import execute, quiet
from app.sync.background import background_job
from app.sync.jobs import bind_book, book_overview
from app.sync.modes import Mode
from app.sync.report import RunReport
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer


class Reads:
    """Counts the reads of the address book side's local items."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = execute.BookSide.local_items

        def counting(side: Any) -> Any:
            self.count += 1
            return real(side)

        monkeypatch.setattr(execute.BookSide, "local_items", counting)


@pytest.fixture
def book(radicale_server: DavServer, store: Path) -> Iterator[tuple[DavServer, str, str]]:
    server = radicale_server
    name = f"Ruhig {uuid.uuid4().hex[:6]}"
    url = server.make_book(display_name=name)
    for i in range(5):
        server.put_card(url, f"r{i}.vcf", simple_card(f"r-{name}-{i}", f"Ruhe {i}"))
    account = add_account(
        "Büro", server=server.root_url, username=server.user, password=server.password
    )
    remote = next(o.remote for o in book_overview(account) if o.remote.display_name == name)
    bind_book(account, remote, Mode.parse("sync", "server"))
    yield server, url, name


def tick() -> RunReport:
    """What the tray's scheduled run does for the account."""
    job = background_job(Account.get(Account.label == "Büro"), "schedule")
    assert job is not None
    report = job.run()
    assert report.status == "ok", report.to_dict()
    return report


def figures(report: RunReport) -> tuple[int, ...]:
    b = report.books[0]
    return (b.server_count, b.local_count, b.added_local, b.updated_local, b.added_server,
            b.updated_server)  # fmt: skip


def test_quiet_runs_skip_the_local_side_and_every_change_still_gets_through(
    book: tuple[DavServer, str, str], store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, url, name = book
    reads = Reads(monkeypatch)
    assert figures(tick()) == (5, 5, 5, 0, 0, 0)  # the first import
    assert reads.count == 1
    second = tick()  # nothing new: read once more, and remembered
    assert reads.count == 2 and second.books[0].unchanged
    for _ in range(2):
        quiet_run = tick()
        assert reads.count == 2, "a quiet run read the local side"
        assert quiet_run.books[0].unchanged
        assert figures(quiet_run) == (5, 5, 0, 0, 0, 0)

    # An edit in this process: found and uploaded.
    contact = next(c for c in cs.live_contacts(cs.get_book(name)) if c.fn == "Ruhe 1")
    cs.update_contact(contact, simple_card(contact.uid, "Ruhe eins"))
    edited = tick()
    assert reads.count == 3 and figures(edited)[5] == 1  # updated_server
    assert any("Ruhe eins" in text for text in server.list_cards(url).values())
    tick()  # quiet again (its own upload moved the counter: one read more)
    assert reads.count == 4
    tick()
    assert reads.count == 4

    # A change committed by another connection (the CLI, another window): a thread of
    # its own has its own connection.
    def elsewhere_edit() -> None:
        c = next(c for c in cs.live_contacts(cs.get_book(name)) if c.fn == "Ruhe 2")
        cs.update_contact(c, simple_card(c.uid, "Ruhe zwei"))
        database.close()

    other = threading.Thread(target=elsewhere_edit)
    other.start()
    other.join()
    elsewhere = tick()
    assert reads.count == 5 and figures(elsewhere)[5] == 1
    assert any("Ruhe zwei" in text for text in server.list_cards(url).values())

    # News on the server: read and fetched.
    tick()
    tick()
    assert reads.count == 6
    server.put_card(url, "r9.vcf", simple_card(f"r-{name}-9", "Ruhe neu"))
    news = tick()
    assert reads.count == 7 and figures(news)[2] == 1  # added_local
    assert "Ruhe neu" in {c.fn for c in cs.live_contacts(cs.get_book(name))}

    # A run elsewhere moved the binding's position: not quiet for us.
    tick()
    assert reads.count == 8
    binding = Binding.get()
    binding.last_sync = None
    binding.save()
    tick()
    assert reads.count == 9

    # The database closed and opened again, as by the next process (the command line run
    # again, the window started again): the file keeps the mark, the run stays quiet …
    tick()
    assert reads.count == 9
    close_database()
    open_database(store)
    quiet_again = tick()
    assert reads.count == 9 and figures(quiet_again) == (6, 6, 0, 0, 0, 0)
    # … until a change, made while no process of ours had the file open (a plain SQLite
    # connection: the store's triggers count it all the same).
    close_database()
    con = sqlite3.connect(store)
    with con:
        con.execute("UPDATE contact SET fn = fn || ' ' WHERE uid = ?", (f"r-{name}-3",))
    con.close()
    open_database(store)
    tick()
    assert reads.count == 10


def test_a_check_never_uses_nor_leaves_a_quiet_mark(
    book: tuple[DavServer, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    tick()
    tick()
    assert reads.count == 2
    account = Account.get(Account.label == "Büro")
    job = background_job(account, "schedule")
    assert job is not None
    job.dry_run = True
    job.run()
    assert reads.count == 3  # a check reads as always
    tick()
    assert reads.count == 3  # and the mark of the last run still holds
    assert quiet.FIGURES  # the figures a quiet run repeats
