"""Every operation of SPEC §4 through the `contactbox-sync` CLI against real servers.

Each test runs against Radicale, Xandikos and Debian's SabreDAV 1.8 (no
sync-collection: the PROPFIND + ctag fallback path) on loopback, with a real SQLite
file and a real keyring backend.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app import vcard
from app.store import contacts as cs
from app.store.models import Appointment, ContactVersion, FollowUp, User, utcnow
from tests.servers.cards import simple_card
from tests.servers.cli_inprocess import cli_runner
from tests.servers.dav_servers import DavServer

vc = simple_card


@dataclass
class Env:
    server: DavServer
    home: Path
    book_url: str
    name: str  # the server book's display name == the local book's name
    run_cli: Callable[..., tuple[int, Any]]

    def put(self, filename: str, text: str) -> str:
        return self.server.put_card(self.book_url, filename, text)

    def server_cards(self) -> dict[str, str]:
        """UID -> text of every card on the server."""
        out = {}
        for text in self.server.list_cards(self.book_url).values():
            uid = vcard.summarize(text).uid
            assert uid is not None
            assert uid not in out, f"duplicate UID {uid} on the server"
            out[uid] = text
        return out

    def local(self) -> dict[str, str]:
        """UID -> text of every live local contact of the synced book."""
        book = cs.get_book(self.name)
        out = {}
        for c in cs.live_contacts(book):
            assert c.uid not in out, f"duplicate UID {c.uid} in Contactbox"
            out[c.uid] = c.vcard
        return out

    def sync(self, mode: str, option: str | None = None, *extra: str) -> dict[str, Any]:
        args = ["run", "Test", "--book", self.name, "--mode", mode, "--json", *extra]
        if option:
            args += ["--option", option]
        code, data = self.run_cli(*args)
        assert code in (0, 3, 4), data
        book: dict[str, Any] = data["books"][0]
        book["_exit"] = code
        book["_errors"] = data["errors"]
        return book

    def check(self, mode: str, option: str | None = None) -> dict[str, Any]:
        args = ["check", "Test", "--book", self.name, "--mode", mode, "--json"]
        if option:
            args += ["--option", option]
        code, data = self.run_cli(*args)
        assert code == 0, data
        book: dict[str, Any] = data["books"][0]
        return book


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Kontakte", dav_server, tmp_path, monkeypatch, capsys)


def fresh_book_env(
    prefix: str,
    server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    """A new server book "<prefix> <random>" and a Contactbox home bound to it (CLI)."""
    name = f"{prefix} {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    return cli_env(server, book_url, name, tmp_path, monkeypatch, capsys)


def cli_env(
    server: DavServer,
    book_url: str,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    login: DavServer | None = None,
) -> Env:
    """The CLI in-process with account "Test" of `login` (default: `server`'s user);
    `server` puts and lists the cards of `book_url` (named `name`) as another client."""
    home = tmp_path / "home"
    login = login or server

    run_cli = cli_runner(home, capsys)

    monkeypatch.setenv("CONTACTBOX_PASSWORD", login.password)
    code, out = run_cli("account", "add", "Test", "--url", login.root_url, "--user", login.user)
    assert code == 0, out
    return Env(server, home, book_url, name, run_cli)


def figures(book: dict[str, Any]) -> dict[str, int]:
    keys = (
        "added_local",
        "updated_local",
        "deleted_local",
        "added_server",
        "updated_server",
        "deleted_server",
        "conflicts",
        "skipped_deleted",
    )
    return {k: book[k] for k in keys if book[k]}


# ---------------------------------------------------------------- Einmalig importieren


def test_import_add_then_again_adds_only_new(env: Env) -> None:
    for i in range(5):
        env.put(f"c{i}.vcf", vc(f"uid-{i}", f"Person {i}", f"p{i}@example.de"))
    check = env.check("import", "add")
    assert check["server_count"] == 5 and check["added_local"] == 5
    assert env.name not in cs.list_books()  # the check wrote nothing, not even the book

    first = env.sync("import", "add")
    assert figures(first) == {"added_local": 5}
    assert first["server_count"] == 5 and first["local_count"] == 5
    assert set(env.local()) == {f"uid-{i}" for i in range(5)}

    env.put("c9.vcf", vc("uid-9", "Neu Person", "neu@example.de"))
    env.put("c0.vcf", vc("uid-0", "Person 0 geändert", "p0@example.de"))
    second = env.sync("import", "add")
    assert figures(second) == {"added_local": 1}
    assert "Person 0 geändert" not in env.local()["uid-0"]  # Ergänzen: existing untouched


def test_import_update_overwrites_only_what_the_server_changed(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de"))
    env.put("b.vcf", vc("uid-b", "Bernd Alt", "bernd@example.de"))
    assert figures(env.sync("import", "update")) == {"added_local": 2}

    env.run_cli("contacts", "edit", "uid-b", "--book", env.name, "--org", "Lokal GmbH")
    env.put("a.vcf", vc("uid-a", "Anna Neu", "anna@example.de"))
    out = env.sync("import", "update")
    assert figures(out) == {"updated_local": 1}
    local = env.local()
    assert "FN:Anna Neu" in local["uid-a"]
    assert "Lokal GmbH" in local["uid-b"]  # the local edit stays: server card unchanged


def test_import_recreate_wipes_reimports_and_reattaches(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Termin", "anna@example.de"))
    env.put("b.vcf", vc("uid-b", "Bernd Wieder", "bernd@example.de"))
    env.sync("import", "add")
    book = cs.get_book(env.name)
    env.run_cli("contacts", "add", "--book", env.name, "--fn", "Nur Lokal")
    user = User.get(User.is_default)
    a = cs.find_live_by_uid(book, "uid-a")
    b = cs.find_live_by_uid(book, "uid-b")
    assert a is not None and b is not None
    Appointment.create(
        user=user,
        contact=a,
        contact_uid="uid-a",
        contact_key=cs.match_key(a.fn, a.email),
        summary="Besprechung",
        start=utcnow(),
    )
    FollowUp.create(
        user=user,
        contact=b,
        contact_uid="uid-b",
        contact_key=cs.match_key(b.fn, b.email),
        title="Anrufen",
    )

    check = env.check("import", "recreate")
    assert check["deleted_local"] == 3 and check["added_local"] == 2
    assert len(env.local()) == 3  # nothing written by the check

    out = env.sync("import", "recreate")
    assert out["added_local"] == 2 and out["deleted_local"] == 3
    local = env.local()
    assert set(local) == {"uid-a", "uid-b"}
    new_a = cs.find_live_by_uid(book, "uid-a")
    new_b = cs.find_live_by_uid(book, "uid-b")
    assert new_a is not None and new_b is not None and new_a.id != a.id
    assert Appointment.get().contact_id == new_a.id
    assert FollowUp.get().contact_id == new_b.id
    trashed = {r.fn for r in cs.list_contacts(book, trash=True)}
    assert "Nur Lokal" in trashed  # wiped contacts are in the trash, not gone
    # The binding continues as Aktualisieren: a second run does not wipe again.
    again = env.sync("import", None)
    assert again["deleted_local"] == 0


def test_deleted_stays_deleted_on_reimport(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Weg", "anna@example.de"))
    env.put("b.vcf", vc("uid-b", "Bernd Bleibt", "bernd@example.de"))
    env.sync("import", "add")
    code, _ = env.run_cli("contacts", "delete", "uid-a", "--book", env.name)
    assert code == 0
    for option in ("add", "update"):
        out = env.sync("import", option)
        assert figures(out) == {"skipped_deleted": 1}, option
    assert set(env.local()) == {"uid-b"}
    # Restoring from the trash is the way back.
    env.run_cli("contacts", "restore", "uid-a", "--book", env.name)
    assert set(env.local()) == {"uid-a", "uid-b"}


# ---------------------------------------------------------------- OneWay


def test_oneway_uploads_overwrites_deletes_and_leaves_server_only_cards(env: Env) -> None:
    env.put("fremd.vcf", vc("uid-fremd", "Nur Server", "srv@example.de"))
    book = cs.ensure_book(env.name)
    for i in range(3):
        cs.add_contact(book, vc(f"loc-{i}", f"Lokal {i}", f"l{i}@example.de"))
    out = env.sync("oneway")
    assert figures(out) == {"added_server": 3}
    assert out["server_only"] == 1
    cards = env.server_cards()
    assert set(cards) == {"loc-0", "loc-1", "loc-2", "uid-fremd"}

    # A server edit to a synced card is overwritten by Contactbox's version.
    href = next(h for h, t in env.server.list_cards(env.book_url).items() if "loc-0" in t)
    env.server.put_card(
        env.book_url, href.rsplit("/", 1)[-1], vc("loc-0", "Server Edit", "l0@example.de")
    )
    # A server deletion of a synced card: uploaded again.
    href1 = next(h for h, t in env.server.list_cards(env.book_url).items() if "loc-1" in t)
    env.server.delete_card(env.server.url(href1))
    # A local deletion: deleted on the server.
    env.run_cli("contacts", "delete", "loc-2", "--book", env.name)
    out = env.sync("oneway")
    assert figures(out) == {"updated_server": 1, "added_server": 1, "deleted_server": 1}
    cards = env.server_cards()
    assert set(cards) == {"loc-0", "loc-1", "uid-fremd"}
    assert "Lokal 0" in cards["loc-0"]
    assert "uid-fremd" not in env.local()  # server changes are not imported


# ---------------------------------------------------------------- Synchronisation


def test_sync_two_way_both_directions(env: Env) -> None:
    env.put("s1.vcf", vc("srv-1", "Server Eins", "s1@example.de"))
    env.put("s2.vcf", vc("srv-2", "Server Zwei", "s2@example.de"))
    book = cs.ensure_book(env.name)
    cs.add_contact(book, vc("loc-1", "Lokal Eins", "l1@example.de"))
    out = env.sync("sync", "server")
    assert figures(out) == {"added_local": 2, "added_server": 1}
    assert set(env.local()) == set(env.server_cards()) == {"srv-1", "srv-2", "loc-1"}

    # No change: nothing to do.
    out = env.sync("sync", "server")
    assert figures(out) == {}

    # A change on each side travels to the other.
    env.put("s1.vcf", vc("srv-1", "Server Eins", "s1@example.de", tel="+49 30 111"))
    env.run_cli("contacts", "edit", "loc-1", "--book", env.name, "--phone", "+49 40 222")
    out = env.sync("sync", "server")
    assert figures(out) == {"updated_local": 1, "updated_server": 1}
    assert "+49 30 111" in env.local()["srv-1"]
    assert "+49 40 222" in env.server_cards()["loc-1"]

    # Deletions both ways: a deletion on the server goes to the local trash.
    href = next(h for h, t in env.server.list_cards(env.book_url).items() if "srv-2" in t)
    env.server.delete_card(env.server.url(href))
    env.run_cli("contacts", "delete", "loc-1", "--book", env.name)
    out = env.sync("sync", "server", "--allow-mass-delete")
    assert figures(out) == {"deleted_local": 1, "deleted_server": 1}
    assert set(env.local()) == set(env.server_cards()) == {"srv-1"}
    assert "Server Zwei" in {r.fn for r in cs.list_contacts(book, trash=True)}


@pytest.mark.parametrize("preference", ["server", "contactbox"])
def test_sync_conflict_follows_preference_and_keeps_loser(env: Env, preference: str) -> None:
    # Both sides change the same phone number: the preference decides that line (the
    # rest of both versions is merged, issue 22); the losing version is in the history.
    env.put("k.vcf", vc("uid-k", "Konflikt Karl", "karl@example.de", tel="+49 0 BASIS"))
    env.sync("sync", preference)
    env.put("k.vcf", vc("uid-k", "Konflikt Karl", "karl@example.de", tel="+49 1 SERVER"))
    env.run_cli("contacts", "edit", "uid-k", "--book", env.name, "--phone", "+49 2 LOKAL")
    check = env.check("sync", preference)
    assert check["conflicts"] == 1 and check["merged"] == 1
    out = env.sync("sync", preference)
    assert out["conflicts"] == 1 and out["merged"] == 1
    assert out["conflict_notes"][0]["winner"] == preference
    assert out["conflict_notes"][0]["fields"] == ["Telefon"]
    local, server = env.local()["uid-k"], env.server_cards()["uid-k"]
    winner = "SERVER" if preference == "server" else "LOKAL"
    loser = "LOKAL" if preference == "server" else "SERVER"
    assert winner in local and winner in server
    c = cs.find_live_by_uid(cs.get_book(env.name), "uid-k")
    assert c is not None
    kept = [v.vcard for v in ContactVersion.select().where(ContactVersion.contact == c)]
    assert any(loser in v for v in kept), "the losing version must be in the history"


def test_sync_recreate_then_continues_two_way(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna", "anna@example.de"))
    book = cs.ensure_book(env.name)
    cs.add_contact(book, vc("old", "Alt Lokal", "alt@example.de"))
    out = env.sync("sync", "recreate")
    assert out["deleted_local"] == 1 and out["added_local"] == 1 and out["added_server"] == 0
    assert set(env.local()) == {"uid-a"}
    cs.add_contact(book, vc("neu", "Neu Lokal", "neu@example.de"))
    out = env.sync("sync", None)  # continues with the saved mode: two-way, server preferred
    assert figures(out) == {"added_server": 1}
    assert set(env.server_cards()) == {"uid-a", "neu"}


def test_first_sync_matches_existing_contacts_never_duplicates(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Gleich", "anna@example.de"))
    env.put("b.vcf", vc("server-b", "Bernd Name", "bernd@example.de"))
    book = cs.ensure_book(env.name)
    cs.add_contact(book, vc("uid-a", "Anna Gleich", "anna@example.de"))  # same UID
    cs.add_contact(book, vc("local-b", "Bernd Name", "Bernd@Example.de"))  # same name+mail
    out = env.sync("sync", "server")
    assert out["added_local"] == 0 and out["added_server"] == 0
    assert set(env.local()) == set(env.server_cards()) == {"uid-a", "server-b"}


def test_mass_deletion_guard_holds_back_until_confirmed(env: Env) -> None:
    for i in range(4):
        env.put(f"m{i}.vcf", vc(f"m-{i}", f"Masse {i}", f"m{i}@example.de"))
    env.sync("sync", "server")
    for href in env.server.list_cards(env.book_url):
        env.server.delete_card(env.server.url(href))
    out = env.sync("sync", "server")
    assert out["_exit"] == 4 and out["guarded"] == ["server"] and out["held_back"] == 4
    assert len(env.local()) == 4  # nothing deleted without a yes
    out = env.sync("sync", "server", "--allow-mass-delete")
    assert out["deleted_local"] == 4
    assert env.local() == {}


# ---------------------------------------------------------------- failures


def test_wrong_password_fails_clearly_and_writes_nothing(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna", "anna@example.de"))
    from app import secrets
    from app.accounts import get_account

    secrets.set_password(get_account("Test").id, "Wrong-Secret-917")
    code, err = env.run_cli("run", "Test", "--book", env.name, "--mode", "import")
    assert code == 1
    assert "Benutzername oder Passwort" in str(err)
    assert "Wrong-Secret-917" not in str(err)
    assert env.name not in cs.list_books() or env.local() == {}


def test_server_edit_during_run_is_not_overwritten(env: Env) -> None:
    """A 412 in the middle of a run: the card is re-read and re-planned, never clobbered."""
    env.put("r.vcf", vc("uid-r", "Rennen Rita", "rita@example.de"))
    env.sync("sync", "server")
    env.run_cli("contacts", "edit", "uid-r", "--book", env.name, "--phone", "+49 LOKAL")

    from app.accounts import get_account
    from app.sync.execute import Progress
    from app.sync.jobs import AccountJob, find_binding

    account = get_account("Test")
    binding = find_binding(account, urlsplit(env.book_url).path)
    assert binding is not None
    edited = []

    def on_progress(p: Progress) -> None:
        # Right before our upload, another client changes the card on the server.
        if p.phase == "apply" and p.current and not edited:
            edited.append(
                env.put("r.vcf", vc("uid-r", "Rennen Rita", "rita@example.de", tel="+49 SERVER"))
            )

    report = AccountJob(account, [binding]).run(on_progress=on_progress)
    assert edited
    book = report.books[0]
    assert not book.errors, book.errors
    # Both sides changed: the Server preference keeps the server's edit.
    assert "+49 SERVER" in env.server_cards()["uid-r"]
    assert "+49 SERVER" in env.local()["uid-r"]
    assert any("neu bewertet" in n for n in book.notes)


def test_card_with_photo_round_trips(env: Env) -> None:
    import base64

    photo = base64.b64encode(bytes(range(256)) * 80).decode()
    lines = [photo[i : i + 74] for i in range(0, len(photo), 74)]
    extra = "PHOTO;ENCODING=b;TYPE=JPEG:" + "\r\n ".join(lines)
    env.put("p.vcf", vc("uid-p", "Foto Frieda", "frieda@example.de", extra=extra))
    env.sync("sync", "server")
    local = env.local()["uid-p"]
    assert photo in local.replace("\r\n ", "").replace("\n ", "")
    env.run_cli("contacts", "edit", "uid-p", "--book", env.name, "--phone", "+49 FOTO")
    out = env.sync("sync", "server")
    assert figures(out) == {"updated_server": 1}
    server = env.server_cards()["uid-p"]
    assert photo in server.replace("\r\n ", "").replace("\n ", "")
    assert "+49 FOTO" in server


@pytest.mark.slow
def test_thousand_card_book_imports_once_and_resyncs_cheaply(env: Env) -> None:
    env.server.put_cards(
        env.book_url,
        {
            f"bulk{i}.vcf": vc(
                f"bulk-{i}", f"Massen Kontakt {i}", f"b{i}@example.de", tel=f"+49 30 {i:06d}"
            )
            for i in range(1000)
        },
        display_name=env.name,
    )
    out = env.sync("sync", "server")
    assert out["added_local"] == 1000 and not out["_errors"]
    assert len(env.local()) == 1000
    again = env.sync("sync", "server")
    assert figures(again) == {}
    assert again["unchanged"] or again["server_count"] == 1000


# ---------------------------------------------------------------- cancel, reports, secrets


def test_cancel_between_items_then_rerun_converges(env: Env) -> None:
    for i in range(30):
        env.put(f"c{i}.vcf", vc(f"can-{i}", f"Abbruch {i}", f"a{i}@example.de"))
    from app.accounts import get_account, open_session, server_books
    from app.sync.execute import Progress
    from app.sync.jobs import AccountJob, bind_book, find_book
    from app.sync.modes import Mode

    account = get_account("Test")
    with open_session(account) as session:
        remote = find_book(server_books(session), env.name)
    binding = bind_book(account, remote, Mode.parse("sync", "server"))
    applied: list[int] = []

    def on_progress(p: Progress) -> None:
        if p.phase == "apply":
            applied.append(p.done)

    report = AccountJob(account, [binding]).run(
        on_progress=on_progress, cancelled=lambda: len(applied) > 10
    )
    assert report.status == "cancelled"
    partial = env.local()
    assert 0 < len(partial) < 30  # stopped cleanly between contacts
    out = env.sync("sync", "server")
    assert out["added_local"] == 30 - len(partial)
    assert set(env.local()) == set(env.server_cards())


def test_reports_are_kept_and_password_is_nowhere_on_disk(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Bericht", "anna@example.de"))
    env.sync("import", "add")
    env.sync("sync", "server")
    code, rows = env.run_cli("reports", "Test", "--json")
    assert code == 0
    assert [r["kind"] for r in rows] == ["run", "run"]
    assert rows[-1]["books"][0]["added_local"] == 1
    code, text = env.run_cli("reports", "--id", str(rows[-1]["id"]))
    assert code == 0 and "Importbericht" in str(text) and "Neu in Contactbox: 1" in str(text)
    secret = env.server.password.encode()
    for path in env.home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), f"password found in {path}"


def test_outlook_21_card_is_converted_on_upload_and_stays_unchanged_locally(env: Env) -> None:
    card21 = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:"
        "M=FCller;J=FCrgen\r\n"
        "FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller\r\n"
        "TEL;WORK;VOICE:+49 30 123456\r\nEMAIL;PREF;INTERNET:juergen@example.de\r\n"
        "UID:outlook-21-juergen\r\nEND:VCARD\r\n"
    ).encode("cp1252")
    f = env.home.parent / "outlook.vcf"
    f.write_bytes(card21)
    book = cs.ensure_book(env.name)
    code, out = env.run_cli("contacts", "import", "--book", book.name, "--file", str(f))
    assert code == 0, out
    local_before = env.local()["outlook-21-juergen"]
    out = env.sync("oneway")
    assert figures(out) == {"added_server": 1}, out["_errors"]
    server = env.server_cards()["outlook-21-juergen"]
    assert "VERSION:2.1" not in server
    assert "Jürgen Müller" in server
    assert env.local()["outlook-21-juergen"] == local_before  # the local card is untouched
    assert figures(env.sync("oneway")) == {}  # and nothing looks changed afterwards


def test_rebinding_to_another_local_book_starts_afresh_and_deletes_nothing(env: Env) -> None:
    for i in range(3):
        env.put(f"r{i}.vcf", vc(f"re-{i}", f"Umzug {i}", f"u{i}@example.de"))
    env.sync("sync", "server")
    other = cs.ensure_book("Anderes Buch")
    cs.add_contact(other, vc("re-0", "Umzug 0", "u0@example.de"))  # one already there
    code, data = env.run_cli(
        "run",
        "Test",
        "--book",
        env.name,
        "--mode",
        "sync",
        "--option",
        "server",
        "--local-book",
        "Anderes Buch",
        "--json",
    )
    assert code == 0, data
    book = data["books"][0]
    assert book["deleted_server"] == 0 and book["added_local"] == 2
    assert len(env.server_cards()) == 3
    assert {c.uid for c in cs.live_contacts(other)} == {"re-0", "re-1", "re-2"}


def test_run_stopped_after_a_server_write_lists_in_full_next_time(env: Env) -> None:
    """RFC 6578 lets a delta omit a card created and deleted since the token: a run that
    wrote to the server and then stopped must not leave the old token behind."""
    env.put("s.vcf", vc("srv-s", "Server Sigrid", "s@example.de"))
    env.sync("sync", "server")
    from app.accounts import get_account
    from app.store.models import Binding
    from app.sync.execute import Progress
    from app.sync.jobs import AccountJob, find_binding

    account = get_account("Test")
    binding = find_binding(account, urlsplit(env.book_url).path)
    assert binding is not None
    had_token = binding.sync_token is not None
    book = cs.get_book(env.name)
    for i in range(5):
        cs.add_contact(book, vc(f"up-{i}", f"Hoch {i}", f"h{i}@example.de"))
    steps: list[Progress] = []
    report = AccountJob(account, [binding]).run(
        on_progress=steps.append,
        cancelled=lambda: sum(1 for p in steps if p.phase == "apply") > 2,
    )
    assert report.status == "cancelled"
    assert 0 < len(env.server_cards()) - 1 < 5  # some uploads happened
    saved = Binding.get_by_id(binding.id)
    assert saved.sync_token is None or not had_token
    out = env.sync("sync", "server")
    assert set(env.local()) == set(env.server_cards())
    assert out["added_local"] == 0


@pytest.mark.parametrize("part", [500, 1], ids=["one-part", "parts-of-1"])
@pytest.mark.parametrize("server_name", ["xandikos", "sabredav"])  # Radicale refuses them
def test_two_server_cards_with_one_uid_are_named_in_the_report(
    server_name: str,
    part: int,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A copied card keeps its UID (some clients do that): one is imported, the other
    left alone — never a duplicate — and the report names it so it can be removed. Also
    when the first import into the empty book takes them in separate parts (streaming)."""
    from app.sync import streaming

    monkeypatch.setattr(streaming, "STREAM_PART", part)
    server: DavServer = request.getfixturevalue(f"{server_name}_server")
    name = f"Doppelt {uuid.uuid4().hex[:6]}"
    env = cli_env(server, server.make_book(display_name=name), name, tmp_path, monkeypatch, capsys)
    env.put("erst.vcf", vc("gleich", "Anna Erst", "anna@example.de"))
    env.put("kopie.vcf", vc("gleich", "Anna Kopie", "anna@example.de"))
    out = env.sync("sync", "server")
    assert out["_exit"] == 0 and out["added_local"] == 1 and out["server_only"] == 1
    note = next(n for n in out["notes"] if "UID auf dem Server schon vergeben" in n)
    assert note.startswith("Nicht übernommen, weil ihre UID")
    imported = "Anna Erst" if "Anna Erst" in env.local()["gleich"] else "Anna Kopie"
    left = "Anna Kopie" if imported == "Anna Erst" else "Anna Erst"
    assert f"„{left}“" in note and imported not in note
    again = env.sync("sync", "server")
    assert figures(again) == {} and len(env.local()) == 1
