"""Fixtures: real Radicale, Xandikos and SabreDAV servers on loopback (see dav_servers.py).

* ``radicale_server`` / ``xandikos_server`` / ``sabredav_server`` - one process per test session,
  started on first use, stopped (and its temp folder removed) at session end.
* ``dav_server`` - parametrized over ``SERVER_NAMES``; call ``dav_server.make_book()`` for a
  fresh, empty address book in each test.
* ``dav_book`` - ``(server, book_url)`` of a fresh, empty address book.

A server that cannot start fails the tests that need it, with its output; nothing is skipped.
Every test using one of these fixtures gets the ``servers`` marker.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
