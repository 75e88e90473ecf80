"""TLS against a real HTTPS server: Radicale with a self-signed certificate on loopback.

* Verification is on by default: a self-signed certificate is refused with a German message
  that names its SHA-256 fingerprint (CLI `account add` and `account check`).
* Trusting the fingerprint (`--trust-fingerprint`) makes check and sync work.
* After the server gets a new certificate (restart on the same port), a sync is refused
  with "hat sich geändert" and the new fingerprint, and nothing is written locally;
  trusting the new fingerprint (`account set --trust-fingerprint`) makes it work again.
* A certificate issued for another host name is refused the same way; pinned, it is the
  exact certificate that counts, not its name.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.dav.discovery import check_connection
from app.dav.session import normalize_fingerprint
from app.store import contacts as cs
from app.store.models import Binding, ItemState
from tests.servers.cards import simple_card
from tests.servers.dav_servers import (
    Certificate,
    DavServer,
    make_self_signed,
    start_radicale_tls,
)

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def tls_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("radicale-tls")


@pytest.fixture(scope="module")
def first_cert(tls_folder: Path) -> Certificate:
    return make_self_signed(tls_folder, "first")


@pytest.fixture(scope="module")
def tls_server(tls_folder: Path, first_cert: Certificate) -> Iterator[DavServer]:
    with start_radicale_tls(tls_folder / "server", first_cert) as server:
        yield server


class Cli:
    """`contactbox-sync` in-process with a data home: (exit code, stdout, stderr)."""

    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home = home
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = cli.main(["--home", str(self.home), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def json(self, *args: str) -> tuple[int, Any, str]:
        code, out, err = self(*args, "--json")
        return code, (json.loads(out) if out.strip() else None), err


@pytest.fixture
def run_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    return Cli(tmp_path / "home", capsys)


def _port(server: DavServer) -> int:
    return int(server.root_url.rstrip("/").rsplit(":", 1)[1])


def _local_state(book: str) -> tuple[dict[str, str], list[tuple[str, str]], list[str | None]]:
    """Everything a sync may write locally: the book's contacts, sync states, tokens."""
    contacts = {c.uid: c.vcard for c in cs.live_contacts(cs.get_book(book))}
    states = sorted((s.href, s.etag) for s in ItemState.select())
    tokens = [b.sync_token for b in Binding.select().order_by(Binding.id)]
    return contacts, states, tokens


