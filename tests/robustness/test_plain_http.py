"""Plain http: allowed, with a visible warning unless the server is this computer.

The classification is unit-tested; the CLI (`account add`, `account check`: a warning line
on stderr) and the run report (a "Hinweis" on each book) are tested against a real Radicale
reached through this machine's non-loopback address (a TCP relay to Radicale on
127.0.0.1), and silently on 127.0.0.1. The account dialog's warning line is tested in
tests/ui/test_account_dialog.py.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.dav.session import is_loopback_host, plain_http_warning
from tests.servers.cards import simple_card
from tests.servers.cli_inprocess import cli_raw
from tests.servers.dav_servers import DavServer


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("LocalHost.", True),
        ("dav.localhost", True),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("192.168.178.1", False),
        ("::2", False),
        ("fe80::1", False),
        ("localhost.example.de", False),
        ("mylocalhost", False),
        ("cloud.example.de", False),
        ("", False),
    ],
)
def test_loopback_classification(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://192.168.1.2:5232/", True),
        ("HTTP://NAS.example.de/dav/", True),
        ("http://[2001:db8::5]/", True),
        ("http://127.0.0.1:5232/", False),
        ("http://[::1]:5232/", False),
        ("http://localhost/", False),
        ("https://192.168.1.2/", False),
        ("https://cloud.example.de/", False),
        ("kein url", False),
        ("http://[kaputt/", False),  # unparsable: no warning, no exception
    ],
)
def test_plain_http_warning_text(url: str, warned: bool) -> None:
    warning = plain_http_warning(url)
    assert (warning is not None) is warned
    if warning:
        host = urlsplit(url).hostname
        assert f"Die Verbindung zu {host} ist nicht verschlüsselt (http://)" in warning
        assert "Klartext" in warning and "https://" in warning


# ---------------------------------------------------------------- CLI and report


def _own_lan_address() -> str:
    """This machine's address on its default route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.254", 9))
            address = str(s.getsockname()[0])
        except OSError:
            address = ""
    if not address or is_loopback_host(address) or address == "0.0.0.0":
        pytest.skip("no non-loopback IPv4 address on this machine")
    return address


class _Pipe(socketserver.BaseRequestHandler):
    target: tuple[str, int] = ("127.0.0.1", 0)

    def handle(self) -> None:
        with socket.create_connection(self.target, timeout=30) as upstream:

            def pump(src: socket.socket, dst: socket.socket) -> None:
                with contextlib.suppress(OSError):
                    while data := src.recv(65536):
                        dst.sendall(data)
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)

            back = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
            back.start()
            pump(self.request, upstream)
            back.join(30)


@contextlib.contextmanager
def relay(listen: str, target_port: int) -> Iterator[int]:
    """A TCP relay from `listen`:<free port> to 127.0.0.1:`target_port`."""
    handler = type("Pipe", (_Pipe,), {"target": ("127.0.0.1", target_port)})
    server = socketserver.ThreadingTCPServer((listen, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


_cli = cli_raw


def test_cli_and_report_warn_for_http_to_another_machine(
    radicale_server: DavServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lan = _own_lan_address()
    name = f"Klartext {uuid.uuid4().hex[:6]}"
    book = radicale_server.make_book(display_name=name)
    radicale_server.put_card(book, "p.vcf", simple_card("p1", "Paul Plain"))
    monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
    home = tmp_path / "home"
    radicale_port = urlsplit(radicale_server.root_url).port or 0
    with relay(lan, radicale_port) as port:
        url = f"http://{lan}:{port}/"
        code, _, err = _cli(home, capsys, "account", "add", "LAN", "--url", url,
                            "--user", radicale_server.user)  # fmt: skip
        assert code == 0, err
        assert err.startswith("contactbox-sync: Warnung: Die Verbindung zu " + lan)
        assert "nicht verschlüsselt" in err
        code, _, err = _cli(home, capsys, "account", "check", "LAN")
        assert code == 0
        assert "Warnung" in err and "nicht verschlüsselt" in err
        code, out, err = _cli(home, capsys, "run", "LAN", "--book", name, "--mode", "import",
                              "--json")  # fmt: skip
        assert code == 0, err
        report = json.loads(out)
        assert report["totals"]["added_local"] == 1
        [book_report] = report["books"]
        assert any("nicht verschlüsselt" in n for n in book_report["notes"]), book_report
        # the saved report keeps it, and the text form shows it as a "Hinweis"
        code, out, _ = _cli(home, capsys, "reports", "LAN", "--json")
        latest = max(json.loads(out), key=lambda r: r["id"])["id"]
        code, out, _ = _cli(home, capsys, "reports", "--id", str(latest))
        assert f"Hinweis: Die Verbindung zu {lan} ist nicht verschlüsselt" in out


def test_cli_is_silent_for_loopback_http(
    radicale_server: DavServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = f"Lokal {uuid.uuid4().hex[:6]}"
    radicale_server.make_book(display_name=name)
    monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
    home = tmp_path / "home"
    assert radicale_server.root_url.startswith("http://127.0.0.1:")
    code, _, err = _cli(home, capsys, "account", "add", "Lokal", "--url",
                        radicale_server.root_url, "--user", radicale_server.user)  # fmt: skip
    assert code == 0 and err == ""
    code, _, err = _cli(home, capsys, "account", "check", "Lokal")
    assert code == 0 and err == ""
    code, out, err = _cli(home, capsys, "run", "Lokal", "--book", name, "--mode", "import",
                          "--json")  # fmt: skip
    assert code == 0 and err == ""
    assert all("verschlüsselt" not in n for b in json.loads(out)["books"] for n in b["notes"])
