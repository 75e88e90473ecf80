"""Fixtures: real Radicale, Xandikos and SabreDAV servers on loopback (see dav_servers.py).

* ``radicale_server`` / ``xandikos_server`` / ``sabredav_server`` - one process per test session,
  started on first use, stopped (and its temp folder removed) at session end.
* ``dav_server`` - parametrized over ``SERVER_NAMES``; call ``dav_server.make_book()`` for a
  fresh, empty address book in each test.
* ``dav_book`` - ``(server, book_url)`` of a fresh, empty address book.
* ``reports`` / ``asked`` - the sync-collection REPORTs sent on any session (their tokens),
  and what the head start asked ahead for (app/sync/head_start.py): (href, token) each.

A server that cannot start fails the tests that need it, with its output; nothing is skipped.
Every test using one of these fixtures gets the ``servers`` marker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.dav.session import DavSession
from tests.servers.dav_servers import (
    SERVER_NAMES,
    DavServer,
    start_radicale,
    start_sabredav,
    start_xandikos,
)

_SERVER_FIXTURES = frozenset(
    {"dav_server", "dav_book", *(f"{name}_server" for name in SERVER_NAMES)}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(scope="session")
def radicale_server() -> Iterator[DavServer]:
    with start_radicale() as server:
        yield server


@pytest.fixture(scope="session")
def xandikos_server() -> Iterator[DavServer]:
    with start_xandikos() as server:
        yield server


@pytest.fixture(scope="session")
def sabredav_server() -> Iterator[DavServer]:
    with start_sabredav() as server:
        yield server


@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.servers) for name in SERVER_NAMES])
def dav_server(request: pytest.FixtureRequest) -> DavServer:
    server: DavServer = request.getfixturevalue(f"{request.param}_server")
    return server


@pytest.fixture
def dav_book(dav_server: DavServer) -> tuple[DavServer, str]:
    return dav_server, dav_server.make_book()


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The sync-collection REPORTs sent on any session (their tokens, "" for none)."""
    sent: list[str | None] = []
    original = DavSession.request

    def counted(self: DavSession, method: str, url: str, **how: Any) -> Any:
        body = how.get("body") or b""
        if method == "REPORT" and b"sync-collection" in body:
            found = re.search(rb"<D:sync-token>(.*?)</D:sync-token>", body)
            sent.append(html.unescape(found.group(1).decode()) if found else None)
        return original(self, method, url, **how)

    monkeypatch.setattr(DavSession, "request", counted)
    return sent


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """What the head start asked ahead for: (collection href, token) of each request."""
    from app.sync import head_start as hs

    asked: list[tuple[str, str | None]] = []
    original = hs._ask

    def recorded(session: Any, href: str, token: str | None) -> Any:
        asked.append((href, token))
        return original(session, href, token)

    monkeypatch.setattr(hs, "_ask", recorded)
    return asked