def test_self_signed_is_refused_by_default_with_its_fingerprint(
    tls_server: DavServer,
    first_cert: Certificate,
    run_cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", tls_server.password)
    code, _, err = run_cli(
        "account", "add", "TLS", "--url", tls_server.root_url, "--user", tls_server.user
    )
    assert code == 1
    assert "nicht vertrauenswürdig" in err
    assert first_cert.fingerprint in err
    assert f"--trust-fingerprint {first_cert.fingerprint}" in err
    assert "Traceback" not in err and "SSLError" not in err  # no technical text for users
    code, accounts, _ = run_cli.json("account", "list")
    assert code == 0 and accounts == []  # nothing saved

    # Saved without a check, the account check refuses too and shows the fingerprint.
    code, _, err = run_cli(
        "account", "add", "TLS", "--url", tls_server.root_url, "--user", tls_server.user,
        "--no-check",
    )  # fmt: skip
    assert code == 0, err
    code, data, _ = run_cli.json("account", "check", "TLS")
    assert code == 1
    assert data["ok"] is False
    assert data["fingerprint"] == first_cert.fingerprint
    assert first_cert.fingerprint in data["message"]


def test_trusted_fingerprint_checks_and_syncs(
    tls_server: DavServer,
    first_cert: Certificate,
    run_cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = f"TLS {uuid.uuid4().hex[:6]}"
    book = tls_server.make_book(display_name=name)
    for i in range(3):
        tls_server.put_card(book, f"c{i}.vcf", simple_card(f"tls-{i}", f"Person{i} Sicher"))
    monkeypatch.setenv("CONTACTBOX_PASSWORD", tls_server.password)
    # typed in lower case without colons: any spelling of the same fingerprint
    typed = first_cert.fingerprint.replace(":", "").lower()
    code, _, err = run_cli(
        "account", "add", "TLS", "--url", tls_server.root_url, "--user", tls_server.user,
        "--trust-fingerprint", typed,
    )  # fmt: skip
    assert code == 0, err
    assert err == ""  # https: no warning
    code, data, _ = run_cli.json("account", "check", "TLS")
    assert code == 0 and data["ok"] is True, data
    code, report, err = run_cli.json("run", "TLS", "--book", name, "--mode", "import")
    assert code == 0, (report, err)
    assert report["totals"]["added_local"] == 3
    assert {c.uid for c in cs.live_contacts(cs.get_book(name))} == {
        "tls-0",
        "tls-1",
        "tls-2",
    }


def test_changed_certificate_is_refused_until_trusted_again(
    tmp_path: Path, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "srv"
    folder.mkdir()
    old_cert = make_self_signed(folder, "old")
    new_cert = make_self_signed(folder, "new")
    assert old_cert.fingerprint != new_cert.fingerprint
    name = "Wechsel"
    with start_radicale_tls(folder, old_cert) as server:
        port = _port(server)
        book = server.make_book(display_name=name)
        server.put_card(book, "a.vcf", simple_card("a", "Anna Alt"))
        monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
        code, _, err = run_cli(
            "account", "add", "TLS", "--url", server.root_url, "--user", server.user,
            "--trust-fingerprint", old_cert.fingerprint,
        )  # fmt: skip
        assert code == 0, err
        code, report, err = run_cli.json(
            "run", "TLS", "--book", name, "--mode", "sync", "--option", "server"
        )
        assert code == 0 and report["totals"]["added_local"] == 1, (report, err)
        # a change on the server that the refused run must not bring in
        server.put_card(book, "b.vcf", simple_card("b", "Bert Neu"))
        local = cs.find_contacts(cs.get_book(name), "a")[0]
        cs.update_contact(local, simple_card("a", "Anna Lokal"))
        before = _local_state(name)

    # The server comes back on the same address with another certificate.
    with start_radicale_tls(folder, new_cert, port=port) as server:
        code, report, err = run_cli.json("sync", "TLS")
        assert code == 1
        assert report["status"] == "failed"
        assert "hat sich geändert" in report["message"]
        assert new_cert.fingerprint in report["message"]
        assert "nichts abgeglichen" in report["message"]
        assert _local_state(name) == before  # nothing written locally
        assert server.list_cards(book)  # and nothing on the server was touched:
        assert "Anna Alt" in server.get_card(server.card_url(book, "a.vcf"))[0]

        code, data, _ = run_cli.json("account", "check", "TLS")
        assert code == 1 and data["fingerprint"] == new_cert.fingerprint

        # Re-trusting the new certificate: the sync runs and converges.
        code, _, err = run_cli("account", "set", "TLS", "--trust-fingerprint", new_cert.fingerprint)
        assert code == 0, err
        code, report, err = run_cli.json("sync", "TLS")
        assert code == 0, (report, err)
        assert report["totals"]["added_local"] == 1  # Bert
        assert report["totals"]["updated_server"] == 1  # Anna's local edit
        assert "Anna Lokal" in server.get_card(server.card_url(book, "a.vcf"))[0]
        assert {c.uid for c in cs.live_contacts(cs.get_book(name))} == {"a", "b"}


def test_certificate_for_another_host_name(tmp_path: Path) -> None:
    cert = make_self_signed(tmp_path, "other", hosts=("other.example",))
    with start_radicale_tls(tmp_path / "srv", cert) as server:
        refused = check_connection(server.root_url, None, "", "other", server.user, server.password)
        assert not refused.ok
        assert refused.fingerprint == cert.fingerprint
        assert cert.fingerprint in refused.message
        # Pinning trusts this exact certificate, whatever name it was issued for.
        pinned = check_connection(
            server.root_url, None, "", "other", server.user, server.password, cert.fingerprint
        )
        assert pinned.ok, pinned.message
        # A pin of another certificate is refused as "changed", with what was presented.
        wrong = make_self_signed(tmp_path, "wrong")
        changed = check_connection(
            server.root_url, None, "", "other", server.user, server.password, wrong.fingerprint
        )
        assert not changed.ok
        assert "hat sich geändert" in changed.message
        assert normalize_fingerprint(changed.fingerprint or "") == normalize_fingerprint(
            cert.fingerprint
        )
