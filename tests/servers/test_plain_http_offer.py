"""A server typed without a scheme is tried with https; http:// is only ever offered.

`check_connection` reports the http:// address that answers (asked without credentials)
in `plain_http_url` and never uses it; `contactbox-sync account add` refuses with a German
message that says to write http:// explicitly. Against a real Radicale (plain http).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.dav.discovery import (
    answers_plain_http,
    check_connection,
    http_offer,
    plain_http_url,
    typed_scheme,
)
from app.dav.errors import AuthError, HostUnreachable, NotFound, TlsError
from tests.servers.cli_inprocess import cli_raw
from tests.servers.dav_servers import DavServer, free_port


def bare(server: DavServer) -> str:
    return server.root_url.split("://", 1)[1].rstrip("/")  # "127.0.0.1:<port>"


@pytest.mark.parametrize(
    ("server", "scheme"),
    [
        ("mail.firma.de", None),
        ("127.0.0.1:5232", None),
        ("cloud.example.org/remote.php/dav", None),
        ("http://nas.local", "http"),
        ("  HTTPS://cloud.example.de/", "https"),
        ("httpserver.example.de", None),
    ],
)
def test_typed_scheme(server: str, scheme: str | None) -> None:
    assert typed_scheme(server) == scheme


@pytest.mark.parametrize(
    ("server", "port", "path", "preset", "url"),
    [
        ("mail.firma.de", None, "", "other", "http://mail.firma.de/"),
        ("127.0.0.1:5232", None, "", "other", "http://127.0.0.1:5232/"),
        ("cloud.example.org/remote.php/dav", None, "", "other",
         "http://cloud.example.org/remote.php/dav/"),
        ("cloud.example.org", 8080, "", "nextcloud", "http://cloud.example.org:8080/remote.php/dav/"),
    ],
)  # fmt: skip
def test_plain_http_url_keeps_host_port_and_path(
    server: str, port: int | None, path: str, preset: str, url: str
) -> None:
    assert plain_http_url(server, port, path, preset) == url


def test_bare_host_on_an_http_only_server_is_reported_not_used(
    radicale_server: DavServer,
) -> None:
    s = radicale_server
    result = check_connection(bare(s), None, "", "other", s.user, s.password)
    assert not result.ok
    assert result.base_url == f"https://{bare(s)}/"  # https was tried, nothing else used
    assert isinstance(result.error, TlsError) and result.fingerprint is None
    assert result.plain_http_url == f"http://{bare(s)}/"
    assert result.books == []


def test_typed_schemes_are_taken_as_typed(radicale_server: DavServer) -> None:
    s = radicale_server
    https = check_connection(f"https://{bare(s)}", None, "", "other", s.user, s.password)
    assert not https.ok and https.plain_http_url == ""
    http = check_connection(f"http://{bare(s)}", None, "", "other", s.user, s.password)
    assert http.ok and http.base_url == f"http://{bare(s)}/" and http.plain_http_url == ""


def test_nothing_listening_offers_nothing(radicale_server: DavServer) -> None:
    port = free_port()
    result = check_connection(f"127.0.0.1:{port}", None, "", "other", "u", "p")
    assert isinstance(result.error, HostUnreachable)
    assert "lehnt Verbindungen" in result.message
    assert result.plain_http_url == ""
    assert not answers_plain_http(f"http://127.0.0.1:{port}/")


def test_the_probe_answers_for_radicale_without_credentials(radicale_server: DavServer) -> None:
    assert answers_plain_http(radicale_server.root_url)  # Radicale: 401 to an anonymous PROPFIND


def test_only_a_failure_to_connect_leads_to_the_offer(radicale_server: DavServer) -> None:
    """A certificate to judge, a wrong password or a wrong path on https never do."""
    address = bare(radicale_server)
    https = f"https://{address}/"

    def offer(error: Any, server: str = address) -> str:
        return http_offer(server, None, "", "other", https, error)

    assert offer(HostUnreachable()) == f"http://{address}/"
    assert offer(TlsError()) == f"http://{address}/"  # handshake failed, nothing to show
    assert offer(TlsError(fingerprint="AB:CD")) == ""  # self-signed: the trust flow
    assert offer(AuthError()) == ""
    assert offer(NotFound()) == ""
    assert offer(HostUnreachable(), server=f"https://{address}") == ""
    assert http_offer(address, None, "", "other", "", HostUnreachable()) == ""


# ---------------------------------------------------------------- the command line


def test_cli_account_add_with_bare_host_on_http_only_server_says_to_write_http(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: Any,
) -> None:
    s = radicale_server
    monkeypatch.setenv("CONTACTBOX_PASSWORD", s.password)
    code, _, err = cli_raw(tmp_path, capsys, "account", "add", "LAN", "--url", bare(s),
                           "--user", s.user)  # fmt: skip
    assert code == 1
    assert "verschlüsselte Verbindung (https) kam nicht zustande" in err
    assert f"unter http://{bare(s)}/ antwortet der Server unverschlüsselt" in err
    assert f"schreiben Sie http:// ausdrücklich: --url http://{bare(s)}" in err
    assert err.count("\n") == 1  # one line, no traceback
    _, out, _ = cli_raw(tmp_path, capsys, "account", "list", "--json")
    assert json.loads(out) == []
    assert memory_keyring.store == {}

    code, out, err = cli_raw(tmp_path, capsys, "account", "add", "LAN", "--url",
                             f"http://{bare(s)}", "--user", s.user, "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["base_url"] == f"http://{bare(s)}/"


def test_cli_account_add_with_bare_host_and_nothing_listening_keeps_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "x")
    port = free_port()
    code, _, err = cli_raw(tmp_path, capsys, "account", "add", "Weg", "--url",
                           f"127.0.0.1:{port}", "--user", "u")  # fmt: skip
    assert code == 1
    assert f"lehnt Verbindungen auf Port {port} ab" in err
    assert "http://" not in err


def test_cli_calendar_account_add_says_the_same(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    s = radicale_server
    monkeypatch.setenv("CONTACTBOX_PASSWORD", s.password)
    code, _, err = cli_raw(tmp_path, capsys, "calendar", "account", "add", "Kal", "--url",
                           bare(s), "--user", s.user)  # fmt: skip
    assert code == 1
    assert f"--url http://{bare(s)}" in err
    _, out, _ = cli_raw(tmp_path, capsys, "calendar", "account", "list", "--json")
    assert json.loads(out) == []
