"""The account dialog with a server typed without a scheme: https first, http only on a click.

Against a real Radicale, which serves plain http on 127.0.0.1:<port>. A recording TCP relay in
front of it shows what went over the wire: no Authorization header before the user clicked
"Unverschlüsselt (http) verbinden".
"""

from __future__ import annotations

import contextlib
import re
import socket
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.accounts import check_account
from app.store.models import Account
from app.store.users import add_user
from tests.servers.dav_servers import (
    Certificate,
    DavServer,
    free_port,
    make_self_signed,
    start_radicale_tls,
)
from ui.account_dialog import AccountDialog
from ui.calendar_account_dialog import CalendarAccountDialog

WAIT_MS = 20_000


class _Recorder(socketserver.BaseRequestHandler):
    """Relays one connection to the target and keeps every byte the client sent."""

    target: tuple[str, int] = ("127.0.0.1", 0)
    sent: list[bytes]
    lock: threading.Lock

    def handle(self) -> None:
        with socket.create_connection(self.target, timeout=30) as upstream:

            def pump(src: socket.socket, dst: socket.socket, keep: bool) -> None:
                with contextlib.suppress(OSError):
                    while data := src.recv(65536):
                        if keep:
                            with self.lock:
                                self.sent.append(data)
                        dst.sendall(data)
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)

            back = threading.Thread(target=pump, args=(upstream, self.request, False), daemon=True)
            back.start()
            pump(self.request, upstream, True)
            back.join(30)


@contextlib.contextmanager
def recording_relay(target_port: int) -> Iterator[tuple[int, list[bytes]]]:
    """127.0.0.1:<free port> -> 127.0.0.1:`target_port`; (port, what the clients sent)."""
    sent: list[bytes] = []
    handler = type(
        "Recorder",
        (_Recorder,),
        {"target": ("127.0.0.1", target_port), "sent": sent, "lock": threading.Lock()},
    )
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1]), sent
    finally:
        server.shutdown()
        server.server_close()


def sent_authorization(sent: list[bytes]) -> bool:
    return re.search(rb"(?im)^authorization:", b"".join(sent)) is not None


def port_of(server: DavServer) -> int:
    return int(server.root_url.rstrip("/").rsplit(":", 1)[1])


def make_dialog(qtbot: QtBot) -> AccountDialog:
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: AccountDialog, address: str, server: DavServer) -> None:
    dialog.label_edit.setText("Büro")
    dialog.username_edit.setText(server.user)
    dialog.password_edit.setText(server.password)
    dialog.server_edit.setText(address)


def wait_for_state(qtbot: QtBot, dialog: AccountDialog, state: str) -> None:
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == state, timeout=WAIT_MS)


