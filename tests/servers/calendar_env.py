"""A calendar account bound through the in-process `contactbox-sync calendar …` CLI.

Shared by the calendar sync tests: a fresh server calendar, the account "Kal" (directly, or
through a `FaultProxy` in front of the server), the default user bound to the calendar, and
a direct CalDAV client standing for another client of the same calendar.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app import ical
from app.dav import caldav
from app.dav.caldav import CalDavClient
from app.dav.session import DavSession
from app.store.models import Appointment, User
from tests.robustness.faultproxy import FaultProxy
from tests.servers.cli_inprocess import cli_runner
from tests.servers.dav_servers import DavServer


@dataclass
class CalEnv:
    server: DavServer
    client: CalDavClient
    cal_href: str
    cal_name: str
    run_cli: Callable[..., tuple[int, Any]]
    user: str = "Standardbenutzer"
    proxy: FaultProxy | None = None  # between our account and the server, if asked for

    def put(self, name: str, text: str) -> str:
        return self.client.create(self.cal_href, text, name=name).href

    def events(self) -> dict[str, tuple[str, str, str]]:
        """UID -> (href, etag, text) of every event on the server."""
        listing = self.client.list_etags(self.cal_href)
        out = {}
        for e in self.client.multiget(self.cal_href, listing.etags):
            try:
                uid = ical.summarize(e.text).uid
            except ical.NotAnEvent:
                continue
            assert uid not in out
            out[uid] = (e.href, e.etag, e.text)
        return out

    def edit(self, uid: str, **fields: Any) -> None:
        href, etag, text = self.events()[uid]
        self.client.update(href, ical.edit_event(text, **fields), etag)

    def local(self, user: str | None = None) -> dict[str, Any]:
        """UID -> live Appointment of the user."""
        u = User.get(User.name == (user or self.user))
        q = Appointment.select().where(
            (Appointment.user == u) & Appointment.deleted_at.is_null()
        )
        return {a.uid: a for a in q}

    def run(self, *extra: str) -> dict[str, Any]:
        code, data = self.run_cli("calendar", "run", "Kal", "--json", *extra)
        assert code in (0, 3, 4), data
        book: dict[str, Any] = data["books"][0]
        book["_exit"] = code
        return book


@contextmanager
def calendar_env(
    server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    session: DavSession | None = None,
    proxied: bool = False,
) -> Iterator[CalEnv]:
    with ExitStack() as stack:
        if session is None:
            session = stack.enter_context(
                DavSession(server.root_url, server.user, server.password)
            )
        proxy = stack.enter_context(FaultProxy(server.root_url)) if proxied else None
        run_cli = cli_runner(tmp_path / "home", capsys)
        name = f"Termine {uuid.uuid4().hex[:6]}"
        home = caldav.find_calendar_homes(session)[0]
        cal = caldav.make_calendar(session, home, name)
        monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
        url = proxy.url if proxy is not None else server.root_url
        code, out = run_cli("calendar", "account", "add", "Kal", "--url", url,
                            "--user", server.user)  # fmt: skip
        assert code == 0, out
        e = CalEnv(server, CalDavClient(session), cal.href, name, run_cli, proxy=proxy)
        code, out = run_cli("calendar", "bind", "Kal", name, "--user", e.user, "--json")
        assert code == 0, out
        yield e
