"""A sync process killed (SIGKILL) mid-run, then resumed: nothing lost, nothing doubled.

The real `contactbox-sync` CLI runs as a subprocess (``python -m app.cli``) against a real
Radicale (sync-collection) and a real SabreDAV 1.8 (no sync-collection: PROPFIND + ctag
fallback). Its keyring is keyrings.alt's PlaintextKeyring under a private XDG_DATA_HOME,
so `account add` (also a subprocess) stores the password where the later runs find it.

Every run goes through a small TCP relay (`KillProxy`) that can kill the client at the
one moment that matters most: the server has carried out a write (PUT/DELETE) but the
client has not yet seen the answer, so the local commit that follows is missing.

Phase 1 (first run): 300 server-only cards, 300 local-only contacts and 20 contacts on
both sides with the same UID but different phone numbers (conflicts; preference
*Server*). The run is killed four times - during the fetch, early in the apply phase
(importing), right after an upload reached the server, late in the apply phase - then
run to completion, then once more.

Phase 2 (a delta run after convergence): edits, deletions and new contacts on both
sides, including edits on both sides and edit-vs-delete pairs. Killed right after a
server write and again mid-apply, then run to completion, then once more.

After every kill: the SQLite file passes ``PRAGMA integrity_check`` and neither side has
a UID twice or a contact that never existed. After each phase: both sides hold the same
UIDs with the same FN/TEL, exactly the expected ones (no contact lost, deletions
carried out, conflicts resolved to the server with the local version in the history,
server deletions in the local trash), and the last run is a no-op (all figures zero).

Marked slow: Radicale's PUT cost grows with the size of the book (~60-120 ms per card
here), so the 320 uploads dominate (~60 s for Radicale, ~30 s for SabreDAV).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from app import vcard
from tests.servers.cards import simple_card
from tests.servers.dav_servers import CARDDAV, DavServer, parse_multistatus
from tests.servers.terminal import TerminalStderr

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 120.0

N_SERVER = 300
N_LOCAL = 300
N_BOTH = 20

Content = tuple[str, str]  # (FN, first TEL)

FIGURE_KEYS = (
    "added_local",
    "updated_local",
    "deleted_local",
    "added_server",
    "updated_server",
    "deleted_server",
    "conflicts",
    "skipped_deleted",
)


def card(uid: str, fn: str, tel: str, email: str = "") -> str:
    return simple_card(uid, fn, email or f"{uid}@example.de", tel=tel)


def content_of(text: str) -> Content:
    s = vcard.summarize(text)
    return s.fn, s.phones[0] if s.phones else ""


# ---------------------------------------------------------------- the subprocess harness


_PROGRESS_RE = re.compile(r"(list|fetch|apply) (\d+)/(\d+)\s*$")

KillWhen = Callable[[str, int, int], bool]  # (phase, done, total) -> kill now?


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    killed: bool
    progress: list[tuple[str, int, int]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Cli:
    home: Path
    env: dict[str, str]
    runs: list[Outcome] = field(default_factory=list)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "app.cli", "--home", str(self.home), *args]

    def call(self, *args: str, extra_env: dict[str, str] | None = None) -> Outcome:
        start = time.monotonic()
        proc = subprocess.run(
            self.argv(*args),
            cwd=REPO_ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        return Outcome(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
            killed=False,
            seconds=time.monotonic() - start,
        )

    def run(
        self,
        *args: str,
        kill_when: KillWhen | None = None,
        kill_at_write: tuple[KillProxy, int] | None = None,
    ) -> Outcome:
        """Start a run with --progress; SIGKILL it the moment `kill_when` says so, or when
        the server answers its n-th write (`kill_at_write` = (proxy, n))."""
        start = time.monotonic()
        if kill_at_write is not None:
            kill_at_write[0].arm(kill_at_write[1])
        # stderr is a terminal: --progress writes every step there (to a pipe only a few
        # lines per second), and the kill must land at an exact step.
        terminal = TerminalStderr()
        proc = subprocess.Popen(
            self.argv(*args, "--progress"),
            cwd=REPO_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=terminal.slave,
        )
        terminal.started()
        assert proc.stdout is not None
        if kill_at_write is not None:
            kill_at_write[0].proc = proc
        progress: list[tuple[str, int, int]] = []
        err_chunks: list[bytes] = []
        out_chunks: list[bytes] = []
        killed = threading.Event()

        def read_err() -> None:
            pending = ""
            while True:
                chunk = terminal.read(4096)
                if not chunk:
                    return
                err_chunks.append(chunk)
                pending += chunk.decode("utf-8", "replace")
                *tokens, pending = re.split(r"[\r\n]", pending)
                for token in tokens:
                    m = _PROGRESS_RE.search(token)
                    if m is None:
                        continue
                    p = (m.group(1), int(m.group(2)), int(m.group(3)))
                    progress.append(p)
                    if kill_when is not None and not killed.is_set() and kill_when(*p):
                        killed.set()
                        proc.send_signal(signal.SIGKILL)

        def read_out() -> None:
            assert proc.stdout is not None
            out_chunks.append(proc.stdout.read())

        threads = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
        for t in threads:
            t.start()
        try:
            code = proc.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            for t in threads:
                t.join(10)
            terminal.close()
            if kill_at_write is not None:
                kill_at_write[0].disarm()
        if kill_at_write is not None and kill_at_write[0].fired.is_set():
            killed.set()
        outcome = Outcome(
            code,
            b"".join(out_chunks).decode("utf-8", "replace"),
            b"".join(err_chunks).decode("utf-8", "replace"),
            killed=killed.is_set(),
            progress=progress,
            seconds=time.monotonic() - start,
        )
        self.runs.append(outcome)
        return outcome


def at_fetch(min_done: int) -> KillWhen:
    return lambda phase, done, total: phase == "fetch" and done >= min(min_done, total)


def at_apply(fraction: float, rng: random.Random) -> KillWhen:
    """Kill at roughly `fraction` of the apply phase (deterministic jitter from `rng`)."""
    jitter = rng.uniform(-0.03, 0.03)

    def when(phase: str, done: int, total: int) -> bool:
        return phase == "apply" and total > 0 and done >= max(1, int(total * (fraction + jitter)))

    return when


# ---------------------------------------------------------------- the kill-switch proxy


class KillProxy:
    """A TCP relay in front of the DAV server that can SIGKILL the client mid-write.

    Armed with n, it counts write requests (PUT / DELETE) passing from the client; when
    the server starts answering the n-th one - so the server has carried it out - the
    client is killed before it sees the answer. This hits exactly the window between
    the server write and the local commit that follows it.
    """

    WRITES = (b"PUT ", b"DELETE ")

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        self.lock = threading.Lock()
        self.armed_at = 0  # 0: off
        self.writes = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.killed_request = ""  # request line of the write the client never heard back of
        self.fired = threading.Event()
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def arm(self, nth: int) -> None:
        with self.lock:
            self.armed_at, self.writes, self.proc = nth, 0, None
            self.killed_request = ""
            self.fired.clear()

    def disarm(self) -> None:
        with self.lock:
            self.armed_at, self.proc = 0, None

    def close(self) -> None:
        self.closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self.closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            pending = threading.Event()  # the armed write went up on this connection
            threading.Thread(target=self._up, args=(client, upstream, pending), daemon=True).start()
            threading.Thread(
                target=self._down, args=(upstream, client, pending), daemon=True
            ).start()

    def _up(self, src: socket.socket, dst: socket.socket, pending: threading.Event) -> None:
        try:
            while chunk := src.recv(65536):
                if chunk.startswith(self.WRITES):
                    with self.lock:
                        if self.armed_at:
                            self.writes += 1
                            if self.writes == self.armed_at:
                                self.killed_request = chunk.split(b"\r\n", 1)[0].decode()
                                pending.set()
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            _shut(dst)

    def _down(self, src: socket.socket, dst: socket.socket, pending: threading.Event) -> None:
        try:
            while chunk := src.recv(65536):
                if pending.is_set():
                    # The server has answered the armed write: kill the client unanswered.
                    deadline = time.monotonic() + 10
                    while self.proc is None and time.monotonic() < deadline:
                        time.sleep(0.001)
                    if self.proc is not None:
                        self.proc.send_signal(signal.SIGKILL)
                    self.fired.set()
                    break
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            _shut(dst)
            _shut(src)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


# ---------------------------------------------------------------- both sides

_ALL_CARDS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<C:addressbook-query xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
    "<D:prop><D:getetag/><C:address-data/></D:prop></C:addressbook-query>"
)


def server_texts(server: DavServer, book_url: str) -> dict[str, str]:
    """href -> vCard text of every card, in one addressbook-query REPORT (not N GETs)."""
    resp = server.request("REPORT", book_url, body=_ALL_CARDS, depth=1)
    assert resp.status_code == 207, resp.status_code
    out: dict[str, str] = {}
    for href, props in parse_multistatus(resp.content or b"").items():
        data = props.get(f"{{{CARDDAV}}}address-data")
        if data is not None:
            out[href] = data.text or ""
    return out


def put_many(server: DavServer, book_url: str, name: str, texts: dict[str, str]) -> None:
    """Create cards (file name -> text) before the first sync."""
    server.put_cards(book_url, texts, display_name=name)


@dataclass
class Sides:
    server: DavServer
    book_url: str
    name: str
    db: Path

    def server_cards(self) -> dict[str, Content]:
        out: dict[str, Content] = {}
        for href, text in server_texts(self.server, self.book_url).items():
            uid = vcard.summarize(text).uid
            assert uid, f"card without UID on the server: {href}"
            assert uid not in out, f"duplicate UID {uid} on the server"
            out[uid] = content_of(text)
        return out

    def local(self) -> tuple[dict[str, Content], dict[str, list[Content]], dict[str, list[str]]]:
        """(live UID -> content, trashed UID -> contents, live UID -> history texts)."""
        con = sqlite3.connect(self.db)
        try:
            book_id = con.execute(
                "SELECT id FROM address_book WHERE name = ?", (self.name,)
            ).fetchone()[0]
            live: dict[str, Content] = {}
            trash: dict[str, list[Content]] = {}
            ids: dict[int, str] = {}
            for cid, uid, text, deleted in con.execute(
                "SELECT id, uid, vcard, deleted_at FROM contact WHERE book_id = ?", (book_id,)
            ):
                if deleted is None:
                    assert uid not in live, f"duplicate UID {uid} in Contactbox"
                    live[uid] = content_of(text)
                    ids[cid] = uid
                else:
                    trash.setdefault(uid, []).append(content_of(text))
            history: dict[str, list[str]] = {}
            for cid, text in con.execute("SELECT contact_id, vcard FROM contact_version"):
                if cid in ids:
                    history.setdefault(ids[cid], []).append(text)
        finally:
            con.close()
        return live, trash, history

    def write_unrecorded(self, request_line: str) -> bool:
        """Did the server carry out this write while the local state does not know of it?"""
        method, path = request_line.split(" ")[:2]
        path = unquote(urlsplit(path).path)
        on_server = {unquote(h): e for h, e in self.server.list_etags(self.book_url).items()}
        con = sqlite3.connect(self.db)
        try:
            state = {unquote(h): e for h, e in con.execute("SELECT href, etag FROM item_state")}
        finally:
            con.close()
        if method == "DELETE":
            return path not in on_server and path in state
        return path in on_server and state.get(path) != on_server[path]

    def integrity(self) -> str:
        con = sqlite3.connect(self.db)
        try:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            con.close()


def figures(report: dict[str, Any]) -> dict[str, int]:
    book = report["books"][0]
    return {k: book[k] for k in FIGURE_KEYS if book[k]}


def assert_converged(sides: Sides, expected: dict[str, Content]) -> dict[str, list[str]]:
    server = sides.server_cards()
    live, _, history = sides.local()
    assert set(server) == set(live), (
        f"only on the server: {sorted(set(server) - set(live))[:10]}, "
        f"only in Contactbox: {sorted(set(live) - set(server))[:10]}"
    )
    lost = sorted(set(expected) - set(server))
    extra = sorted(set(server) - set(expected))
    assert not lost, f"contacts lost: {lost[:10]} ({len(lost)})"
    assert not extra, f"contacts that should be gone: {extra[:10]} ({len(extra)})"
    differ = sorted(u for u in server if server[u] != live[u])
    assert not differ, f"sides differ: {[(u, server[u], live[u]) for u in differ[:5]]}"
    wrong = sorted(u for u in server if server[u] != expected[u])
    assert not wrong, f"unexpected content: {[(u, server[u], expected[u]) for u in wrong[:5]]}"
    return history


def in_history(history: dict[str, list[str]], uid: str, content: Content) -> bool:
    return any(content_of(text) == content for text in history.get(uid, []))


# ---------------------------------------------------------------- the test


@pytest.fixture(params=["radicale", "sabredav"])
def crash_server(request: pytest.FixtureRequest) -> DavServer:
    server: DavServer = request.getfixturevalue(f"{request.param}_server")
    return server


@pytest.fixture
def proxy(crash_server: DavServer) -> Iterator[KillProxy]:
    relay = KillProxy(int(urlsplit(crash_server.root_url).port or 80))
    yield relay
    relay.close()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CONTACTBOX_HOME", "CONTACTBOX_PASSWORD", "PYTHONPATH")
    }
    env.update(
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(xdg),
        PYTHONUNBUFFERED="1",  # progress is written without newlines: no buffering
        PYTHONPATH=str(REPO_ROOT),
    )
    return Cli(tmp_path / "home", env)


class Phase:
    """Runs of one phase: killed runs, the completing run, the no-op run, and checks."""

    def __init__(self, cli: Cli, sides: Sides, run_args: tuple[str, ...]) -> None:
        self.cli, self.sides, self.run_args = cli, sides, run_args

    def killed_run(
        self,
        label: str,
        *,
        when: KillWhen | None = None,
        at_write: tuple[KillProxy, int] | None = None,
        may_have: set[str],
    ) -> None:
        out = self.cli.run(*self.run_args, kill_when=when, kill_at_write=at_write)
        assert out.killed and out.code == -signal.SIGKILL, (
            f"{label}: not killed (exit {out.code}); progress {out.progress[-3:]}\n{out.stderr}"
        )
        assert self.sides.integrity() == "ok", label
        # Mid-way too: no UID twice on either side, nothing that should not exist.
        server_now = self.sides.server_cards()
        live_now, _, _ = self.sides.local()
        assert may_have >= set(server_now) | set(live_now), label
        if at_write is not None:
            request = at_write[0].killed_request
            assert request, f"{label}: no write was cut off"
            assert self.sides.write_unrecorded(request), (
                f"{label}: {request} should be done on the server but not recorded locally"
            )

    def complete(self) -> dict[str, list[str]]:
        """Run to the end, then once more: the second run must do nothing."""
        done = self.cli.run(*self.run_args, "--json")
        assert done.code == 0, done.stdout + done.stderr
        assert not json.loads(done.stdout)["books"][0]["errors"]
        again = self.cli.run(*self.run_args, "--json")
        assert again.code == 0, again.stdout + again.stderr
        assert figures(json.loads(again.stdout)) == {}, "the run after completion is no no-op"
        assert self.sides.integrity() == "ok"
        return self.sides.local()[2]


@pytest.mark.slow
def test_killed_sync_resumes_without_loss_or_duplicates(
    crash_server: DavServer, proxy: KillProxy, cli: Cli, tmp_path: Path
) -> None:
    server = crash_server
    rng = random.Random(f"crash-resume-{server.name}")
    name = f"Absturz {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    sides = Sides(server, book_url, name, cli.home / "contactbox.sqlite3")

    # Every run of the app goes through the kill-switch relay.
    added = cli.call(
        "account", "add", "Test", "--url", proxy.url(), "--user", server.user,
        extra_env={"CONTACTBOX_PASSWORD": server.password},
    )  # fmt: skip
    assert added.code == 0, added.stderr
    assert (tmp_path / "xdg" / "python_keyring").is_dir(), "password not in the file keyring"

    # ---- set-up: server-only, local-only, and both sides with different phones
    expected: dict[str, Content] = {}
    server_cards: dict[str, str] = {}
    for i in range(N_SERVER):
        uid, fn, tel = f"srv-{i:03d}", f"Server Person {i}", f"+49 30 {i:06d}"
        server_cards[f"{uid}.vcf"] = card(uid, fn, tel)
        expected[uid] = (fn, tel)
    local_cards = []
    for i in range(N_LOCAL):
        uid, fn, tel = f"loc-{i:03d}", f"Lokal Müller {i}", f"+49 40 {i:06d}"
        local_cards.append(card(uid, fn, tel))
        expected[uid] = (fn, tel)
    both_local: dict[str, Content] = {}
    for i in range(N_BOTH):
        uid, fn = f"both-{i:02d}", f"Beide Größe {i}"
        server_cards[f"{uid}.vcf"] = card(uid, fn, f"+49 89 1{i:05d}")
        local_cards.append(card(uid, fn, f"+49 89 2{i:05d}"))
        expected[uid] = (fn, f"+49 89 1{i:05d}")  # preference Server: the server's wins
        both_local[uid] = (fn, f"+49 89 2{i:05d}")
    put_many(server, book_url, name, server_cards)
    vcf = tmp_path / "lokal.vcf"
    vcf.write_text("".join(local_cards), encoding="utf-8", newline="")
    imported = cli.call("contacts", "import", "--book", name, "--file", str(vcf), "--json")
    assert imported.code == 0, imported.stderr
    assert len(json.loads(imported.stdout)["added"]) == N_LOCAL + N_BOTH

    phase = Phase(cli, sides, ("run", "Test", "--book", name, "--mode", "sync",
                               "--option", "server"))  # fmt: skip

    # ---- phase 1: the first run, killed four times
    everyone = set(expected)
    phase.killed_run("during fetch", when=at_fetch(100), may_have=everyone)
    phase.killed_run("early apply", when=at_apply(0.06, rng), may_have=everyone)
    phase.killed_run(
        "between upload and commit", at_write=(proxy, rng.randint(20, 60)), may_have=everyone
    )
    phase.killed_run("late apply", when=at_apply(0.8, rng), may_have=everyone)
    history = phase.complete()
    assert_converged(sides, expected)
    for uid, version in both_local.items():
        assert in_history(history, uid, version), f"losing local version of {uid} not kept"

    # ---- phase 2: changes on both sides, a delta run killed twice
    hrefs = {
        vcard.summarize(text).uid: href for href, text in server_texts(server, book_url).items()
    }

    def server_put(uid: str, content: Content) -> None:
        href = hrefs.get(uid) or server.card_url(book_url, f"{uid}.vcf")
        server.put_card(book_url, unquote(href.rsplit("/", 1)[-1]), card(uid, *content))

    def server_delete(uid: str) -> None:
        server.delete_card(server.url(hrefs.pop(uid)))

    def srv(a: int, b: int) -> list[str]:
        return [f"srv-{i:03d}" for i in range(a, b)]

    def loc(a: int, b: int) -> list[str]:
        return [f"loc-{i:03d}" for i in range(a, b)]

    local_edits: dict[str, Content] = {}
    local_new: dict[str, Content] = {}
    # Edited on the server only (server cards and uploaded local ones).
    for uid in srv(0, 20) + loc(0, 10):
        expected[uid] = (expected[uid][0], f"+49 170 {uid[-3:]}")
        server_put(uid, expected[uid])
    # Deleted on the server, unchanged locally: to the local trash.
    server_deleted = srv(20, 35)
    for uid in server_deleted:
        server_delete(uid)
        expected.pop(uid)
    # New on the server.
    for i in range(20):
        uid = f"new-s-{i:02d}"
        expected[uid] = (f"Neu Server Jürgen {i}", f"+49 171 {i:04d}")
        server_put(uid, expected[uid])
    # Edited locally only.
    for uid in srv(40, 50) + loc(20, 40):
        local_edits[uid] = expected[uid] = (expected[uid][0] + " Lokal", expected[uid][1])
    # Deleted locally, unchanged on the server: deleted on the server, stays in the trash.
    local_deleted = loc(40, 55)
    for uid in local_deleted:
        expected.pop(uid)
    # New locally.
    for i in range(20):
        local_new[f"new-l-{i:02d}"] = (f"Neu Lokal Ärger {i}", f"+49 172 {i:04d}")
    expected.update(local_new)
    # Edited on both sides: the server's version wins, the local one goes to the history.
    conflict_local: dict[str, Content] = {}
    for uid in srv(60, 65) + loc(60, 65):
        conflict_local[uid] = local_edits[uid] = (expected[uid][0], f"+49 173 {uid[-3:]}")
        expected[uid] = (expected[uid][0], f"+49 174 {uid[-3:]}")
        server_put(uid, expected[uid])
    # Deleted on the server, changed locally: uploaded again with the local version.
    for uid in srv(70, 73):
        server_delete(uid)
        local_edits[uid] = expected[uid] = (expected[uid][0], f"+49 175 {uid[-3:]}")
    # Deleted locally, changed on the server: restored with the server's version.
    restored = loc(70, 73)
    for uid in restored:
        expected[uid] = (expected[uid][0], f"+49 176 {uid[-3:]}")
        server_put(uid, expected[uid])

    from app.store import contacts as cs
    from app.store.db import close_database, open_database

    open_database(sides.db)
    try:
        book = cs.get_book(name)
        for uid, (fn, tel) in local_edits.items():
            c = cs.find_live_by_uid(book, uid)
            assert c is not None, uid
            cs.update_contact(c, card(uid, fn, tel))
        for uid in local_deleted + restored:
            c = cs.find_live_by_uid(book, uid)
            assert c is not None, uid
            cs.delete_contact(c)
        for uid, (fn, tel) in local_new.items():
            cs.add_contact(book, card(uid, fn, tel))
    finally:
        close_database()

    everyone |= set(expected)
    phase.killed_run(
        "delta: between server write and commit", at_write=(proxy, rng.randint(3, 12)),
        may_have=everyone,
    )  # fmt: skip
    phase.killed_run("delta: mid apply", when=at_apply(0.6, rng), may_have=everyone)
    history = phase.complete()
    assert_converged(sides, expected)
    for uid, version in conflict_local.items():
        assert in_history(history, uid, version), f"losing local version of {uid} not kept"
    _, trash, _ = sides.local()
    for uid in server_deleted:
        assert uid in trash, f"{uid} deleted on the server is not in the local trash"
    for uid in local_deleted:
        assert uid in trash, f"{uid} deleted locally is not in the trash any more"


def test_killed_first_run_still_matches_by_name_and_email(
    crash_server: DavServer, proxy: KillProxy, cli: Cli, tmp_path: Path
) -> None:
    """The first run matches contacts without a binding by name + e-mail (SPEC §4), so
    that it never duplicates; killed early and resumed, it still must not."""
    server = crash_server
    name = f"Abgleich {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    sides = Sides(server, book_url, name, cli.home / "contactbox.sqlite3")
    added = cli.call(
        "account", "add", "Test", "--url", proxy.url(), "--user", server.user,
        extra_env={"CONTACTBOX_PASSWORD": server.password},
    )  # fmt: skip
    assert added.code == 0, added.stderr

    expected: dict[str, Content] = {}
    server_cards: dict[str, str] = {}
    local_cards: list[str] = []
    for i in range(40):
        uid, fn, tel = f"srv-{i:03d}", f"Server Person {i}", f"+49 30 {i:06d}"
        server_cards[f"{uid}.vcf"] = card(uid, fn, tel)
        expected[uid] = (fn, tel)
        uid, fn, tel = f"loc-{i:03d}", f"Lokal Müller {i}", f"+49 40 {i:06d}"
        local_cards.append(card(uid, fn, tel))
        expected[uid] = (fn, tel)
    for i in range(20):
        # The same person on both sides under different UIDs (exported, re-imported):
        # matched by name + e-mail, the contact takes the server's UID.
        fn, tel, email = f"Gleich Weiß {i}", f"+49 89 {i:06d}", f"gleich{i}@example.de"
        server_cards[f"same-s-{i:02d}.vcf"] = card(f"same-s-{i:02d}", fn, tel, email)
        local_cards.append(card(f"same-l-{i:02d}", fn, tel, email))
        expected[f"same-s-{i:02d}"] = (fn, tel)
    put_many(server, book_url, name, server_cards)
    vcf = tmp_path / "lokal.vcf"
    vcf.write_text("".join(local_cards), encoding="utf-8", newline="")
    assert cli.call("contacts", "import", "--book", name, "--file", str(vcf)).code == 0

    phase = Phase(cli, sides, ("run", "Test", "--book", name, "--mode", "sync",
                               "--option", "server"))  # fmt: skip
    # Killed once the first item is committed (progress for the 3rd item is printed
    # after the 2nd finished), with nearly all name + e-mail pairs still to come.
    phase.killed_run(
        "after the first items",
        when=lambda phase, done, total: phase == "apply" and done >= 2,
        may_have=set(expected) | {f"same-l-{i:02d}" for i in range(20)},
    )
    phase.complete()
    assert_converged(sides, expected)