@pytest.mark.servers
def test_bare_host_answering_only_http_is_offered_and_used_only_after_the_click(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    with recording_relay(port_of(radicale_server)) as (port, sent):
        address = f"127.0.0.1:{port}"
        dialog = make_dialog(qtbot)
        fill(dialog, address, radicale_server)
        wait_for_state(qtbot, dialog, "warning")

        # Said plainly, offered, not taken: the field still says what the user typed.
        text = dialog.status_text()
        assert text.startswith("⚠ ")
        assert "verschlüsselte Verbindung (https)" in text and "kam nicht zustande" in text
        assert f"http://{address}/" in text
        assert "Passwort" in text and "lesbar" in text and "Administrator" in text
        assert dialog.http_button.isVisible()
        assert dialog.http_button.text() == "Unverschlüsselt (http) verbinden"
        assert dialog.http_offer() == f"http://{address}/"
        assert dialog.server_edit.text() == address
        assert not dialog.ok_button.isEnabled()
        dialog.save()  # even asked directly: nothing is saved before the click
        assert Account.select().count() == 0
        assert dialog.saved_account_id is None
        # The probe went out without credentials: no password over http unasked.
        assert sent, "the probe never reached the server"
        assert not sent_authorization(sent)

        dialog.http_button.click()
        assert dialog.server_edit.text() == f"http://{address}"
        assert not dialog.http_button.isVisible()
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
        assert dialog.status_text().startswith("✔ Verbindung erfolgreich")
        assert not dialog.http_button.isVisible()
        assert sent_authorization(sent)  # now, after the user chose http
        dialog.ok_button.click()

        account = Account.get_by_id(dialog.saved_account_id)
        assert account.server == f"http://{address}"
        assert account.base_url == f"http://{address}/"
        assert check_account(account).ok


@pytest.mark.servers
def test_the_offer_goes_away_when_a_field_changes(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, f"127.0.0.1:{port_of(radicale_server)}", radicale_server)
    wait_for_state(qtbot, dialog, "warning")
    assert dialog.http_button.isVisible()
    dialog.path_edit.setText("/")
    assert not dialog.http_button.isVisible() and dialog.http_offer() == ""
    wait_for_state(qtbot, dialog, "warning")  # checked again: offered again
    assert dialog.http_button.isVisible()


@pytest.mark.servers
def test_explicit_http_is_taken_as_typed_without_an_offer(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, f"http://127.0.0.1:{port_of(radicale_server)}", radicale_server)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    assert not dialog.http_button.isVisible()


@pytest.mark.servers
@pytest.mark.parametrize("scheme", ["https://", ""])
def test_nothing_listening_gives_the_normal_error_and_no_offer(
    qtbot: QtBot, store: Path, radicale_server: DavServer, scheme: str
) -> None:
    port = free_port()
    dialog = make_dialog(qtbot)
    fill(dialog, f"{scheme}127.0.0.1:{port}", radicale_server)
    wait_for_state(qtbot, dialog, "error")
    assert dialog.status_text() == (
        f"✖ Der Server 127.0.0.1 lehnt Verbindungen auf Port {port} ab. Bitte prüfen Sie "
        "Port und Serveradresse."
    )
    assert not dialog.http_button.isVisible()
    assert not dialog.ok_button.isEnabled()


@pytest.mark.servers
def test_explicit_https_to_an_http_port_gets_the_tls_error_not_the_offer(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, f"https://127.0.0.1:{port_of(radicale_server)}", radicale_server)
    wait_for_state(qtbot, dialog, "error")
    assert "keine sichere Verbindung (HTTPS)" in dialog.status_text()
    assert not dialog.http_button.isVisible()


@pytest.fixture(scope="module")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_self_signed(tmp_path_factory.mktemp("tls-cert"), "offer")


@pytest.fixture(scope="module")
def tls_radicale(
    tmp_path_factory: pytest.TempPathFactory, tls_cert: Certificate
) -> Iterator[DavServer]:
    with start_radicale_tls(tmp_path_factory.mktemp("tls-radicale"), tls_cert) as server:
        yield server


@pytest.mark.servers
def test_bare_host_with_a_self_signed_certificate_goes_to_trust_not_to_http(
    qtbot: QtBot, store: Path, tls_radicale: DavServer, tls_cert: Certificate
) -> None:
    dialog = make_dialog(qtbot)
    fill(dialog, f"127.0.0.1:{port_of(tls_radicale)}", tls_radicale)
    wait_for_state(qtbot, dialog, "error")
    assert "nicht vertrauenswürdig" in dialog.status_text()
    assert tls_cert.fingerprint in dialog.status_text()
    assert dialog.trust_check.isVisible()
    assert not dialog.http_button.isVisible()
    dialog.trust_check.setChecked(True)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.ok_button.click()
    account = Account.get_by_id(dialog.saved_account_id)
    assert account.base_url == f"https://127.0.0.1:{port_of(tls_radicale)}/"


@pytest.mark.servers
def test_calendar_account_dialog_offers_http_the_same_way(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    user_id = add_user("Eva")
    dialog = CalendarAccountDialog(user_id)
    qtbot.addWidget(dialog)
    dialog.show()
    address = f"127.0.0.1:{port_of(radicale_server)}"
    fill(dialog, address, radicale_server)
    wait_for_state(qtbot, dialog, "warning")
    assert dialog.http_button.isVisible()
    assert not dialog.ok_button.isEnabled()
    dialog.http_button.click()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.ok_button.click()
    account = Account.get_by_id(dialog.saved_account_id)
    assert account.kind == "caldav" and account.base_url == f"http://{address}/"
