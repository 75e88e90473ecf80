"""Multiget read-ahead and the listing sent before the local reads, against real servers.

`CollectionClient._multiget` fetches the next batch on a helper thread while the caller works
through the current one; `CollectionSync._run` sends its listing request before it reads the
local side. Both must keep the rule that only one thread uses the HTTP session at a time, pass
errors on to the caller, and leave the session usable when the caller stops early.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.dav import xml
from app.dav.carddav import CardDavClient
from app.dav.discovery import probe_book
from app.dav.errors import NotFound
from app.dav.session import DavSession
from app.paths import database_path
from app.store.db import LIST_INDEXES
from app.sync import streaming
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.servers.cli_inprocess import cli_runner
from tests.servers.cli_process import REPO_ROOT, CliProcesses
from tests.servers.dav_servers import DavServer


def _client(server: DavServer) -> CardDavClient:
    return CardDavClient(DavSession(server.root_url, server.user, server.password))


def _vcard(i: int) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:pf-{i:03d}\r\nFN:Vorab {i:03d}\r\nN:{i:03d};Vorab;;;\r\n"
        "END:VCARD\r\n"
    )


def _book_with(server: DavServer, book_url: str, n: int) -> list[str]:
    """n cards in the book; their hrefs as the client reports them, sorted."""
    server.put_cards(book_url, {f"pf-{i:03d}.vcf": _vcard(i) for i in range(n)})
    return sorted(_client(server).list_etags(book_url).etags)


def _cli_with_account(
    home: Path, url: str, server: DavServer
) -> tuple[CliProcesses, dict[str, str]]:
    """`contactbox-sync` processes with one account "T" (not checked) at `url`; the env
    that gives them the password."""
    procs = CliProcesses(home, home.parent / "xdg")
    pw = {"CONTACTBOX_PASSWORD": server.password}
    added = procs.call(
        "account", "add", "T", "--url", url, "--user", server.user, "--no-check", extra_env=pw
    )
    assert added.returncode == 0, added.stderr
    return procs, pw


def _wait_for(condition: object, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_next_batch_is_requested_while_the_first_is_read(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    hrefs = _book_with(server, book_url, 12)
    client = _client(server)
    before = client.session.requests_made
    items = client.multiget(book_url, hrefs, batch_size=5)
    first = next(items)  # batch 1 delivered; batch 2 is fetched on the helper thread
    assert _wait_for(lambda: client.session.requests_made - before >= 2)
    rest = list(items)
    got = [first.href, *(c.href for c in rest)]
    assert sorted(got) == hrefs and len(got) == 12
    assert all(c.text.startswith("BEGIN:VCARD\r\n") for c in [first, *rest])
    assert client.session.requests_made - before == 3  # 5 + 5 + 2, none twice


def test_stopping_early_leaves_the_session_usable(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    hrefs = _book_with(server, book_url, 9)
    client = _client(server)
    items = client.multiget(book_url, hrefs, batch_size=3)
    next(items)
    items.close()  # type: ignore[attr-defined]  # waits for the request in flight
    made = client.session.requests_made
    assert made <= 2  # never more than one batch ahead
    card = client.get(hrefs[-1])
    assert card is not None and "UID:pf-008" in card.text
    assert client.session.requests_made == made + 1


def test_ctrl_c_in_the_caller_does_not_wait_for_the_batch_in_flight(
    radicale_server: DavServer,
) -> None:
    """Ctrl+C while the caller works through a batch (not while the generator runs): the
    caller's clean-up closes the iterator, which must not wait for the server either."""
    server = radicale_server
    book_url = server.make_book(display_name=f"Strg-C {uuid.uuid4().hex[:6]}")
    hrefs = _book_with(server, book_url, 6)
    arrived, release = threading.Event(), threading.Event()
    released_by_timer: list[bool] = []
    multigets: list[int] = []

    def hold(entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"addressbook-multiget" in body:
            multigets.append(entry.n)
            if len(multigets) == 2:
                arrived.set()
                release.wait(120)

    def let_go() -> None:
        released_by_timer.append(not release.is_set())
        release.set()

    with FaultProxy(server.root_url, on_request=hold) as proxy:
        url = proxy.url.rstrip("/") + urlsplit(book_url).path
        client = CardDavClient(DavSession(url, server.user, server.password))
        items = client.multiget(url, hrefs, batch_size=3)
        next(items)  # the first batch is read; the second is in flight and held
        assert arrived.wait(30)
        timer = threading.Timer(15, let_go)
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                try:
                    raise KeyboardInterrupt  # as if Ctrl+C came while the caller ran
                finally:
                    items.close()  # type: ignore[attr-defined]
            assert not release.is_set(), "close() waited for the held request"
        finally:
            timer.cancel()
            release.set()
    assert not released_by_timer


def test_an_error_of_a_later_batch_reaches_the_caller(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    hrefs = _book_with(server, book_url, 6)
    client = _client(server)
    items = client.multiget(book_url, hrefs, batch_size=2)
    first = next(items)
    server.request("DELETE", book_url)  # the whole book goes while we read
    seen = [first]
    with pytest.raises(NotFound):
        for card in items:
            seen.append(card)
    # What was read before the book went is whole; nothing is made up afterwards.
    assert 1 <= len(seen) <= 4
    assert all(c.href in hrefs for c in seen)


def test_an_answer_without_etags_is_read_alone_once_the_session_is_free(
    radicale_server: DavServer,
) -> None:
    """A server whose multiget answer (the second of three) gives no ETags: those items are
    read one by one with GET — only after the read-ahead request has ended, never two
    requests at once on the one session."""
    server = radicale_server
    book_url = server.make_book(display_name=f"Ohne ETag {uuid.uuid4().hex[:6]}")
    hrefs = _book_with(server, book_url, 12)
    multigets: list[int] = []
    in_flight: list[int] = []
    overlaps: list[str] = []
    lock = threading.Lock()

    def strip_etags(method: str, path: str, status: int, data: bytes) -> bytes:
        if method == "REPORT" and len(multigets) == 2:
            return re.sub(rb"<[A-Za-z0-9]*:?getetag>[^<]*</[A-Za-z0-9]*:?getetag>", b"", data)
        return data

    def arrive(entry: Logged, body: bytes) -> None:
        with lock:
            if in_flight:
                overlaps.append(f"{entry.method} while {len(in_flight)} in flight")
            in_flight.append(entry.n)
        if entry.method == "REPORT" and b"addressbook-multiget" in body:
            multigets.append(entry.n)
            time.sleep(0.2)  # the read-ahead stays in flight while the batch before is read

    def answered(entry: Logged, status: int, body: bytes) -> None:
        with lock:
            in_flight.remove(entry.n)

    with FaultProxy(server.root_url, on_request=arrive) as proxy:
        proxy.on_answer = answered
        proxy.rewrite = strip_etags
        url = proxy.url.rstrip("/") + urlsplit(book_url).path
        client = CardDavClient(DavSession(url, server.user, server.password))
        got = list(client.multiget(url, hrefs, batch_size=5))
        gets = [e for e in proxy.log if e.method == "GET"]
    assert sorted(c.href for c in got) == sorted(urlsplit(h).path for h in hrefs)
    assert all(c.etag for c in got)  # the GETs brought the ETags
    assert len(multigets) == 3 and len(gets) == 5  # the second batch's five, one by one
    assert overlaps == []


def test_probe_book_is_one_request_without_ctag(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    path = xml.canonical_path(urlsplit(book_url).path)
    book = probe_book(client.session, path)
    assert client.session.requests_made == 1
    assert book is not None and xml.same_href(book.href, path)
    assert book.ctag is None and book.sync_token is None  # not asked: costly on big books
    assert book.supports_sync_collection == (server.name != "sabredav")
    assert book.vcard_versions or server.name != "radicale"  # Radicale lists 3.0 and 4.0
    # No book there: None, so that the caller runs the full discovery instead.
    assert probe_book(client.session, path + "gibt-es-nicht/") is None
    home = xml.canonical_path(urlsplit(server.home_url).path)
    assert probe_book(client.session, home) is None


@pytest.mark.parametrize("server_name", ["radicale", "sabredav"])
def test_run_by_path_finds_the_book_with_one_request(
    server_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """`run --book /path/` of a book not bound yet: one Depth-0 PROPFIND, no discovery walk;
    a display name still goes through discovery, and both end with the same contacts."""
    server: DavServer = request.getfixturevalue(f"{server_name}_server")
    name = f"Pfad {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_cards(book_url, {f"pf-{i:03d}.vcf": _vcard(i) for i in range(30)}, display_name=name)
    path = xml.canonical_path(urlsplit(book_url).path)
    with FaultProxy(server.root_url) as proxy:
        procs, pw = _cli_with_account(tmp_path / "home", proxy.url, server)
        proxy.reset_log()
        run = procs.call("run", "T", "--book", path, "--mode", "sync", "--json", extra_env=pw)
        assert run.returncode == 0, run.stdout + run.stderr
        report = json.loads(run.stdout[run.stdout.index("{") :])
        assert report["books"][0]["added_local"] == 30
        propfinds = [e for e in proxy.log if e.method == "PROPFIND"]
        first = proxy.log[0]
        assert (first.method, xml.canonical_path(first.path)) == ("PROPFIND", path)
        # SabreDAV (no sync-collection) lists the book by PROPFIND and asks its ctag.
        assert len(propfinds) == (1 if server_name == "radicale" else 3)
        assert all(xml.same_href(e.path, path) for e in propfinds)

        # By display name: discovery walks to the home (more requests), same book.
        procs2, pw = _cli_with_account(tmp_path / "home2", proxy.url, server)
        proxy.reset_log()
        run = procs2.call("run", "T", "--book", name, "--mode", "sync", "--json", extra_env=pw)
        assert run.returncode == 0, run.stdout + run.stderr
        assert json.loads(run.stdout[run.stdout.index("{") :])["books"][0]["added_local"] == 30
        assert any(not xml.same_href(e.path, path) for e in proxy.log if e.method == "PROPFIND")

        # A path that is no book: discovery names the books there are.
        run = procs.call("run", "T", "--book", path + "nix/", "--mode", "sync", extra_env=pw)
        assert run.returncode != 0
        assert "gibt es auf dem Server nicht" in run.stdout + run.stderr


@pytest.mark.parametrize("held", ["sync-collection", "second multiget"])
def test_ctrl_c_ends_the_run_without_waiting_for_the_request_in_flight(
    held: str, radicale_server: DavServer, tmp_path: Path
) -> None:
    """Ctrl+C while a helper thread waits for the server: the command ends at once with
    "Abgebrochen." (exit code 130), nothing half-imported, and the next run completes."""
    server = radicale_server
    name = f"Strg-C {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    cards = {f"pf-{i:03d}.vcf": _vcard(i) for i in range(600)}
    server.put_cards(book_url, cards, display_name=name)
    path = xml.canonical_path(urlsplit(book_url).path)
    arrived, release = threading.Event(), threading.Event()
    multigets: list[int] = []

    def hold(entry: Logged, body: bytes) -> None:
        if entry.method != "REPORT":
            return
        if b"addressbook-multiget" in body:
            multigets.append(entry.n)
            if held == "second multiget" and len(multigets) == 2:
                arrived.set()
                release.wait(120)
        elif b"sync-collection" in body and held == "sync-collection" and not arrived.is_set():
            arrived.set()
            release.wait(120)

    with FaultProxy(server.root_url, on_request=hold) as proxy:
        procs, pw = _cli_with_account(tmp_path / "home", proxy.url, server)
        args = ("run", "T", "--book", path, "--mode", "sync")
        proc = subprocess.Popen(
            procs.argv(*args), cwd=REPO_ROOT, env={**procs.env, **pw},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert arrived.wait(60), "the held request never came"
            proc.send_signal(signal.SIGINT)
            # Ends while the server still holds the request (released only afterwards).
            out, err = proc.communicate(timeout=30)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == 130, out + err
        assert "Abgebrochen." in out + err
        assert "Traceback" not in err

        again = procs.call(*args, "--json", extra_env=pw)
        assert again.returncode == 0, again.stdout + again.stderr
        report = json.loads(again.stdout[again.stdout.index("{") :])
        assert report["books"][0]["server_count"] == 600
        assert report["books"][0]["local_count"] == 600


def _book_of_1200(server: DavServer) -> str:
    """A new book of 1,200 cards (three multiget batches); its path."""
    book_url = server.make_book(display_name=f"Strom {uuid.uuid4().hex[:6]}")
    server.put_cards(book_url, {f"pf-{i:04d}.vcf": _vcard(i) for i in range(1200)})
    return xml.canonical_path(urlsplit(book_url).path)


def _query(home: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows of `sql` in the CLI's database under `home` (a second reader, as the GUI)."""
    con = sqlite3.connect(database_path(home))
    try:
        return list(con.execute(sql))
    finally:
        con.close()


LIST_INDEX_NAMES = sorted(f"contact_list_{name}" for name, _column in LIST_INDEXES)


def _list_indexes(home: Path) -> list[str]:
    sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'contact_list_%'"
    return sorted(str(r[0]) for r in _query(home, sql))


def test_first_import_stores_each_part_while_the_server_prepares_the_next(
    radicale_server: DavServer, tmp_path: Path
) -> None:
    """The first run into an empty book imports each multiget batch as it arrives (the
    next one is fetched meanwhile), instead of everything after the last answer: when the
    third batch is asked for, the first one is already in the database."""
    server = radicale_server
    path = _book_of_1200(server)
    home = tmp_path / "home"
    stored: list[int] = []

    def count_when_asked(entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"addressbook-multiget" in body:
            stored.append(_query(home, "SELECT count(*) FROM contact")[0][0])

    with FaultProxy(server.root_url, on_request=count_when_asked) as proxy:
        procs, pw = _cli_with_account(home, proxy.url, server)
        run = procs.call("run", "T", "--book", path, "--mode", "sync", "--json", extra_env=pw)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout[run.stdout.index("{") :])
    assert report["books"][0]["added_local"] == 1200 and report["errors"] == []
    # batches of 500, the last one split (100, 50, 50); the first part is stored before
    # the third batch is asked for, the second before the fourth
    assert stored == [0, 0, 500, 1000, 1000]
    # The contact list's indexes, dropped for this very first import, are there again.
    assert _list_indexes(home) == LIST_INDEX_NAMES


def test_recreate_streams_like_the_first_import(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """ "Neu anlegen" of a synced book of 1,200 cards imports part by part like the first
    import: the old contacts stay live until the first part arrives (a listing or first
    batch that fails changes nothing), then go to the trash right before it is stored; each
    part is stored while the server prepares the next batch, and its texts are dropped, so
    the run never holds more than one part of card texts."""
    server = radicale_server
    path = _book_of_1200(server)
    home = tmp_path / "home"
    live: list[int] = []
    held: list[tuple[int, int]] = []  # (cards in the part, card texts held) at each part
    import_part = streaming.StreamingPart._import_part

    def spy(self: streaming.StreamingPart[object]) -> None:
        if self._part:
            held.append((len(self._part), len(self.fetched)))
        import_part(self)

    def live_when_asked(entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"addressbook-multiget" in body:
            sql = "SELECT count(*) FROM contact WHERE deleted_at IS NULL"
            live.append(int(str(_query(home, sql)[0][0])))

    monkeypatch.setattr(streaming.StreamingPart, "_import_part", spy)
    run_cli = cli_runner(home, capsys)
    monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
    with FaultProxy(server.root_url, on_request=live_when_asked) as proxy:
        code, out = run_cli("account", "add", "T", "--url", proxy.url, "--user", server.user)
        assert code == 0, out
        code, out = run_cli("run", "T", "--book", path, "--mode", "sync", "--json")
        assert code == 0 and out["books"][0]["added_local"] == 1200, out
        live.clear()
        held.clear()
        code, out = run_cli(
            "run", "T", "--book", path, "--mode", "sync", "--option", "recreate", "--json"
        )  # fmt: skip
    assert code == 0, out
    book = out["books"][0]
    assert (book["added_local"], book["deleted_local"], book["local_count"]) == (1200, 1200, 1200)
    assert out["errors"] == []
    # wiped and the first part stored before the third batch is asked for
    assert live[:3] == [1200, 1200, 500] and len(live) == 5
    assert [n for n, _texts in held] == [500, 500, 125, 75]  # the last 200 in quarter parts
    assert max(texts for _n, texts in held) <= 500  # the parts before were dropped
    trashed = "SELECT count(*) FROM contact WHERE deleted_at IS NOT NULL"
    assert _query(home, trashed) == [(1200,)]


def test_a_first_import_killed_between_parts_resumes_without_loss_or_duplicates(
    radicale_server: DavServer, tmp_path: Path
) -> None:
    """SIGKILL while the third batch is asked for (one part stored): the database is whole,
    and the next run imports the rest — every card once."""
    server = radicale_server
    path = _book_of_1200(server)
    home = tmp_path / "home"
    procs_box: list[subprocess.Popen[str]] = []
    multigets: list[int] = []

    def kill_at_third(entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"addressbook-multiget" in body:
            multigets.append(entry.n)
            if len(multigets) == 3 and procs_box:
                procs_box[0].kill()
                procs_box[0].wait()

    with FaultProxy(server.root_url, on_request=kill_at_third) as proxy:
        procs, pw = _cli_with_account(home, proxy.url, server)
        args = ("run", "T", "--book", path, "--mode", "sync")
        proc = subprocess.Popen(
            procs.argv(*args), cwd=REPO_ROOT, env={**procs.env, **pw},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        procs_box.append(proc)
        proc.communicate(timeout=120)
        assert proc.returncode == -signal.SIGKILL
        assert _query(home, "PRAGMA integrity_check") == [("ok",)]
        assert _query(home, "SELECT count(*) FROM contact") == [(500,)]
        assert _list_indexes(home) == []  # killed before they were built again

        again = procs.call(*args, "--json", extra_env=pw)
    assert again.returncode == 0, again.stdout + again.stderr
    report = json.loads(again.stdout[again.stdout.index("{") :])
    assert report["books"][0]["added_local"] == 700
    uids = [r[0] for r in _query(home, "SELECT uid FROM contact WHERE deleted_at IS NULL")]
    assert len(uids) == len(set(uids)) == 1200
    assert _list_indexes(home) == LIST_INDEX_NAMES  # the next start built them


def _huge_card(uid: str) -> str:
    """A card of about 11 MB (a photo of 8 MB), beyond libxml2's 10 MB text limit."""
    b64 = base64.b64encode(b"\xff\xd8\xff" + os.urandom(8 * 1024 * 1024)).decode()
    line = f"PHOTO;ENCODING=b;TYPE=JPEG:{b64}"
    folded = "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74))
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Riesenfoto\r\nN:Riesenfoto;;;;\r\n"
        f"{folded}\r\nEND:VCARD\r\n"
    )


@pytest.mark.parametrize("server_name", ["xandikos", "sabredav"])  # Radicale: ≤ 10 MB
def test_a_card_over_10_mb_spoils_only_itself(
    server_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """One huge card in a multiget batch: the batch is halved until it stands alone; every
    other card is read, the huge one is reported (and asked for again next time)."""
    server: DavServer = request.getfixturevalue(f"{server_name}_server")
    name = f"Riesig {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_cards(book_url, {f"pf-{i:03d}.vcf": _vcard(i) for i in range(40)}, display_name=name)
    server.put_card(book_url, "riese.vcf", _huge_card("riese"))
    client = _client(server)
    hrefs = sorted(client.list_etags(book_url).etags)
    assert len(hrefs) == 41
    got = list(client.multiget(book_url, hrefs, batch_size=500))
    assert len(got) == 40 and all("UID:pf-" in c.text for c in got)
    assert [h.rsplit("/", 1)[-1] for h in client.oversized_hrefs] == ["riese.vcf"]

    path = xml.canonical_path(urlsplit(book_url).path)
    procs, pw = _cli_with_account(tmp_path / "home", server.root_url, server)
    for _ in range(2):  # the second run asks for the huge card alone, and reports it again
        run = procs.call("run", "T", "--book", path, "--mode", "sync", "--json", extra_env=pw)
        book = json.loads(run.stdout[run.stdout.index("{") :])["books"][0]
        assert book["local_count"] == 40, run.stdout
        notes = " ".join(book["notes"])
        assert "größer als 10 MB" in notes and "riese.vcf" in notes, notes
        assert not book["errors"]


def test_nothing_to_fetch_is_no_request(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    assert list(client.multiget(book_url, [])) == []
    # Only hrefs that are dropped (another host, the collection itself): nothing either.
    path = xml.canonical_path(urlsplit(book_url).path)
    assert list(client.multiget(book_url, ["http://elsewhere.example/x.vcf", path])) == []
    assert client.session.requests_made == 0
