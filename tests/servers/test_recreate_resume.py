""""Neu anlegen" killed at 10 points: the next run re-attaches every Termin and Wiedervorlage.

"Neu anlegen" moves the local book to the trash and imports the server book again; the
appointments and follow-ups of the old contacts are moved to the new ones at the end of
the run. The list of old contacts to move lives in the database (PendingReattach, written
with the wipe): a run killed anywhere leaves it there, and the next run of the binding
finishes it.

The real `contactbox-sync` runs as a subprocess against a real Radicale and kills itself
with SIGKILL at an exact point (tests/servers/kill_at.py; local writes commit in batches
of 25 there, so 80 cards span several commits). Each round:

1. a new contact only in Contactbox gets a follow-up (it must stay with its old contact:
   the server never sends it back);
2. `run --mode sync --option recreate`, killed at the round's point;
3. resumed the way the user or the scheduler resumes it: the binding as stored
   (`contactbox-sync sync`), or — killed before the wipe, the binding still on
   "Neu anlegen" — the user's `run --option recreate` again; one round's resume is killed
   too (a later run, not the wiping one, is interrupted);
4. checked: every appointment and follow-up of a server contact is linked to the live
   contact with its UID, the local-only contacts' follow-ups to their old contact in the
   trash, the list is empty, the book was wiped exactly once, `integrity_check` ok.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from tests.servers.cards import simple_card
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer

N_CARDS = 80
ACCOUNT = "Test"

#: (point of the killed "Neu anlegen" run, point of the resuming run or None, was the
#: book wiped by then?). "Neu anlegen" streams like a first import: the wipe comes right
#: before the first part (25 cards here) is stored.
POINTS: list[tuple[str, str | None, bool]] = [
    ("listing", None, False),  # before the wipe: nothing changed
    ("fetch:10", None, False),  # before the wipe, mid-fetch of the first part
    ("wipe", None, True),  # the book in the trash, nothing imported yet
    ("import:1", None, True),  # the first chunk not committed
    ("import:40", None, True),  # one part of 25 committed
    ("fetch:60", None, True),  # two parts committed, mid-fetch of the third
    ("import:70", None, True),  # two parts committed
    (f"import:{N_CARDS}", None, True),  # the last card imported, its part not committed
    ("reattach", None, True),  # all imported and committed, nothing re-attached
    ("reattached", None, True),  # re-attached, the run not finished
    ("wipe", "import:40", True),  # the resuming (streaming) run killed as well
]


class KillingCli(CliProcesses):
    """`python -m tests.servers.kill_at POINT …` instead of `python -m app.cli …`."""

    point = "-"

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "tests.servers.kill_at", self.point,
                "--home", str(self.home), *args]  # fmt: skip

    def run(self, *args: str, point: str = "-") -> tuple[int, str, str]:
        self.point = point
        try:
            done = self.call(*args)
        finally:
            self.point = "-"
        return done.returncode, done.stdout, done.stderr


class Book:
    """The local side, read straight from the SQLite file."""

    def __init__(self, db: Path, name: str) -> None:
        self.db, self.name = db, name

    def query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return list(con.execute(sql, params))
        finally:
            con.close()

    def option(self) -> str:
        return str(self.query("SELECT option FROM binding")[0][0])

    def live(self) -> dict[str, int]:
        rows = self.query(
            "SELECT c.uid, c.id FROM contact c JOIN address_book b ON b.id = c.book_id "
            "WHERE b.name = ? AND c.deleted_at IS NULL",
            self.name,
        )
        uids = [str(uid) for uid, _ in rows]
        assert len(uids) == len(set(uids)), "a UID twice in Contactbox"
        return {str(uid): int(str(cid)) for uid, cid in rows}

    def trashed(self) -> int:
        return int(str(self.query(
            "SELECT count(*) FROM contact c JOIN address_book b ON b.id = c.book_id "
            "WHERE b.name = ? AND c.deleted_at IS NOT NULL",
            self.name,
        )[0][0]))  # fmt: skip

    def pending(self) -> int:
        return int(str(self.query("SELECT count(*) FROM pending_reattach")[0][0]))

    def links(self) -> list[tuple[str, str, str | None, bool]]:
        """(kind, the link's contact UID, the linked contact's UID, is it live?)."""
        out = []
        for kind, table in (("Termin", "appointment"), ("Wiedervorlage", "follow_up")):
            for want, uid, deleted in self.query(
                f"SELECT l.contact_uid, c.uid, c.deleted_at FROM {table} l "
                "LEFT JOIN contact c ON c.id = l.contact_id"
            ):
                out.append((kind, str(want), None if uid is None else str(uid), deleted is None))
        return out

    def integrity(self) -> str:
        return str(self.query("PRAGMA integrity_check")[0][0])


@contextmanager
def store(db: Path) -> Iterator[None]:
    from app.store.db import close_database, open_database

    open_database(db)
    try:
        yield
    finally:
        close_database()


def link_contacts(db: Path, name: str, round_no: int) -> None:
    """Termine for the first 30 server contacts, Wiedervorlagen for 20-49 (10 have both);
    a new local-only contact with a Wiedervorlage each round."""
    from app.store import agenda
    from app.store import contacts as cs

    with store(db):
        book = cs.get_book(name)
        if round_no == 0:
            for i in range(50):
                c = cs.find_live_by_uid(book, f"srv-{i:03d}")
                assert c is not None
                if i < 30:
                    agenda.add_appointment(c.id, f"Termin {i}", datetime(2030, 1, 1, 9), None)
                if i >= 20:
                    agenda.add_followup(c.id, f"Anrufen {i}", datetime(2030, 2, 1, 11))
        local = cs.add_contact(
            book, simple_card(f"lokal-{round_no}", f"Nur Lokal {round_no}", "lokal@example.de")
        )
        agenda.add_followup(local.id, f"Lokal {round_no}", datetime(2030, 3, 1, 11))


def assert_all_reattached(book: Book, rounds: int, label: str) -> None:
    live = book.live()
    assert set(live) == {f"srv-{i:03d}" for i in range(N_CARDS)}, label
    links = book.links()
    assert len(links) == 30 + 30 + rounds, label  # + one local-only follow-up per round
    for kind, want, got, is_live in links:
        if want.startswith("srv-"):
            assert (got, is_live) == (want, True), f"{label}: {kind} of {want} is on {got}"
        else:  # the local-only contact never comes back: its old contact keeps it
            assert (got, is_live) == (want, False), f"{label}: {kind} of {want} is on {got}"
    assert book.pending() == 0, f"{label}: the re-attach list is not empty"
    assert book.integrity() == "ok", label


@pytest.fixture
def kcli(tmp_path: Path) -> KillingCli:
    return KillingCli(tmp_path / "home", tmp_path / "xdg")


def test_recreate_killed_at_10_points_reattaches_everything(
    radicale_server: DavServer, kcli: KillingCli
) -> None:
    server = radicale_server
    name = f"Neu {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_cards(
        book_url,
        {
            f"srv-{i:03d}.vcf": simple_card(f"srv-{i:03d}", f"Person Ärger {i}", f"p{i}@example.de")
            for i in range(N_CARDS)
        },
        display_name=name,
    )
    added = kcli.call(
        "account", "add", ACCOUNT, "--url", server.root_url, "--user", server.user,
        extra_env={"CONTACTBOX_PASSWORD": server.password},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    sync_args = ("run", ACCOUNT, "--book", name, "--mode", "sync", "--option", "server")
    recreate = ("run", ACCOUNT, "--book", name, "--mode", "sync", "--option", "recreate")
    code, _, err = kcli.run(*sync_args)
    assert code == 0, err
    book = Book(kcli.home / "contactbox.sqlite3", name)

    for round_no, (point, resume_point, wiped) in enumerate(POINTS):
        label = f"round {round_no + 1} (killed at {point}, resumed {resume_point or 'fully'})"
        link_contacts(book.db, name, round_no)
        live_before, trash_before = len(book.live()), book.trashed()

        code, _, err = kcli.run(*recreate, point=point)
        assert code == -signal.SIGKILL, f"{label}: not killed (exit {code})\n{err[-800:]}"
        assert book.integrity() == "ok", label
        if point == "reattached":  # wiped and re-attached
            assert book.pending() == 0, label
        elif wiped:  # the list is in the database, every old link still waits on it
            assert book.option() == "server", label
            assert book.pending() == 50 + 1, label
            assert not any(got and got.startswith("srv-") and is_live
                           for _k, _w, got, is_live in book.links()), label  # fmt: skip
        else:  # killed before the wipe: nothing changed, still "Neu anlegen"
            assert book.option() == "recreate", label
            assert book.trashed() == trash_before and book.pending() == 0, label

        resume = ("sync", ACCOUNT) if book.option() != "recreate" else recreate
        if resume_point is not None:
            code, _, err = kcli.run(*resume, point=resume_point)
            assert code == -signal.SIGKILL, f"{label}: resume not killed\n{err[-800:]}"
            assert 0 < len(book.live()) < N_CARDS, f"{label}: no partial import to resume"
            assert book.pending() == 50 + 1, label
        code, out, err = kcli.run(*resume, "--json")
        assert code == 0, f"{label}: resume failed\n{out[-1500:]}{err[-1500:]}"
        assert not json.loads(out)["errors"], label
        assert_all_reattached(book, round_no + 1, label)
        # Wiped exactly once: the trash grew by the book as it was before the round.
        assert book.trashed() - trash_before == live_before, label
