"""A server edit made while our run is under way: between our listing and our write.

Another client changes a card on the server at the moment our run's PUT (or DELETE) of
the same card reaches the proxy; the proxy lets the other client's write through first,
then forwards ours, which carries the ETag of our listing and so meets `412`. The engine
re-reads the card and decides again (SPEC §4: both sides changed → a conflict, decided
by the preference; deleted here but changed there → restored):

* preference *Server*: the newer server edit stays on the server and becomes the local
  contact; our local edit is kept in the contact's history; the report names the
  conflict ("Version von Server übernommen") and the re-evaluation.
* preference *Contactbox*: the local edit is uploaded over the newer server edit (now
  with the re-read ETag), and the server's version is kept in the contact's history.
* in both: a contact deleted locally whose card was edited meanwhile comes back with the
  server's version instead of being deleted.

Against Radicale (sync-collection) and SabreDAV 1.8 (PROPFIND/ctag), through
`FaultProxy`'s request hook; the CLI runs in-process with `--json`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from app import cli, vcard
from app.store import contacts as cs
from app.store.db import close_database, open_database
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.servers.cards import simple_card
from tests.servers.conftest import sabredav_server  # noqa: F401
from tests.servers.dav_servers import DavServer

pytestmark = pytest.mark.servers


def card(uid: str, fn: str, tel: str) -> str:
    return simple_card(uid, fn, f"{uid}@example.de", tel=tel)


def phone(text: str) -> str:
    s = vcard.summarize(text)
    return s.phones[0] if s.phones else ""


@dataclass
class Setup:
    server: DavServer
    proxy: FaultProxy
    home: Path
    book_url: str
    name: str
    capsys: pytest.CaptureFixture[str]

    @property
    def db(self) -> Path:
        return self.home / "contactbox.sqlite3"

    def cli(self, *args: str) -> tuple[int, Any]:
        self.capsys.readouterr()
        try:
            code = cli.main(["--home", str(self.home), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            close_database()
        out = self.capsys.readouterr()
        return code, json.loads(out.out) if out.out.strip().startswith("{") else out.err

    def sync(self, option: str) -> tuple[int, Any]:
        return self.cli(
            "run", "Test", "--book", self.name, "--mode", "sync", "--option", option, "--json"
        )

    def server_phones(self) -> dict[str, str]:
        return {
            vcard.summarize(t).uid or "": phone(t)
            for t in self.server.list_cards(self.book_url).values()
        }

    def href_of(self, uid: str) -> str:
        for href, text in self.server.list_cards(self.book_url).items():
            if vcard.summarize(text).uid == uid:
                return href
        raise KeyError(uid)

    def local(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """(live UID -> phone, UID -> phones of the history versions)."""
        open_database(self.db)
        try:
            book = cs.get_book(self.name)
            live = {c.uid: phone(c.vcard) for c in cs.live_contacts(book)}
            from app.store.models import Contact, ContactVersion

            history: dict[str, list[str]] = {}
            for v in ContactVersion.select().join(Contact).where(Contact.book == book):
                history.setdefault(v.contact.uid, []).append(phone(v.vcard))
            return live, history
        finally:
            close_database()


@pytest.fixture(params=["radicale", "sabredav"])
def interfered_book(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Setup]:
    server: DavServer = request.getfixturevalue(f"{request.param}_server")
    with proxied_book(server, "Gleichzeitig", tmp_path, monkeypatch, capsys) as s:
        yield s


@contextmanager
def proxied_book(
    server: DavServer,
    prefix: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Setup]:
    """A fresh book named `prefix …` on `server`, the account "Test" behind a FaultProxy
    (no faults until the test sets its hooks)."""
    name = f"{prefix} {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    with FaultProxy(server.root_url) as proxy:
        s = Setup(server, proxy, tmp_path / "home", book_url, name, capsys)
        monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
        code, err = s.cli("account", "add", "Test", "--url", proxy.url, "--user", server.user)
        assert code == 0, err
        yield s


def edit_on_server_when_we_write(s: Setup, targets: dict[str, tuple[str, str]]) -> list[str]:
    """On our first write (PUT/DELETE) of each target card, another client edits it just
    before our request reaches the server. targets: file name -> (uid, new phone)."""
    done: list[str] = []

    def hook(entry: Logged, body: bytes) -> None:
        if entry.method not in ("PUT", "DELETE"):
            return
        filename = unquote(entry.path.rsplit("/", 1)[-1])
        if filename in targets and filename not in done:
            done.append(filename)
            uid, tel = targets[filename]
            s.server.put_card(s.book_url, filename, card(uid, f"Person {uid}", tel))

    s.proxy.on_request = hook
    return done


@pytest.mark.parametrize("prefer", ["server", "contactbox"])
def test_a_server_edit_during_our_run_is_not_overwritten_blindly(
    interfered_book: Setup, prefer: str
) -> None:
    s = interfered_book
    uids = [f"gl-{i:02d}" for i in range(6)]
    s.server.put_cards(
        s.book_url,
        {f"{u}.vcf": card(u, f"Person {u}", f"+49 30 10000{i}") for i, u in enumerate(uids)},
        display_name=s.name,
    )
    code, report = s.sync(prefer)
    assert code == 0, report
    assert report["totals"]["added_local"] == 6

    # Contactbox: gl-00 and gl-01 edited, gl-02 deleted, gl-03 edited (nobody interferes).
    open_database(s.db)
    try:
        book = cs.get_book(s.name)
        for uid, tel in (("gl-00", "+49 40 1"), ("gl-01", "+49 40 2"), ("gl-03", "+49 40 3")):
            contact = cs.find_live_by_uid(book, uid)
            assert contact is not None
            cs.update_contact(contact, card(uid, f"Person {uid}", tel))
        gone = cs.find_live_by_uid(book, "gl-02")
        assert gone is not None
        cs.delete_contact(gone)
    finally:
        close_database()

    # The other client edits gl-00, gl-01 and gl-02 after our listing, as we write them.
    files = {f"{u}.vcf": u for u in ("gl-00", "gl-01", "gl-02")}
    hrefs = {u: s.href_of(u) for u in files.values()}
    targets = {
        unquote(hrefs[u].rsplit("/", 1)[-1]): (u, f"+49 89 77{i}")
        for i, u in enumerate(files.values())
    }
    interfered = edit_on_server_when_we_write(s, targets)
    code, report = s.sync(prefer)
    s.proxy.on_request = None
    assert code == 0, report
    assert sorted(interfered) == sorted(targets), "the other client did not get its turn"

    # Our writes of exactly these cards met 412 (the precondition did its job) …
    answers = {
        (e.method, unquote(e.path.rsplit("/", 1)[-1])): e.status
        for e in s.proxy.log
        if e.method in ("PUT", "DELETE") and e.status == 412
    }
    assert {name for _, name in answers} == set(targets), answers

    server = s.server_phones()
    live, history = s.local()
    newer = {"gl-00": "+49 89 770", "gl-01": "+49 89 771", "gl-02": "+49 89 772"}
    mine = {"gl-00": "+49 40 1", "gl-01": "+49 40 2"}
    book = report["books"][0]
    # Deleted here, edited there: restored with the server's version (never deleted).
    assert server["gl-02"] == live["gl-02"] == newer["gl-02"]
    # Nobody else touched gl-03: our edit went up as planned.
    assert server["gl-03"] == live["gl-03"] == "+49 40 3"
    notes = " ".join(book["notes"])
    for uid in ("gl-00", "gl-01", "gl-02"):
        assert f"„Person {uid}“ wurde während des Abgleichs auf dem Server geändert" in notes
    winners = {c["uid"]: c["winner"] for c in book["conflict_notes"]}
    assert book["conflicts"] == 2
    if prefer == "server":
        # The newer server edit is not overwritten; our edit is in the history.
        for uid in mine:
            assert server[uid] == live[uid] == newer[uid]
            assert mine[uid] in history.get(uid, []), f"local edit of {uid} lost"
        assert winners == {"gl-00": "server", "gl-01": "server"}
        assert book["updated_local"] == 2 and book["updated_server"] == 1
    else:
        # Contactbox wins the conflict (SPEC §4): uploaded over the server edit, which
        # is kept in the history and named in the report.
        for uid in mine:
            assert server[uid] == live[uid] == mine[uid]
            assert newer[uid] in history.get(uid, []), f"server edit of {uid} lost"
        assert winners == {"gl-00": "contactbox", "gl-01": "contactbox"}
        assert book["updated_server"] == 3
    assert book["added_local"] == 1  # gl-02 restored
    assert book["deleted_server"] == 0

    # And the next run has nothing left to do.
    code, again = s.sync(prefer)
    assert code == 0, again
    t = again["totals"]
    assert not any(t[k] for k in ("added_local", "updated_local", "deleted_local",
                                  "added_server", "updated_server", "deleted_server",
                                  "conflicts")), t  # fmt: skip
