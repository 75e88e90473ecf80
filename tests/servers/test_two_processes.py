"""Two Contactbox processes on one database: one syncs, the other is told and writes nothing.

Real `contactbox-sync` subprocesses on one data home, a real Radicale behind
`FaultProxy`. The proxy holds the first run at its listing (so it certainly holds the
sync lock, app/store/lock.py) while a second `run` and a `sync` start: each ends at
once with exit code 5, the German message naming the holder's program and PID, no
request to the server and no row written. Released, the first run completes. Killed
instead (SIGKILL), it leaves no stale lock: the next run proceeds.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app import vcard
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.servers.cards import simple_card
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer

N_CARDS = 200
EXIT_LOCKED = 5
LOCK_MESSAGE = (
    "Eine andere Synchronisation mit dieser Datenbank läuft gerade (contactbox-sync, PID {pid}). "
    "Bitte warten Sie, bis sie beendet ist."
)


@dataclass
class Gate:
    """Holds the first sync-collection listing that reaches the proxy until opened."""

    arrived: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)

    def hook(self, entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"sync-collection" in body and not self.arrived.is_set():
            self.arrived.set()
            self.opened.wait(120)


@dataclass
class Two:
    server: DavServer
    proxy: FaultProxy
    procs: CliProcesses
    name: str
    book_url: str
    gate: Gate

    @property
    def db(self) -> Path:
        return self.procs.home / "contactbox.sqlite3"

    def run_args(self, *extra: str) -> tuple[str, ...]:
        return ("run", "Test", "--book", self.name, "--mode", "sync", "--option", "server", *extra)

    def count(self, sql: str) -> int:
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return int(con.execute(sql).fetchone()[0])
        finally:
            con.close()

    def live_uids(self) -> list[str]:
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return [
                r[0]
                for r in con.execute(
                    "SELECT c.uid FROM contact c JOIN address_book b ON c.book_id = b.id "
                    "WHERE b.name = ? AND c.deleted_at IS NULL",
                    (self.name,),
                )
            ]
        finally:
            con.close()

    def integrity(self) -> str:
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            con.close()


@pytest.fixture
def two(radicale_server: DavServer, tmp_path: Path) -> Iterator[Two]:
    server = radicale_server
    name = f"Zwei {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_cards(
        book_url,
        {
            f"zp-{i:03d}.vcf": simple_card(f"zp-{i:03d}", f"Zwei Prozesse {i}")
            for i in range(N_CARDS)
        },
        display_name=name,
    )
    gate = Gate()
    proxy = FaultProxy(server.root_url, on_request=gate.hook).start()
    procs = CliProcesses(tmp_path / "home", tmp_path / "xdg")
    added = procs.call(
        "account", "add", "Test", "--url", proxy.url, "--user", server.user,
        extra_env={"CONTACTBOX_PASSWORD": server.password},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    try:
        yield Two(server, proxy, procs, name, book_url, gate)
    finally:
        gate.opened.set()
        proxy.close()


def test_a_second_run_is_told_and_writes_nothing(two: Two) -> None:
    first = two.procs.start(*two.run_args("--json"))
    try:
        assert two.gate.arrived.wait(60), "the first run never listed the book"
        requests = len(two.proxy.log)
        reports = two.count("SELECT COUNT(*) FROM run_report")
        bindings = two.count("SELECT COUNT(*) FROM binding")
        # Running at the same time: a run (JSON and text) and a `sync`.
        second = two.procs.call(*two.run_args("--json"))
        assert second.returncode == EXIT_LOCKED, second.stderr
        report = json.loads(second.stdout)
        assert report["status"] == "failed"
        assert report["error_kind"] == "locked"
        assert report["message"] == LOCK_MESSAGE.format(pid=first.pid)
        third = two.procs.call(*two.run_args())
        assert third.returncode == EXIT_LOCKED
        assert LOCK_MESSAGE.format(pid=first.pid) in third.stderr
        fourth = two.procs.call("sync", "Test")
        assert fourth.returncode == EXIT_LOCKED
        # None of them asked the server or wrote a row.
        assert len(two.proxy.log) == requests
        assert two.count("SELECT COUNT(*) FROM run_report") == reports
        assert two.count("SELECT COUNT(*) FROM binding") == bindings
        assert two.live_uids() == []
    finally:
        two.gate.opened.set()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert json.loads(out)["totals"]["added_local"] == N_CARDS
    assert sorted(two.live_uids()) == [f"zp-{i:03d}" for i in range(N_CARDS)]
    assert two.count("SELECT COUNT(*) FROM run_report") == reports + 1
    # Free again once the first has finished.
    again = two.procs.call(*two.run_args("--json"))
    assert again.returncode == 0, again.stderr


def test_a_killed_lock_holder_leaves_no_stale_lock(two: Two) -> None:
    first = two.procs.start(*two.run_args())
    assert two.gate.arrived.wait(60), "the first run never listed the book"
    locked = two.procs.call(*two.run_args())
    assert locked.returncode == EXIT_LOCKED
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=60)
    assert first.returncode == -signal.SIGKILL
    two.gate.opened.set()
    assert two.integrity() == "ok"
    after = two.procs.call(*two.run_args("--json"))
    assert after.returncode == 0, after.stderr
    uids = two.live_uids()
    assert sorted(uids) == [f"zp-{i:03d}" for i in range(N_CARDS)]  # each once
    on_server = [vcard.summarize(t).uid or "" for t in two.server.list_cards(two.book_url).values()]
    assert sorted(on_server) == sorted(uids)
