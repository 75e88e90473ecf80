"""Hypothesis state machine: two workstations and a phone on one address book (issue 15).

The cast, all on one real Radicale address book:

* **Workstation A** — this process: its own SQLite file (the global ``database``), runs
  through ``AccountJob`` (Synchronisation, preference drawn, ``allow_mass_delete``),
  its requests through a `FaultProxy`, so that `At` (tests/robustness/during_run.py)
  can save a change in A's store from another thread at a drawn point of A's run: after
  the local read (``listing``), after the plan (``planned``), while a PUT is on its way
  (``request``), after the server carried it out but before A heard the answer
  (``answer``).
* **Workstation B** — a second data directory. Its runs are real ``contactbox-sync run``
  processes (through a second proxy, whose `Gate` can hold B's first write), so A's and
  B's runs truly overlap. Its changes go through the same store API as A's, on B's file
  (this process opens B's file for one step, never while A's is in use).
* **The phone** — writes cards on the server directly (``DavServer``).

Rules:

* a desk change on A or B (edit, new contact, delete); a phone change (edit, new, delete);
* a run of A, optionally with a change of A's (edit or delete) saved during it. The
  contact is first given something for the run to write: at ``listing``/``planned`` the
  phone edits it (the run brings the server's version over it), at ``request``/``answer``
  A edits it (the run uploads it, and the change aims at the card being uploaded);
* a run of B, optionally with a change of B's saved while B's first write is held at its
  proxy (B edited a contact first, so it has one to upload): a change from outside B's
  process during its PUT;
* A and B at once: B starts, B's first write (PUT or DELETE) is held until A's run reaches
  a drawn point, and A waits there until it is done (or B ended without one) — so B
  writes between A's listing and A's writes, while A's PUT is held, or after the server
  carried A's PUT out ("start": nobody waits) — optionally with a change of A's as above.

Every change writes a new phone number (a counter), so each accepted change is one value.
A change is *accepted* when a desk's store saved it (A or B, also one saved during a run)
or when the server stored the phone's write.

Every run must end without errors (status "ok"), the overlapping ones too. In
``teardown`` A and B run in turn (preference *Server*) until two runs in a row had nothing
to do — then all three agree — at most eight runs, else: no convergence. Then:

* the server, A and B hold the same UIDs, each once, with the same content;
* **no accepted change is lost**: every accepted value of a UID is (a) now its value
  everywhere, or (b) *superseded*: a later change (an edit or a deletion, by anyone) was
  made on top of it — a desk's edit replaced it in that desk's store, the phone's edit
  replaced it on the server — so someone saw it and changed it on purpose, or (c) kept
  as a *conflict loser*: in that UID's history in A's or B's store with reason
  ``conflict``. A version kept only as a "server-update" does not count: that is the
  silent loss of issue 15. (Merely "somewhere in a store" would prove nothing: a desk
  keeps every version it ever had in its history.) A phone value that the phone
  overwrote or deleted before any run saw it is superseded under (b) — nobody else saw
  it, so nothing can be asked of it;
* **nothing comes back or wins stale**: the final value of a UID is an accepted value of
  that UID on which no later change was based (no version somebody had already replaced
  or deleted).

Settings: 10 examples of up to 10 steps; about 40 s against Radicale on a 2-core
machine, most of it B's processes. What it found: tests/servers/test_two_desks.py.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from app import vcard
from app.accounts import add_account, get_account, open_session
from app.dav.discovery import discover_books
from app.dav.model import RemoteBook
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import AddressBook, Contact, ContactVersion
from app.sync.execute import BookSide
from app.sync.jobs import AccountJob, bind_book, find_book
from app.sync.modes import Mode
from tests.robustness.during_run import POINTS, At
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.servers.cards import simple_card
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer

pytestmark = pytest.mark.servers

FIGURES = ("added_local", "updated_local", "deleted_local", "added_server", "updated_server",
           "deleted_server", "conflicts", "skipped_deleted")  # fmt: skip
OPTIONS = st.sampled_from(["server", "contactbox"])
DESKS = st.sampled_from(["A", "B"])
CHANGES = st.sampled_from(["edit", "edit", "new", "delete"])
PICKS = st.integers(0, 3)  # which contact (of those sorted by UID): a few, so they meet
IN_RUN = st.sampled_from(["edit", "edit", "delete"])
DURING = st.none() | st.tuples(st.sampled_from(POINTS), IN_RUN, PICKS)  # A's, in A's run
DURING_B = st.none() | st.tuples(IN_RUN, PICKS)  # B's, while B's first write is held
CLOSING_ROUNDS = 4  # A and B each

# What the examples did (the figures in docs/RELIABILITY.md); never printed by the test.
TALLY: Counter[str] = Counter()


def card(uid: str, tel: str) -> str:
    return simple_card(uid, f"Person {uid}", f"{uid}@example.org", tel=tel)


def uid_of(entry: Logged) -> str:
    """The UID of the card a request writes (cards are named after their UID here)."""
    return unquote(entry.path.rsplit("/", 1)[-1]).removesuffix(".vcf")


def tel_of(text: str) -> str:
    phones = vcard.summarize(text).phones
    return phones[0] if phones else ""


# ---------------------------------------------------------------- what was accepted


@dataclass(frozen=True)
class Accepted:
    uid: str
    by: str  # "A", "B" or "Telefon"
    base: str | None  # the value this change was made on (None: a new contact)


@dataclass
class Ledger:
    """Every value any side accepted, and the values later changes were made on."""

    values: dict[str, Accepted] = field(default_factory=dict)  # TEL -> its change
    superseded: set[str] = field(default_factory=set)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fresh(self) -> str:
        return f"+49 30 {next(self.counter):05d}"

    def changed(self, by: str, uid: str, base: str | None, tel: str) -> None:
        assert tel not in self.values
        self.values[tel] = Accepted(uid, by, base)
        if base is not None:
            self.superseded.add(base)

    def deleted(self, base: str) -> None:
        self.superseded.add(base)


@dataclass
class StoreView:
    live: dict[str, str]  # UID -> TEL
    losers: dict[str, set[str]]  # UID -> TELs kept in its history as conflict losers


def read_store(book: AddressBook) -> StoreView:
    """The book in the database that is open now."""
    live: dict[str, str] = {}
    for c in Contact.select().where((Contact.book == book) & Contact.deleted_at.is_null()):
        assert c.uid not in live, f"UID {c.uid} twice in one store"
        live[c.uid] = tel_of(c.vcard)
    losers: dict[str, set[str]] = {}
    q = (
        ContactVersion.select(ContactVersion.vcard, Contact.uid)
        .join(Contact)
        .where((Contact.book == book) & (ContactVersion.reason == "conflict"))
        .tuples()
    )
    for text, uid in q:
        losers.setdefault(uid, set()).add(tel_of(text))
    return StoreView(live, losers)


# ---------------------------------------------------------------- B's writes held back


class Gate:
    """Holds B's first write (PUT or DELETE) at B's proxy until `let_through`."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.wrote = threading.Event()
        self.asked = threading.Event()
        self.held = threading.Event()  # a write of B's is waiting
        self.entry: Logged | None = None  # the first write of B's
        self.opened.set()

    def reset(self, *, closed: bool) -> None:
        self.wrote.clear()
        self.asked.clear()
        self.held.clear()
        self.entry = None
        if closed:
            self.opened.clear()
        else:
            self.opened.set()

    def on_request(self, entry: Logged, body: bytes) -> None:
        self.asked.set()
        if entry.method in ("PUT", "DELETE"):
            if self.entry is None:
                self.entry = entry
            if not self.opened.is_set():
                self.held.set()
                self.opened.wait(60)

    def on_answer(self, entry: Logged, status: int, body: bytes) -> None:
        if entry.method in ("PUT", "DELETE"):
            self.wrote.set()

    def wait_held(self, b: subprocess.Popen[str]) -> bool:
        """Wait until B's first write is held (True) or B ended without one (False)."""
        deadline = time.monotonic() + 60
        while not self.held.wait(0.02):
            if b.poll() is not None:
                return False
            assert time.monotonic() < deadline, "B neither wrote nor ended"
        return True

    def let_through(self, b: subprocess.Popen[str]) -> None:
        """B's writes go out now; wait until the first is done or B ended without one."""
        self.opened.set()
        deadline = time.monotonic() + 60
        while not self.wrote.wait(0.02) and b.poll() is None:
            assert time.monotonic() < deadline, "B neither wrote nor ended"


