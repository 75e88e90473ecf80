"""Address books the server lets the user only read (RFC 3744 current-user-privilege-set).

A real Radicale with a rights file: the user "alice" may only read her books named
"nur-lesen-…" (as a shared company directory in Nextcloud, Kerio or SOGo), which another
login ("verwalter") fills. Local changes in such a book stay in Contactbox — no item
errors, no 403s run after run — and a note says why; the server's changes still arrive.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.dav.carddav import CardDavClient
from app.dav.discovery import discover_books
from app.dav.session import DavSession
from app.store import contacts as cs
from app.store.models import Binding, ContactVersion
from tests.servers.cards import simple_card as vc
from tests.servers.dav_servers import DavServer, start_radicale
from tests.servers.test_sync_engine import Env, cli_env, figures

FILLER = "verwalter"
FILLER_PASSWORD = "fuellt-42"
# First matching rule wins. "r"/"w": read/write address books; "R"/"W": other collections.
RIGHTS = f"""
[filler]
user: {FILLER}
collection: .*
permissions: RrWw

[read-only books]
user: .+
collection: {{user}}/nur-lesen[^/]*
permissions: r

[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {{user}}
permissions: RW

[own books]
user: .+
collection: {{user}}/[^/]+
permissions: rw
"""

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavServer]:
    folder = tmp_path_factory.mktemp("radicale-rights")
    with start_radicale(folder, rights=RIGHTS, more_users={FILLER: FILLER_PASSWORD}) as s:
        yield s


def _filler(server: DavServer) -> DavServer:
    """The same server as the login that fills alice's read-only books."""
    return replace(server, user=FILLER, password=FILLER_PASSWORD)


def _env(
    server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    read_only: bool = True,
) -> Env:
    filler = _filler(server)
    name = f"Firmenkontakte {uuid.uuid4().hex[:6]}"
    folder = f"{'nur-lesen' if read_only else 'eigen'}-{uuid.uuid4().hex[:8]}"
    book_url = filler.make_book(folder, display_name=name)
    return cli_env(filler, book_url, name, tmp_path, monkeypatch, capsys, login=server)


@pytest.fixture
def ro_env(
    server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    """The CLI with alice's account, and a new book she may only read."""
    return _env(server, tmp_path, monkeypatch, capsys)


def _cards(env: Env, n: int = 3) -> None:
    for i in range(n):
        env.put(f"f{i}.vcf", vc(f"firma-{i}", f"Firma Person{i}", f"p{i}@example.de"))


def test_discovery_tells_read_only_books(
    server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ro = _env(server, tmp_path / "a", monkeypatch, capsys)
    rw = _env(server, tmp_path / "b", monkeypatch, capsys, read_only=False)
    session = DavSession(server.root_url, server.user, server.password)
    try:
        books = {b.display_name: b for b in discover_books(session)}
        assert books[ro.name].read_only is True
        assert books[rw.name].read_only is False
        client = CardDavClient(session)
        assert client.read_only(ro.book_url) is True
        assert client.read_only(rw.book_url) is False
    finally:
        session.close()
    # The command line's book list says so too.
    code, data = ro.run_cli("books", "Test", "--json")
    assert code == 0, data
    listed = {b["name"]: b for b in data}
    assert listed[ro.name]["read_only"] is True
    assert listed[rw.name]["read_only"] is False


def test_local_changes_stay_local_and_server_changes_arrive(ro_env: Env) -> None:
    env = ro_env
    _cards(env)
    first = env.sync("sync", "contactbox")
    assert figures(first) == {"added_local": 3}
    binding = Binding.get(Binding.remote_name == env.name)
    assert binding.read_only is True

    # Alice edits one, deletes one and adds one in Contactbox.
    book = cs.get_book(env.name)
    env.run_cli("contacts", "edit", "firma-0", "--book", env.name, "--phone", "+49 30 LOKAL")
    env.run_cli("contacts", "delete", "firma-1", "--book", env.name)
    cs.add_contact(book, vc("neu-lokal", "Neu Lokal", "neu@example.de"))
    before = env.server_cards()

    check = env.check("sync", "contactbox")
    assert figures(check) == {} and check["kept_local"] == 3
    assert any("schreibgeschützt" in n for n in check["notes"])

    out = env.sync("sync", "contactbox")
    assert out["_exit"] == 0 and out["errors"] == [] and out["_errors"] == []
    assert figures(out) == {}
    assert out["kept_local"] == 3
    note = next(n for n in out["notes"] if "schreibgeschützt" in n)
    assert note.startswith("3 Änderungen aus Contactbox wurden nicht übertragen")
    assert env.server_cards() == before  # nothing was written (nor tried: see the binding)
    local = env.local()
    assert "LOKAL" in local["firma-0"] and "neu-lokal" in local and "firma-1" not in local

    # The server's changes still arrive; a conflict goes to the server's version even
    # with the preference "Contactbox" (it cannot go up), the local one into the history.
    env.put("f0.vcf", vc("firma-0", "Firma Person0", "p0@example.de", tel="+49 30 SERVER"))
    env.put("f2.vcf", vc("firma-2", "Firma Person2", "neu2@example.de"))
    out = env.sync("sync", "contactbox")
    assert out["_exit"] == 0 and out["errors"] == []
    assert figures(out) == {"updated_local": 2, "conflicts": 1}
    assert out["conflict_notes"][0]["winner"] == "server"
    assert out["kept_local"] == 2  # the deletion and the new contact
    local = env.local()
    assert "SERVER" in local["firma-0"] and "neu2@example.de" in local["firma-2"]
    contact = cs.find_live_by_uid(book, "firma-0")
    assert contact is not None
    history = [v.vcard for v in ContactVersion.select().where(ContactVersion.contact == contact)]
    assert any("LOKAL" in v for v in history), "the local version must be in the history"
    assert set(env.server_cards()) == {"firma-0", "firma-1", "firma-2"}


def test_a_refused_write_teaches_that_the_book_is_read_only(ro_env: Env) -> None:
    """Bound while it was writable (or by a server that did not say): the first 403 asks
    the server, and from then on nothing more is sent — one note, no item errors."""
    env = ro_env
    _cards(env, 2)
    env.sync("sync", "contactbox")
    Binding.update(read_only=False).where(Binding.remote_name == env.name).execute()
    book = cs.get_book(env.name)
    for i in range(3):
        cs.add_contact(book, vc(f"neu-{i}", f"Neu Lokal{i}", f"n{i}@example.de"))

    out = env.sync("sync", "contactbox")
    assert out["_exit"] == 0 and out["errors"] == [], out
    assert out["added_server"] == 0 and out["kept_local"] == 3
    assert Binding.get(Binding.remote_name == env.name).read_only is True
    assert set(env.server_cards()) == {"firma-0", "firma-1"}


def test_oneway_to_a_read_only_book_sends_nothing_and_says_why(ro_env: Env) -> None:
    env = ro_env
    book = cs.ensure_book(env.name)
    for i in range(4):
        cs.add_contact(book, vc(f"lokal-{i}", f"Lokal Person{i}", f"l{i}@example.de"))
    out = env.sync("oneway")
    assert out["_exit"] == 0 and out["errors"] == []
    assert figures(out) == {} and out["kept_local"] == 4
    assert any("schreibgeschützt" in n for n in out["notes"])
    assert env.server_cards() == {}


def test_a_book_that_became_writable_sends_what_waited(
    server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Marked read-only, but the server now gives write rights: the run asks once, then
    uploads as usual and forgets the mark."""
    env = _env(server, tmp_path, monkeypatch, capsys, read_only=False)
    _cards(env, 1)
    env.sync("sync", "server")
    Binding.update(read_only=True).where(Binding.remote_name == env.name).execute()
    cs.add_contact(cs.get_book(env.name), vc("wartet", "Wartet Lokal", "w@example.de"))
    out: dict[str, Any] = env.sync("sync", "server")
    assert figures(out) == {"added_server": 1} and out["kept_local"] == 0
    assert Binding.get(Binding.remote_name == env.name).read_only is False
    assert set(env.server_cards()) == {"firma-0", "wartet"}
