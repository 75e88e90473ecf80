"""Hypothesis state machine: the real two-way sync engine against a real Radicale.

Rules change contacts in Contactbox (through app.store.contacts) and cards on the server
(as another client would, through DavServer), and run a Synchronisation (preference
*Server* or *Contactbox*, ``allow_mass_delete=True``) through ``AccountJob``. A model
says what SPEC §4 makes of every change; after every run it is compared with both sides:

* no UID twice on either side, the same UIDs on both sides, the same FN/TEL per UID;
* an edit on one side only is on both sides afterwards (no lost edit);
* a synced contact edited on both sides is merged field by field (issue 22): a field
  (FN, TEL) the other side did not touch is never lost — it is on both sides afterwards,
  neither overwritten nor only in the history; only a field both sides changed
  differently is decided by the preference, and then the whole losing version is in the
  contact's ``ContactVersion`` history (a contact new on both sides with the same UID and
  different contents has no base: the preferred side's whole card wins);
* a contact deleted in Contactbox (server card unchanged) stays deleted - also in later
  runs; a card deleted on the server (contact unchanged) ends in the local trash;
* the report's figures and conflict count are exactly what the model predicts.

Every example gets a fresh address book and a fresh SQLite file. Contacts are identified
by UID; every card carries an e-mail address derived from its UID, so the first-run
matching by name + e-mail never joins two different contacts here; a separate test
below checks that later runs never match by name at all.

Settings: 25 examples of up to 15 steps (plus the first run in ``initialize`` and two
closing runs in ``teardown``), about 30-45 s against Radicale.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app import vcard
from app.accounts import add_account, get_account, open_session
from app.dav.discovery import discover_books
from app.dav.model import RemoteBook
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Contact, ContactVersion
from app.sync.jobs import AccountJob, bind_book, find_book
from app.sync.modes import Mode
from app.sync.report import BookReport
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer

Content = tuple[str, str]  # (FN, TEL)

NAMES = (
    "Anna Müller",
    "Jörg Schmidt",
    "Özlem Ärger",
    "Bernd Weiß",
    "Clara Übel",
    "Dieter Groß",
    "Eva Meier",
    "Frank Bauer",
)
CONTENTS = st.tuples(st.sampled_from(NAMES), st.integers(0, 30).map(lambda n: f"+49 30 {n:04d}"))
FIGURES = (
    "added_local",
    "updated_local",
    "deleted_local",
    "added_server",
    "updated_server",
    "deleted_server",
    "conflicts",
    "merged",
    "skipped_deleted",
)


def card(uid: str, content: Content) -> str:
    fn, tel = content
    return simple_card(uid, fn, f"{uid}@example.org", tel=tel)


def content_of(text: str) -> Content:
    s = vcard.summarize(text)
    return s.fn, s.phones[0] if s.phones else ""


@dataclass
class Prediction:
    """What one run must do: the result per UID, figures, and the checks to make."""

    final: dict[str, Content]
    figures: dict[str, int]
    losers: dict[str, Content]  # UID -> losing version that must be in the history
    trashed_by_server: dict[str, Content]  # UID -> content that must be in the trash
    deleted_here: set[str]  # deleted locally and on the server now: must stay deleted
    restored: set[str]  # deleted locally but changed on the server: back from the trash
    # UID -> {field index: value} of the fields only one side changed in a merge: that
    # value must be on both sides afterwards (the stronger invariant of issue 22)
    one_sided: dict[str, dict[int, str]]


class SyncModel:
    """SPEC §4 two-way semantics over UIDs and (FN, TEL) contents."""

    def __init__(self) -> None:
        self.base: dict[str, Content] = {}  # what the last run left on both sides
        self.local: dict[str, Content] = {}  # live contacts
        self.trash: dict[str, list[Content]] = {}  # trashed contacts, latest last
        self.server: dict[str, Content] = {}
        self.gone: set[str] = set()  # deleted in Contactbox and propagated

    def predict(self, option: str) -> Prediction:
        final: dict[str, Content] = {}
        figures = dict.fromkeys(FIGURES, 0)
        losers: dict[str, Content] = {}
        trashed: dict[str, Content] = {}
        deleted_here: set[str] = set()
        restored: set[str] = set()
        one_sided: dict[str, dict[int, str]] = {}
        for uid in sorted(set(self.base) | set(self.local) | set(self.server)):
            b, lo, s = self.base.get(uid), self.local.get(uid), self.server.get(uid)
            if b is not None:  # synced before
                if lo is None and s is None:
                    continue  # gone on both sides: forgotten
                if lo is None:
                    assert s is not None
                    if s == b:
                        figures["deleted_server"] += 1  # deleted here: deleted there
                        deleted_here.add(uid)
                    else:
                        figures["added_local"] += 1  # changed there: restored here
                        final[uid] = s
                        restored.add(uid)
                    continue
                if s is None:
                    if lo == b:
                        figures["deleted_local"] += 1  # deleted there: to the trash
                        trashed[uid] = lo
                    else:
                        figures["added_server"] += 1  # changed here: uploaded again
                        final[uid] = lo
                    continue
                if lo == b and s == b:
                    final[uid] = b
                elif lo == b:
                    figures["updated_local"] += 1
                    final[uid] = s
                elif s == b:
                    figures["updated_server"] += 1
                    final[uid] = lo
                else:
                    one_sided[uid] = self._merge(uid, b, lo, s, option, final, figures, losers)
            elif lo is not None and s is not None:  # new on both sides, same UID
                if lo == s:
                    final[uid] = lo
                else:
                    self._conflict(uid, lo, s, option, final, figures, losers)
            elif lo is not None:
                figures["added_server"] += 1
                final[uid] = lo
            else:
                assert s is not None
                figures["added_local"] += 1
                final[uid] = s
        return Prediction(final, figures, losers, trashed, deleted_here, restored, one_sided)

    @staticmethod
    def _merge(
        uid: str,
        b: Content,
        lo: Content,
        s: Content,
        option: str,
        final: dict[str, Content],
        figures: dict[str, int],
        losers: dict[str, Content],
    ) -> dict[int, str]:
        """Both sides changed a synced contact: merged field by field; a field both
        changed differently goes to the preferred side (the whole other version to the
        history). Returns the fields only one side changed."""
        merged: list[str] = []
        one_sided: dict[int, str] = {}
        decided = False
        for i, (base, mine, theirs) in enumerate(zip(b, lo, s, strict=True)):
            if mine == theirs:
                merged.append(mine)
            elif mine == base:
                merged.append(theirs)
                one_sided[i] = theirs
            elif theirs == base:
                merged.append(mine)
                one_sided[i] = mine
            else:
                decided = True
                merged.append(theirs if option == "server" else mine)
        figures["merged"] += 1
        final[uid] = (merged[0], merged[1])
        if decided:
            figures["conflicts"] += 1
            losers[uid] = lo if option == "server" else s
        return one_sided

    @staticmethod
    def _conflict(
        uid: str,
        lo: Content,
        s: Content,
        option: str,
        final: dict[str, Content],
        figures: dict[str, int],
        losers: dict[str, Content],
    ) -> None:
        figures["conflicts"] += 1
        if option == "server":
            figures["updated_local"] += 1
            final[uid], losers[uid] = s, lo
        else:
            figures["updated_server"] += 1
            final[uid], losers[uid] = lo, s

    def apply(self, p: Prediction) -> None:
        for uid in p.restored:
            self.trash[uid].pop()  # restored from the trash with the server's version
        for uid, content in p.trashed_by_server.items():
            self.trash.setdefault(uid, []).append(content)
        self.gone |= p.deleted_here
        self.gone -= set(p.final)
        self.base = dict(p.final)
        self.local = dict(p.final)
        self.server = dict(p.final)


class SyncMachine(RuleBasedStateMachine):
    """Configured by the test through class attributes (the fixtures)."""

    dav: ClassVar[DavServer]
    tmp: ClassVar[Path]
    counter: ClassVar[itertools.count[int]] = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.model = SyncModel()
        self.hrefs: dict[str, str] = {}  # UID -> server href (path)
        self.uids = itertools.count()
        self.opened = False
        self.runs = 0

    # ------------------------------------------------------------ set-up / tear-down

    @initialize(
        local=st.lists(CONTENTS, min_size=1, max_size=4),
        server=st.lists(CONTENTS, min_size=1, max_size=4),
    )
    def fresh_book(self, local: list[Content], server: list[Content]) -> None:
        """A fresh server book and database, some contacts on each side, a first run."""
        n = next(self.counter)
        self.name = f"Zustand {n} {uuid.uuid4().hex[:6]}"
        self.book_url = self.dav.make_book(display_name=self.name)
        open_database(self.tmp / f"machine-{n}.sqlite3")
        self.opened = True
        self.account = add_account(
            "Test", server=self.dav.root_url, username=self.dav.user, password=self.dav.password
        )
        with open_session(self.account) as session:
            self.remote: RemoteBook = find_book(discover_books(session), self.name)
        self.book = cs.ensure_book(self.name)
        for content in local:
            self._local_create(self.new_uid(), content)
        for content in server:
            self._server_put(self.new_uid(), content)
        self.sync("server")

    def teardown(self) -> None:
        try:
            if self.opened:
                # Every example ends verified, and a run right after a run does nothing.
                self.sync("server")
                self.sync("contactbox")
                assert self.last.figures_done == dict.fromkeys(FIGURES, 0)
        finally:
            if self.opened:
                close_database()

    def new_uid(self) -> str:
        return f"m-{next(self.uids)}-{uuid.uuid4().hex[:8]}"

    # ------------------------------------------------------------ single changes
    # Contactbox side through app.store.contacts, server side as another client would.

    def _local_create(self, uid: str, content: Content) -> None:
        cs.add_contact(self.book, card(uid, content))
        self.model.local[uid] = content

    def _local_edit(self, uid: str, content: Content) -> None:
        c = cs.find_live_by_uid(self.book, uid)
        assert c is not None
        cs.update_contact(c, card(uid, content))
        self.model.local[uid] = content

    def _local_delete(self, uid: str) -> None:
        c = cs.find_live_by_uid(self.book, uid)
        assert c is not None
        cs.delete_contact(c)
        self.model.trash.setdefault(uid, []).append(self.model.local.pop(uid))

    def _server_put(self, uid: str, content: Content) -> None:
        href = self.hrefs.get(uid)
        if href is None:
            href = urlsplit(self.dav.card_url(self.book_url, f"{uid}.vcf")).path
            self.hrefs[uid] = href
        self.dav.put_card(self.book_url, unquote(href.rsplit("/", 1)[-1]), card(uid, content))
        self.model.server[uid] = content

    def _server_delete(self, uid: str) -> None:
        self.dav.delete_card(self.dav.url(self.hrefs.pop(uid)))
        del self.model.server[uid]

    @rule(
        where=st.sampled_from(["local", "server", "both", "both, same content"]),
        a=CONTENTS,
        b=CONTENTS,
    )
    def create(self, where: str, a: Content, b: Content) -> None:
        """A new contact in Contactbox, on the server, or on both with the same UID."""
        uid = self.new_uid()
        if where != "server":
            self._local_create(uid, a)
        if where != "local":
            self._server_put(uid, b if where == "both" else a)

    @precondition(lambda self: self.model.local or self.model.server)
    @rule(data=st.data(), content=CONTENTS)
    def edit(self, data: st.DataObject, content: Content) -> None:
        where = data.draw(
            st.sampled_from([w for w in ("local", "server") if getattr(self.model, w)]),
            label="where",
        )
        uid = data.draw(st.sampled_from(sorted(getattr(self.model, where))), label="uid")
        if where == "local":
            self._local_edit(uid, content)
        else:
            self._server_put(uid, content)

    @precondition(lambda self: self.model.local or self.model.server)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        where = data.draw(
            st.sampled_from([w for w in ("local", "server") if getattr(self.model, w)]),
            label="where",
        )
        uid = data.draw(st.sampled_from(sorted(getattr(self.model, where))), label="uid")
        if where == "local":
            self._local_delete(uid)
        else:
            self._server_delete(uid)

    def _synced_on_both(self) -> list[str]:
        m = self.model
        return sorted(u for u in m.base if u in m.local and u in m.server)

    @precondition(lambda self: self._synced_on_both())
    @rule(
        data=st.data(),
        kind=st.sampled_from(
            [
                "edit both",
                "edit different fields",
                "delete here, edit there",
                "edit here, delete there",
            ]
        ),
        a=CONTENTS,
        b=CONTENTS,
    )
    def change_both_sides(self, data: st.DataObject, kind: str, a: Content, b: Content) -> None:
        """The same synced contact changed on both sides before the next run."""
        uid = data.draw(st.sampled_from(self._synced_on_both()), label="uid")
        if kind == "edit both":
            self._local_edit(uid, a)
            self._server_put(uid, b)
        elif kind == "edit different fields":  # the desk the name, the phone the number
            base = self.model.base[uid]
            self._local_edit(uid, (a[0], base[1]))
            self._server_put(uid, (base[0], b[1]))
        elif kind == "delete here, edit there":
            self._local_delete(uid)
            self._server_put(uid, b)
        else:
            self._local_edit(uid, a)
            self._server_delete(uid)

    def _restorable(self) -> list[str]:
        return sorted(u for u, t in self.model.trash.items() if t and u not in self.model.local)

    @precondition(lambda self: self._restorable())
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        """Take a contact out of the Contactbox trash (the latest one of its UID)."""
        uid = data.draw(st.sampled_from(self._restorable()), label="uid")
        c = (
            Contact.select()
            .where(
                (Contact.book == self.book)
                & (Contact.uid == uid)
                & Contact.deleted_at.is_null(False)
            )
            .order_by(Contact.id.desc())
            .first()
        )
        assert c is not None, f"{uid} is not in the trash"
        cs.restore_contact(c)
        self.model.local[uid] = self.model.trash[uid].pop()
        self.model.gone.discard(uid)  # restored on purpose: it syncs again
        assert content_of(c.vcard) == self.model.local[uid]

    # ------------------------------------------------------------ the run

    @rule(option=st.sampled_from(["server", "contactbox"]))
    def sync(self, option: str) -> None:
        prediction = self.model.predict(option)
        binding = bind_book(get_account("Test"), self.remote, Mode.parse("sync", option), self.name)
        report = AccountJob(get_account("Test"), [binding], allow_mass_delete=True).run()
        self.runs += 1
        assert report.status == "ok", (report.status, report.message, report.books)
        book = report.books[0]
        assert not book.errors and not book.error, (book.errors, book.error)
        self.last = Outcome(book, {k: int(getattr(book, k)) for k in FIGURES})
        self.check(prediction)
        self.model.apply(prediction)

    def check(self, p: Prediction) -> None:
        server = self.server_state()
        live, trash = self.local_state()
        assert set(server) == set(live), (
            f"only on the server: {set(server) - set(live)}, "
            f"only in Contactbox: {set(live) - set(server)}"
        )
        assert set(server) == set(p.final), (
            f"missing: {set(p.final) - set(server)}, unexpected: {set(server) - set(p.final)}"
        )
        for uid, want in p.final.items():
            assert server[uid] == want, f"{uid}: server has {server[uid]}, expected {want}"
            assert live[uid] == want, f"{uid}: Contactbox has {live[uid]}, expected {want}"
        for uid, loser in p.losers.items():
            kept = self.history(uid)
            assert loser in kept or loser == p.final[uid], (
                f"{uid}: the losing version {loser} is not in the history {kept}"
            )
        for uid, fields in p.one_sided.items():
            for i, value in fields.items():  # never lost: on both sides, not in the history
                assert server[uid][i] == value and live[uid][i] == value, (
                    f"{uid}: the one-sided edit {value!r} was lost in the merge"
                )
            assert uid in p.losers or not self.history_conflicts(uid), (
                f"{uid}: merged without a decided field, yet a loser is in the history"
            )
        for uid, content in p.trashed_by_server.items():
            assert content in trash.get(uid, []), f"{uid}: not in the trash with {content}"
        for uid in self.model.gone | p.deleted_here:
            assert uid not in live and uid not in server, f"{uid} came back"
        assert self.last.figures_done == p.figures, (
            f"figures {self.last.figures_done} != predicted {p.figures}"
        )

    def server_state(self) -> dict[str, Content]:
        out: dict[str, Content] = {}
        self.hrefs = {}
        for href, text in self.dav.list_cards(self.book_url).items():
            uid = vcard.summarize(text).uid
            assert uid, f"card without UID: {href}"
            assert uid not in out, f"UID {uid} twice on the server"
            out[uid] = content_of(text)
            self.hrefs[uid] = href
        return out

    def local_state(self) -> tuple[dict[str, Content], dict[str, list[Content]]]:
        live: dict[str, Content] = {}
        trash: dict[str, list[Content]] = {}
        for c in Contact.select().where(Contact.book == self.book).order_by(Contact.id):
            if c.deleted_at is None:
                assert c.uid not in live, f"UID {c.uid} twice in Contactbox"
                live[c.uid] = content_of(c.vcard)
            else:
                trash.setdefault(c.uid, []).append(content_of(c.vcard))
        return live, trash

    def history_conflicts(self, uid: str) -> list[Content]:
        """The versions kept in the history as the loser of a conflict."""
        c = cs.find_live_by_uid(self.book, uid)
        assert c is not None
        q = ContactVersion.select().where(
            (ContactVersion.contact == c) & (ContactVersion.reason == "conflict")
        )
        return [content_of(v.vcard) for v in q]

    def history(self, uid: str) -> list[Content]:
        c = cs.find_live_by_uid(self.book, uid)
        assert c is not None
        q = ContactVersion.select().where(ContactVersion.contact == c)
        return [content_of(v.vcard) for v in q]


@dataclass
class Outcome:
    report: BookReport
    figures_done: dict[str, int]


def test_two_way_sync_state_machine(radicale_server: DavServer, tmp_path: Path) -> None:
    class Machine(SyncMachine):
        dav = radicale_server
        tmp = tmp_path

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def _run(account_label: str, remote: RemoteBook, name: str) -> BookReport:
    binding = bind_book(get_account(account_label), remote, Mode.parse("sync", "server"), name)
    report = AccountJob(get_account(account_label), [binding], allow_mass_delete=True).run()
    assert report.status == "ok", report.books
    return report.books[0]


def test_later_run_keeps_two_new_contacts_with_the_same_name_apart(
    radicale_server: DavServer, store: Path
) -> None:
    """SPEC §4: name + e-mail matching is for the very first run only; afterwards two
    new contacts with the same name (and no e-mail) are two people, each with its UID."""
    dav = radicale_server
    name = f"Namensgleich {uuid.uuid4().hex[:6]}"
    book_url = dav.make_book(display_name=name)
    add_account("Test", server=dav.root_url, username=dav.user, password=dav.password)
    with open_session(get_account("Test")) as session:
        remote = find_book(discover_books(session), name)
    book = cs.ensure_book(name)

    def no_mail(uid: str, fn: str, tel: str) -> str:
        return "\r\n".join(
            ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", "N:Müller;Thomas;;;",
             f"TEL;TYPE=CELL:{tel}", "END:VCARD", ""]
        )  # fmt: skip

    # A first run: the book is synced (the name + e-mail matching is for that run only).
    dav.put_card(book_url, "first.vcf", no_mail("first", "Erste Person", "+49 30 1"))
    assert _run("Test", remote, name).added_local == 1
    # Then two different people called Thomas Müller, one entered on each side.
    cs.add_contact(book, no_mail("thomas-local", "Thomas Müller", "+49 40 111"))
    dav.put_card(
        book_url, "thomas-phone.vcf", no_mail("thomas-phone", "Thomas Müller", "+49 89 222")
    )
    out = _run("Test", remote, name)
    live = {c.uid: c.phone for c in cs.live_contacts(book)}
    on_server = {
        vcard.summarize(t).uid: vcard.summarize(t).phones[0]
        for t in dav.list_cards(book_url).values()
    }
    assert out.conflicts == 0
    expected = {"first": "+49 30 1", "thomas-local": "+49 40 111", "thomas-phone": "+49 89 222"}
    assert live == expected
    assert on_server == expected


@pytest.mark.parametrize("option", ["server", "contactbox"])
def test_model_predicts_a_conflict(option: str) -> None:
    """The model itself: a field both sides changed goes to the preferred side, a field
    one side changed is kept (merged)."""
    m = SyncModel()
    m.base = {"u": ("A", "1"), "v": ("A", "1")}
    m.local = {"u": ("A", "2"), "v": ("B", "1")}
    m.server = {"u": ("A", "3"), "v": ("A", "3")}
    p = m.predict(option)
    assert p.figures["conflicts"] == 1 and p.figures["merged"] == 2
    assert p.final["u"] == (("A", "3") if option == "server" else ("A", "2"))
    assert p.final["v"] == ("B", "3") and p.one_sided["v"] == {0: "B", 1: "3"}
    assert "v" not in p.losers
