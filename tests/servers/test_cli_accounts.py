"""`contactbox-sync account ...`: the connection check's outcomes, TLS pinning, removal."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.cli_inprocess import cli_raw
from tests.servers.dav_servers import DavServer, free_port

run = cli_raw


def test_wrong_password_saves_nothing(
    radicale_server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], memory_keyring: Any,
) -> None:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "Not-The-Password-55")
    code, _, err = run(tmp_path, capsys, "account", "add", "Büro", "--url",
                       radicale_server.root_url, "--user", radicale_server.user)
    assert code == 1
    assert "Benutzername oder Passwort ist falsch" in err
    assert "Not-The-Password-55" not in err
    code, out, _ = run(tmp_path, capsys, "account", "list", "--json")
    assert json.loads(out) == []
    assert memory_keyring.store == {}


def test_unreachable_server_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "x")
    code, _, err = run(tmp_path, capsys, "account", "add", "Weg", "--url",
                       f"http://127.0.0.1:{free_port()}/", "--user", "u")
    assert code == 1
    assert "lehnt Verbindungen" in err and "Bitte prüfen" in err
    assert err.count("\n") == 1  # one line, no traceback


def test_add_check_list_remove(
    radicale_server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], memory_keyring: Any,
) -> None:
    radicale_server.make_book(display_name="Kunden")
    monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
    code, out, err = run(tmp_path, capsys, "account", "add", "Büro", "--url",
                         radicale_server.root_url, "--user", radicale_server.user,
                         "--interval", "30")
    assert code == 0, err
    code, out, _ = run(tmp_path, capsys, "account", "check", "Büro", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and "Kunden" in [b["name"] for b in data["books"]]
    assert data["message"].startswith("Verbindung erfolgreich")
    code, out, _ = run(tmp_path, capsys, "account", "list", "--json")
    (acc,) = json.loads(out)
    assert acc["label"] == "Büro" and acc["interval_minutes"] == 30 and acc["enabled"]
    code, _, _ = run(tmp_path, capsys, "account", "set", "Büro", "--enabled", "off")
    code, out, _ = run(tmp_path, capsys, "account", "list", "--json")
    assert json.loads(out)[0]["enabled"] is False
    assert len(memory_keyring.store) == 1
    code, _, _ = run(tmp_path, capsys, "account", "remove", "Büro")
    assert code == 0
    assert memory_keyring.store == {}  # the password left the keyring too
    code, _, err = run(tmp_path, capsys, "books", "Büro")
    assert code == 1 and "gibt es nicht" in err


# ---------------------------------------------------------------- TLS


def _self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@contextlib.contextmanager
def radicale_tls(folder: Path, port: int, cert: Path, key: Path) -> Iterator[str]:
    """A real Radicale speaking HTTPS with a self-signed certificate."""
    users = folder / "users"
    users.write_text("alice:tls-secret\n", encoding="utf-8")
    config = folder / "radicale-tls.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\nssl = True\ncertificate = {cert}\nkey = {key}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\n"
        f"delay = 0\n[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[web]\ntype = none\n[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise AssertionError(f"TLS Radicale did not start: {out}")
            time.sleep(0.05)
        yield f"https://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(10)


def test_self_signed_certificate_shown_then_pinned_then_changed_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "tls-secret")
    port = free_port()
    cert, key = _self_signed(tmp_path, "one")
    home = tmp_path / "home"
    with radicale_tls(tmp_path, port, cert, key) as url:
        code, _, err = run(home, capsys, "account", "add", "TLS", "--url", url, "--user", "alice")
        assert code == 1 and "Zertifikat" in err
        fingerprint = err.split("SHA-256-Fingerabdruck: ")[1].split()[0]
        assert len(fingerprint) == 95  # 32 bytes as AB:CD:...
        code, _, err = run(home, capsys, "account", "add", "TLS", "--url", url, "--user",
                           "alice", "--trust-fingerprint", fingerprint)
        assert code == 0, err
        code, out, err = run(home, capsys, "account", "check", "TLS", "--json")
        assert code == 0 and json.loads(out)["ok"], err
    # The server now shows another certificate: refused again, never silently accepted.
    cert2, key2 = _self_signed(tmp_path, "two")
    with radicale_tls(tmp_path, port, cert2, key2):
        code, out, _ = run(home, capsys, "account", "check", "TLS", "--json")
        data = json.loads(out)
        assert code == 1 and not data["ok"]
        assert data["fingerprint"] and data["fingerprint"] != fingerprint