# ---------------------------------------------------------------- the machine


class TwoDesksMachine(RuleBasedStateMachine):
    """Configured by the test through class attributes (the fixtures)."""

    dav: ClassVar[DavServer]
    tmp: ClassVar[Path]
    proxy_a: ClassVar[FaultProxy]
    proxy_b: ClassVar[FaultProxy]
    at: ClassVar[At]
    gate: ClassVar[Gate]
    b_template: ClassVar[CliProcesses]
    examples: ClassVar[itertools.count[int]] = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        self.uids = itertools.count()
        self.opened = False

    # ------------------------------------------------------------ set-up / tear-down

    @initialize(on_a=st.integers(0, 3), on_b=st.integers(0, 3), on_phone=st.integers(0, 3))
    def fresh_book(self, on_a: int, on_b: int, on_phone: int) -> None:
        """A fresh server book, two fresh data directories, some contacts everywhere."""
        n = next(self.examples)
        TALLY["examples"] += 1
        self.name = f"Zwei Plätze {n} {uuid.uuid4().hex[:6]}"
        self.book_url = self.dav.make_book(display_name=self.name)
        self.book_path = urlsplit(self.book_url).path
        home = self.tmp / f"example-{n}"
        shutil.copytree(self.b_template.home, home / "b")  # B's account, made once
        self.b = CliProcesses(home / "b", self.tmp / "xdg")
        self.db_b = self.b.home / "contactbox.sqlite3"
        self.db_a = home / "a.sqlite3"
        open_database(self.db_a)
        self.opened = True
        account = add_account(
            "A", server=self.proxy_a.url, username=self.dav.user, password=self.dav.password
        )
        with open_session(account) as session:
            self.remote: RemoteBook = find_book(discover_books(session), self.name)
        for who, count in (("A", on_a), ("B", on_b)):
            with self.desk(who) as book:
                for _ in range(count):
                    self._desk_change(who, book, "new", 0)
        for _ in range(on_phone):
            self._phone_change("new", 0)

    def teardown(self) -> None:
        try:
            if self.opened:
                self.settle()
                self.check()
        finally:
            if self.opened:
                close_database()

    def new_uid(self) -> str:
        return f"z-{next(self.uids)}-{uuid.uuid4().hex[:8]}"

    @contextlib.contextmanager
    def desk(self, who: str) -> Iterator[AddressBook]:
        """The workstation's address book, its database open for the step (A's: always)."""
        if who == "B":
            close_database()
            open_database(self.db_b)
        try:
            yield cs.ensure_book(self.name)
        finally:
            if who == "B":
                close_database()
                open_database(self.db_a)

    # ------------------------------------------------------------ changes

    def _desk_change(
        self, who: str, book: AddressBook, change: str, pick: int, aim: str | None = None
    ) -> None:
        """One change in a desk's store, as its window would save it."""
        if change == "new":
            uid, tel = self.new_uid(), self.ledger.fresh()
            cs.add_contact(book, card(uid, tel))
            self.ledger.changed(who, uid, None, tel)
            return
        live = sorted(c.uid for c in cs.live_contacts(book))
        if not live:
            return
        uid = aim if aim in live else live[pick % len(live)]
        contact = cs.find_live_by_uid(book, uid)
        assert contact is not None
        base = tel_of(contact.vcard)
        if change == "edit":
            tel = self.ledger.fresh()
            cs.update_contact(contact, card(uid, tel))
            self.ledger.changed(who, uid, base, tel)
        else:
            cs.delete_contact(contact)
            self.ledger.deleted(base)

    def _phone_change(self, change: str, pick: int, aim: str | None = None) -> None:
        """One change on the server, as another client (the phone) would make it."""
        if change == "new":
            uid, tel = self.new_uid(), self.ledger.fresh()
            self.dav.put_card(self.book_url, f"{uid}.vcf", card(uid, tel))
            self.ledger.changed("Telefon", uid, None, tel)
            return
        cards = self.server_view()
        if not cards:
            return
        if aim is not None and aim not in cards:
            return
        uid = aim or sorted(cards)[pick % len(cards)]
        href, base = cards[uid]
        if change == "edit":
            tel = self.ledger.fresh()
            self.dav.put_card(self.book_url, unquote(href.rsplit("/", 1)[-1]), card(uid, tel))
            self.ledger.changed("Telefon", uid, base, tel)
        else:
            self.dav.delete_card(self.dav.url(href))
            self.ledger.deleted(base)

    @rule(who=DESKS, change=CHANGES, pick=PICKS)
    def desk_change(self, who: str, change: str, pick: int) -> None:
        with self.desk(who) as book:
            self._desk_change(who, book, change, pick)

    @rule(change=CHANGES, pick=PICKS)
    def phone_change(self, change: str, pick: int) -> None:
        self._phone_change(change, pick)

    # ------------------------------------------------------------ runs

    @rule(option=OPTIONS, during=DURING)
    def run_a(self, option: str, during: tuple[str, str, int] | None) -> None:
        self._arm_change_during(during)
        try:
            self._run_a(option)
        finally:
            self._disarm()

    @rule(option=OPTIONS, during=DURING_B)
    def run_b(self, option: str, during: tuple[str, int] | None) -> None:
        """A run of B; `during`: B edits a contact first, and while B's run uploads it
        (its first write held at B's proxy), B's window changes it again (edit or delete,
        from this process: a change from outside B's process)."""
        if during is None:
            self._finish_b(self._start_b(option))
            return
        change, pick = during
        with self.desk("B") as book:
            self._desk_change("B", book, "edit", pick)
        self.gate.reset(closed=True)
        b = self._start_b(option)
        try:
            if self.gate.wait_held(b):
                assert self.gate.entry is not None
                with self.desk("B") as book:
                    self._desk_change("B", book, change, pick, aim=uid_of(self.gate.entry))
                TALLY[f"{change} of B during B's run at request"] += 1
            else:
                TALLY["not reached: B's request"] += 1
        finally:
            self.gate.reset(closed=False)
        self._finish_b(b)

    @rule(
        option_a=OPTIONS,
        option_b=OPTIONS,
        meet=st.sampled_from(("start", *POINTS)),
        during=DURING,
    )
    def run_a_and_b(
        self, option_a: str, option_b: str, meet: str, during: tuple[str, str, int] | None
    ) -> None:
        """A and B at once; B's first write waits until A's run reaches `meet`, and A
        waits there until it is done; `during`: a change of A's during A's run."""
        TALLY[f"runs of A and B at once, B writing at {meet}"] += 1
        self.gate.reset(closed=meet != "start")
        b = self._start_b(option_b)
        try:
            self._arm_change_during(during)
            if meet == "start":
                assert self.gate.asked.wait(60), "B never asked the server"
            else:
                self.at.arm(meet, lambda: self.gate.let_through(b))
            self._run_a(option_a)
        except BaseException:
            self.gate.reset(closed=False)
            b.communicate(timeout=120)
            raise
        finally:
            self.gate.reset(closed=False)  # (A never reached the point: B goes on now)
            self._disarm()
        self._finish_b(b)

    def _arm_change_during(self, during: tuple[str, str, int] | None) -> None:
        """Prepare and arm a change of A's saved during A's next run.

        The contact it aims at is first changed so that the run has something to write
        over it: at "listing"/"planned" the phone edits it (the run then writes the
        server's version over the contact), at "request"/"answer" A edits it (the run
        uploads it). When the point is a PUT, the change aims at the card being uploaded.
        """
        if during is None:
            return
        point, change, pick = during
        with self.desk("A") as book:
            live = sorted(c.uid for c in cs.live_contacts(book))
            if not live:
                return
            target = live[pick % len(live)]
            if point in ("request", "answer"):
                self._desk_change("A", book, "edit", 0, aim=target)
        if point in ("listing", "planned"):
            self._phone_change("edit", 0, aim=target)

        def save() -> None:
            book = cs.get_book(self.name)
            self._desk_change("A", book, change, 0, aim=self._uploading() or target)
            TALLY[f"{change} of A during A's run at {point}"] += 1

        self.at.arm(point, save)

    def _uploading(self) -> str | None:
        """The UID of the card A is uploading at "request"/"answer"."""
        return uid_of(self.at.entry) if self.at.entry is not None else None

    def _disarm(self) -> None:
        for point in self.at.disarm():
            TALLY[f"not reached: {point}"] += 1

    def _run_a(self, option: str) -> dict[str, int]:
        TALLY["runs of A"] += 1
        binding = bind_book(get_account("A"), self.remote, Mode.parse("sync", option), self.name)
        report = AccountJob(get_account("A"), [binding], allow_mass_delete=True).run()
        assert report.status == "ok", (report.status, report.message, report.books)
        book = report.books[0]
        assert not book.errors and not book.error, (book.errors, book.error)
        TALLY["conflicts"] += book.conflicts
        return {k: int(getattr(book, k)) for k in FIGURES}

    def _start_b(self, option: str) -> subprocess.Popen[str]:
        TALLY["runs of B"] += 1
        return self.b.start(
            "run", "B", "--book", self.book_path, "--local-book", self.name, "--mode", "sync",
            "--option", option, "--allow-mass-delete", "--json",
        )  # fmt: skip

    def _finish_b(self, b: subprocess.Popen[str]) -> dict[str, int]:
        out, err = b.communicate(timeout=120)
        assert b.returncode == 0, (b.returncode, out, err)
        report = json.loads(out)
        assert report["status"] == "ok", report
        book = report["books"][0]
        assert not book["errors"] and not book["error"], book
        TALLY["conflicts"] += int(book["conflicts"])
        return {k: int(book[k]) for k in FIGURES}

    # ------------------------------------------------------------ the end

    def settle(self) -> None:
        """A, B, A, … until two runs in a row had nothing to do (then all three agree)."""
        quiet = 0
        for n in range(2 * CLOSING_ROUNDS):
            did = self._run_a("server") if n % 2 == 0 else self._finish_b(self._start_b("server"))
            quiet = 0 if any(did.values()) else quiet + 1
            if quiet == 2:
                return
        raise AssertionError(f"A and B still busy after {2 * CLOSING_ROUNDS} closing runs")

    def server_view(self) -> dict[str, tuple[str, str]]:
        """UID -> (href, TEL) of every card on the server."""
        out: dict[str, tuple[str, str]] = {}
        for href, text in self.dav.list_cards(self.book_url).items():
            uid = vcard.summarize(text).uid
            assert uid, f"card without UID: {href}"
            assert uid not in out, f"UID {uid} twice on the server"
            out[uid] = (href, tel_of(text))
        return out

    def check(self) -> None:
        server = {uid: tel for uid, (_, tel) in self.server_view().items()}
        with self.desk("A") as book:
            a = read_store(book)
        with self.desk("B") as book:
            b = read_store(book)
        assert a.live == server, f"A {a.live} != server {server}"
        assert b.live == server, f"B {b.live} != server {server}"
        ledger = self.ledger
        for uid, tel in server.items():
            got = ledger.values.get(tel)
            assert got is not None and got.uid == uid, f"{uid}: {tel} was never saved for it"
            assert tel not in ledger.superseded, (
                f"{uid}: {tel} ({got.by}) is back although a later change replaced it"
            )
        for tel, got in ledger.values.items():
            TALLY["accepted changes"] += 1
            if server.get(got.uid) == tel:
                TALLY["accepted changes: final everywhere"] += 1
            elif tel in ledger.superseded:
                TALLY["accepted changes: changed again by someone who saw them"] += 1
            elif tel in a.losers.get(got.uid, set()) | b.losers.get(got.uid, set()):
                TALLY["accepted changes: conflict losers in a history"] += 1
            else:
                raise AssertionError(
                    f"lost: {got.by}'s change {tel} of {got.uid} (made on {got.base}) is "
                    f"neither the final value ({server.get(got.uid)}) nor changed again "
                    f"nor a conflict loser in a history"
                )


def test_two_workstations_and_a_phone(
    radicale_server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_a = FaultProxy(radicale_server.root_url).start()
    gate = Gate()
    proxy_b = FaultProxy(
        radicale_server.root_url, on_request=gate.on_request, on_answer=gate.on_answer
    ).start()

    class Machine(TwoDesksMachine):
        dav = radicale_server
        tmp = tmp_path

    Machine.proxy_a, Machine.proxy_b, Machine.gate = proxy_a, proxy_b, gate
    Machine.b_template = CliProcesses(tmp_path / "b-template", tmp_path / "xdg")
    added = Machine.b_template.call(
        "account", "add", "B", "--url", proxy_b.url, "--user", radicale_server.user,
        extra_env={"CONTACTBOX_PASSWORD": radicale_server.password},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    Machine.at = At(monkeypatch, proxy_a, BookSide)
    try:
        run_state_machine_as_test(
            Machine,
            settings=settings(
                max_examples=10,
                stateful_step_count=10,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    finally:
        gate.reset(closed=False)
        proxy_a.close()
        proxy_b.close()
