"""Two data directories syncing one address book: what the state machine found.

Deterministic tests of what `test_sync_concurrency_machine.py` found, with both desks in
this process (one database open at a time) against a real Radicale.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import vcard
from app.accounts import add_account, get_account, open_session
from app.dav.discovery import discover_books
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import AddressBook
from app.sync.jobs import AccountJob, bind_book, find_book
from app.sync.modes import Mode
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_concurrency_machine import FIGURES, card, read_store, tel_of

pytestmark = pytest.mark.servers


@dataclass
class TwoDesks:
    """Two data directories in this process (one database open at a time), one book."""

    dav: DavServer
    book_url: str
    name: str
    dbs: dict[str, Path]

    def on(self, who: str) -> AddressBook:
        close_database()
        open_database(self.dbs[who])
        return cs.ensure_book(self.name)

    def run(self, who: str) -> dict[str, int]:
        self.on(who)
        with open_session(get_account(who)) as session:
            remote = find_book(discover_books(session), self.name)
        binding = bind_book(get_account(who), remote, Mode.parse("sync", "server"), self.name)
        report = AccountJob(get_account(who), [binding], allow_mass_delete=True).run()
        assert report.status == "ok", report.books
        return {k: int(getattr(report.books[0], k)) for k in FIGURES}

    def live(self, who: str) -> dict[str, str]:
        return read_store(self.on(who)).live

    def server(self) -> dict[str, str]:
        texts = self.dav.list_cards(self.book_url).values()
        return {vcard.summarize(t).uid or "": tel_of(t) for t in texts}


@pytest.fixture
def two_desks(radicale_server: DavServer, tmp_path: Path) -> Iterator[TwoDesks]:
    name = f"Zwei Plätze {uuid.uuid4().hex[:6]}"
    book_url = radicale_server.make_book(display_name=name)
    for uid in ("x", "y", "z"):
        radicale_server.put_card(book_url, f"{uid}.vcf", card(uid, "+49 30 1"))
    desks = TwoDesks(radicale_server, book_url, name, {w: tmp_path / f"{w}.sqlite3" for w in "AB"})
    for who in ("A", "B"):
        open_database(desks.dbs[who])
        add_account(
            who, server=radicale_server.root_url, username=radicale_server.user,
            password=radicale_server.password,
        )  # fmt: skip
        close_database()
        assert desks.run(who)["added_local"] == 3
    try:
        yield desks
    finally:
        close_database()


def test_a_change_from_another_desk_after_our_deletion_was_carried_out_comes_back(
    two_desks: TwoDesks,
) -> None:
    """A deletes x, B edits x, A runs first: the server card goes, B's run uploads its
    edit again (edited here, deleted there). A's next run sees x back, changed: it comes
    back from A's trash with B's version, as it would had B run first. (Before: A skipped
    it for its tombstone, for good — A and the server apart, every run quiet.)"""
    d = two_desks
    gone = cs.find_live_by_uid(d.on("A"), "x")
    assert gone is not None
    cs.delete_contact(gone)
    kept = cs.find_live_by_uid(d.on("B"), "x")
    assert kept is not None
    cs.update_contact(kept, card("x", "+49 30 2"))

    assert d.run("A")["deleted_server"] == 1
    assert d.run("B")["added_server"] == 1
    assert d.run("A")["added_local"] == 1
    assert d.live("A") == d.live("B") == d.server() == {
        "x": "+49 30 2", "y": "+49 30 1", "z": "+49 30 1"
    }  # fmt: skip
    back = cs.find_live_by_uid(d.on("A"), "x")
    assert back is not None and back.id == gone.id  # the same contact, out of the trash
    assert [tel_of(v.vcard) for v in cs.history(back)] == ["+49 30 1"]
    for who in ("B", "A"):
        assert not any(d.run(who).values())


def test_an_unchanged_copy_after_our_deletion_was_carried_out_stays_deleted(
    two_desks: TwoDesks,
) -> None:
    """The same card put back unchanged (a client that missed the deletion): deleted
    stays deleted."""
    d = two_desks
    gone = cs.find_live_by_uid(d.on("A"), "x")
    assert gone is not None
    cs.delete_contact(gone)
    assert d.run("A")["deleted_server"] == 1
    d.dav.put_card(d.book_url, "x.vcf", card("x", "+49 30 1"))
    assert d.run("A")["skipped_deleted"] == 1
    assert "x" not in d.live("A")
