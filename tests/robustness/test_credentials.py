"""The password appears nowhere: database, data directory, reports, logs, exception texts.

Syncs run with a known password (through the fault proxy, also with failing runs, so that
error paths write their texts too), then the password is searched, in plain, as the
base64 of the Basic-auth pair (what goes over the wire) and URL-encoded, in:
every file under the data directory (the SQLite file, its -wal/-shm, backups, anything),
the CLI's stdout/stderr, the saved reports (`reports --json`), everything logged at
DEBUG by every logger (http.client's debug output is never switched on), and the text,
repr and detail of every DavError the session raised along the way.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from app.dav.errors import DavError
from app.dav.session import DavSession
from app.store import contacts as cs
from tests.robustness.conftest import Rig, card
from tests.robustness.faultproxy import FaultProxy, at, no_faults
from tests.servers.dav_servers import DavServer


def _needles(user: str, password: str) -> list[bytes]:
    pair = f"{user}:{password}".encode()
    return [
        password.encode(),
        base64.b64encode(pair),
        base64.b64encode(pair).rstrip(b"="),
        base64.b64encode(password.encode()).rstrip(b"="),
        quote(password, safe="").encode(),
        password.encode("utf-16-le"),
    ]


def _assert_absent(where: str, data: bytes, needles: list[bytes]) -> None:
    for needle in needles:
        assert needle not in data, f"password form {needle!r} found in {where}"


def test_password_is_nowhere(
    rig: Rig, caplog: pytest.LogCaptureFixture, radicale_server: DavServer
) -> None:
    caplog.set_level(logging.DEBUG)
    password = radicale_server.password
    needles = _needles(radicale_server.user, password)
    for i in range(20):
        rig.server.put_card(rig.book_url, f"s{i}.vcf", card(f"s{i}", f"Server{i} Person"))
    book = cs.ensure_book(rig.name)
    for i in range(20):
        cs.add_contact(book, card(f"l{i}", f"Lokal{i} Person"))
    statuses = []
    for fault in ("status_500", "reset_after", "timeout", "malformed_xml", None, None):
        rig.proxy.reset_log(at({1: fault, 2: fault, 3: fault}) if fault else no_faults)
        code, data, _err = rig.sync()
        statuses.append(data["status"] if data else "failed" if code == 1 else code)
    assert statuses.count("failed") >= 3 and statuses[-1] == "ok", statuses

    # exceptions of the session: wrong place, wrong password, dropped, hanging
    errors: list[DavError] = []
    path = urlsplit(rig.book_url).path
    with FaultProxy(radicale_server.root_url, hang_seconds=2.0) as proxy:
        for fault in ("reset_before", "timeout", "status_503", "truncated", "wrong_type"):
            proxy.reset_log(lambda n, m, p, f=fault: f)
            with DavSession(proxy.url, radicale_server.user, password, timeout=1.0) as s:
                try:
                    s.request("GET", path)
                except DavError as exc:
                    errors.append(exc)
        with DavSession(f"http://{radicale_server.user}:{password}@127.0.0.1:{proxy.port}/",
                        radicale_server.user, password) as s:  # fmt: skip
            _assert_absent("session repr", repr(s).encode() + s.base_url.encode(), needles)
            auth_reprs = f"{s._basic!r} {s._digest!r} {s._http!r}".encode()
            _assert_absent("auth repr", auth_reprs, needles)
            try:
                s.request("GET", "http://elsewhere.example/x")
            except DavError as exc:
                errors.append(exc)
    assert len(errors) >= 5
    for exc in errors:
        text = f"{exc} {exc!r} {exc.message} {exc.detail} {exc.args}".encode()
        _assert_absent(f"{type(exc).__name__}", text, needles)

    # reports as the CLI shows them
    code, reports, _ = rig.cli("reports", "Test", "--json")
    assert code == 0 and reports
    for out in rig.outputs:
        _assert_absent("CLI output", out.encode(), needles)
    # every file of the data directory
    files = [p for p in Path(rig.home).rglob("*") if p.is_file()]
    assert any(p.suffix.startswith(".sqlite") or "sqlite" in p.name for p in files), files
    for p in files:
        _assert_absent(str(p), p.read_bytes(), needles)
    # everything logged, at DEBUG
    assert caplog.records, "nothing was logged at DEBUG"
    _assert_absent("log", caplog.text.encode(), needles)
    for record in caplog.records:
        _assert_absent("log record", repr(record.__dict__).encode(), needles)
        assert "authorization: basic" not in record.getMessage().lower()


@pytest.mark.servers
def test_nextcloud_refusing_the_password_points_to_app_passwords(tmp_path: Path) -> None:
    """Nextcloud (and ownCloud) refuse the account password on CardDAV when the account
    uses two-factor login: the message says to make an app password. A real Radicale that
    names itself "Nextcloud" in its 401s, as Nextcloud's own do."""
    from app.dav.discovery import check_connection
    from tests.servers.dav_servers import start_radicale

    with start_radicale(tmp_path, realm="Nextcloud") as server:
        result = check_connection(server.root_url, None, "", None, server.user, "konto-pw")
    assert not result.ok
    assert "Benutzername oder Passwort ist falsch" in result.message
    assert "verlangt Nextcloud ein App-Passwort" in result.message
    assert "„Geräte & Sitzungen“" in result.message
    assert "konto-pw" not in result.message


@pytest.mark.servers
def test_other_servers_refusing_the_password_do_not_mention_app_passwords(
    radicale_server: DavServer,
) -> None:
    from app.dav.discovery import check_connection

    s = radicale_server
    result = check_connection(s.root_url, None, "", None, s.user, "falsch")
    assert not result.ok and "App-Passwort" not in result.message
