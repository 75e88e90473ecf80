"""Robustness fixtures: a real Radicale behind `FaultProxy`, the CLI in-process, a data home.

`rig` gives a two-way bound book ("Synchronisation", preference Server) whose account
points at the fault proxy, plus helpers to change either side and to compare them. The
client timeout is cut to CLIENT_TIMEOUT seconds and the whole-answer deadline to
RESPONSE_DEADLINE, so that hanging and dripping faults cost seconds, not minutes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app import cli, vcard
from app.dav.session import DavSession
from app.store import contacts as cs
from tests.robustness.faultproxy import FaultProxy
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer, start_radicale

CLIENT_TIMEOUT = 1.5
RESPONSE_DEADLINE = 2.5
HANG_SECONDS = 3.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "radicale_server" in getattr(item, "fixturenames", ()) or "rig" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(scope="session")
def radicale_server() -> Iterator[DavServer]:
    with start_radicale() as server:
        yield server


@dataclass
class Rig:
    server: DavServer
    proxy: FaultProxy
    home: Path
    book_url: str
    name: str
    capsys: pytest.CaptureFixture[str]
    sessions: list[DavSession] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)  # every stdout/stderr the CLI wrote

    def cli(self, *args: str) -> tuple[int, Any, str]:
        """Run `contactbox-sync` in-process: (exit code, parsed JSON or None, stderr)."""
        self.capsys.readouterr()
        try:
            code = cli.main(["--home", str(self.home), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = self.capsys.readouterr()
        self.outputs += [out.out, out.err]
        try:
            data = json.loads(out.out) if out.out.strip() else None
        except json.JSONDecodeError:
            data = None
        return code, data, out.err

    def sync(self) -> tuple[int, Any, str]:
        return self.cli(
            "run", "Test", "--book", self.name, "--mode", "sync", "--option", "server", "--json"
        )

    # -- the two sides ------------------------------------------------------------------

    def server_cards(self) -> dict[str, list[str]]:
        """UID -> texts of the server's cards (read directly, not through the proxy)."""
        resp = self.server.request("GET", self.book_url)  # Radicale: the book as one .vcf
        assert resp.status_code == 200, resp.status_code
        body = (resp.content or b"").decode("utf-8")
        out: dict[str, list[str]] = {}
        for chunk in body.split("END:VCARD"):
            if "BEGIN:VCARD" not in chunk:
                continue
            text = chunk[chunk.index("BEGIN:VCARD") :].strip() + "\r\nEND:VCARD\r\n"
            uid = vcard.summarize(text).uid or ""
            out.setdefault(uid, []).append(text)
        return out

    def local_cards(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for c in cs.live_contacts(cs.get_book(self.name)):
            out.setdefault(c.uid, []).append(c.vcard)
        return out

    def server_href(self, uid: str) -> str:
        for href, text in self.server.list_cards(self.book_url).items():
            if vcard.summarize(text).uid == uid:
                return href
        raise KeyError(uid)


def card(uid: str, fn: str, rev: int = 0) -> str:
    return simple_card(uid, fn, f"{uid}@example.de", tel=f"+49 30 {rev:06d}")


@pytest.fixture
def rig(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Rig]:
    import app.sync.jobs as jobs

    name = f"Kontakte {uuid.uuid4().hex[:6]}"
    book_url = radicale_server.make_book(display_name=name)
    proxy = FaultProxy(radicale_server.root_url, hang_seconds=HANG_SECONDS).start()
    rig = Rig(radicale_server, proxy, tmp_path / "home", book_url, name, capsys)
    original = jobs.open_session

    def short_session(account: Any, *, timeout: float = 30.0) -> DavSession:
        session = original(account, timeout=CLIENT_TIMEOUT)
        session.max_response_seconds = RESPONSE_DEADLINE
        rig.sessions.append(session)
        return session

    monkeypatch.setattr(jobs, "open_session", short_session)
    monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
    code, _, err = rig.cli(
        "account", "add", "Test", "--url", proxy.url, "--user", radicale_server.user
    )
    assert code == 0, err
    try:
        yield rig
    finally:
        proxy.close()
