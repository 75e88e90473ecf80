"""The network's errors in English against real servers (issue 20): a wrong password, a
closed port, a port that never answers, a self-signed and a changed certificate (Radicale
over HTTPS, tests/servers/dav_servers.py), cards the server refuses — English under
`i18n.set_language("en")`, German by default; the kind of error is the same in both.
"""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app import i18n
from app.dav.carddav import CardDavClient
from app.dav.discovery import check_connection, discover_books
from app.dav.errors import AuthError, CardRejected, HostUnreachable, TlsError, kind_of_exception
from app.dav.session import DavSession
from tests.i18n_words import assert_no_german
from tests.servers.dav_servers import (
    Certificate,
    DavServer,
    free_port,
    make_self_signed,
    start_radicale_tls,
)

pytestmark = pytest.mark.servers


def _both(check: object) -> tuple[str, str]:
    """The message `check()` returns, in German (the default) and in English."""
    german = check()  # type: ignore[operator]
    i18n.set_language("en")
    try:
        return german, check()  # type: ignore[operator]
    finally:
        i18n.set_language("de")


def _port(server: DavServer) -> int:
    port = urlsplit(server.root_url).port
    assert port is not None
    return port


def test_wrong_password(radicale_server: DavServer) -> None:
    port = _port(radicale_server)
    results = []

    def check() -> str:
        result = check_connection("http://127.0.0.1", port, "", None, "alice", "falsch-42")
        results.append(result)
        return result.message

    german, english = _both(check)
    assert all(isinstance(r.error, AuthError) for r in results)
    assert german.startswith("Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch.")
    assert english == (
        "Login failed: the user name or password is wrong. Please check your login details."
    )
    assert "falsch-42" not in english
    assert_no_german(english, "wrong password")


def test_the_check_that_succeeds(radicale_server: DavServer) -> None:
    radicale_server.make_book()
    port = _port(radicale_server)

    def check() -> str:
        result = check_connection(
            "http://127.0.0.1", port, "", None, radicale_server.user, radicale_server.password
        )
        assert result.ok, result.message
        return result.message

    german, english = _both(check)
    assert re.fullmatch(r"Verbindung erfolgreich: \d+ Adressb(uch|ücher) gefunden\.", german)
    assert re.fullmatch(r"Connection successful: \d+ address books? found\.", english)
    n = int(re.findall(r"\d+", english)[0])
    assert english.endswith("address book found." if n == 1 else "address books found.")


def test_closed_port() -> None:
    port = free_port()
    errors = []

    def check() -> str:
        result = check_connection("http://127.0.0.1", port, "", None, "u", "p")
        errors.append(result.error)
        return result.message

    german, english = _both(check)
    assert all(isinstance(e, HostUnreachable) for e in errors)
    assert german == (
        f"Der Server 127.0.0.1 lehnt Verbindungen auf Port {port} ab. Bitte prüfen Sie "
        "Port und Serveradresse."
    )
    assert english == (
        f"The server 127.0.0.1 refuses connections on port {port}. Please check the port "
        "and the server address."
    )
    assert [kind_of_exception(e) for e in errors if e is not None] == ["network", "network"]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_a_server_that_never_answers(silent_port: int) -> None:
    def check() -> str:
        with (
            DavSession(f"http://127.0.0.1:{silent_port}/", "u", "p", timeout=1.0) as session,
            pytest.raises(HostUnreachable) as info,
        ):
            session.request("PROPFIND", "/", depth="0")
        return info.value.message

    german, english = _both(check)
    assert "antwortet nicht (Zeitüberschreitung)" in german
    assert english.startswith("The server 127.0.0.1 does not answer (timed out).")
    assert_no_german(english, "timeout")


# -- a self-signed certificate, then a changed one -----------------------------------------


@pytest.fixture(scope="module")
def tls_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("radicale-tls-english")


@pytest.fixture(scope="module")
def certificate(tls_folder: Path) -> Certificate:
    return make_self_signed(tls_folder, "english")


@pytest.fixture(scope="module")
def tls_server(tls_folder: Path, certificate: Certificate) -> Iterator[DavServer]:
    with start_radicale_tls(tls_folder / "server", certificate) as server:
        yield server


def test_self_signed_certificate(tls_server: DavServer, certificate: Certificate) -> None:
    port = _port(tls_server)
    results = []

    def check() -> str:
        result = check_connection("127.0.0.1", port, "", None, "alice", "wonderland-42")
        results.append(result)
        return result.message

    german, english = _both(check)
    assert all(isinstance(r.error, TlsError) for r in results)
    assert all(r.fingerprint == certificate.fingerprint for r in results)
    assert german.startswith("Das Zertifikat des Servers 127.0.0.1 ist nicht vertrauenswürdig")
    assert english == (
        "The certificate of the server 127.0.0.1 is not trusted (self-signed, expired, issued "
        "for another name or by an unknown authority). SHA-256 fingerprint: "
        f"{certificate.fingerprint} – check it with your administrator and trust the "
        "certificate only if it matches."
    )
    assert_no_german(english, "self-signed")


def test_changed_certificate(tls_server: DavServer, certificate: Certificate) -> None:
    port = _port(tls_server)
    other = "AB:" * 31 + "CD"

    def check() -> str:
        result = check_connection("127.0.0.1", port, "", None, "alice", "x", other)
        assert result.fingerprint == certificate.fingerprint
        return result.message

    german, english = _both(check)
    assert "hat sich geändert" in german
    assert english.startswith(
        "The certificate of the server 127.0.0.1 has changed and no longer matches the "
        "trusted certificate; nothing was synchronized."
    )
    assert certificate.fingerprint in english and "account settings" in english
    assert_no_german(english, "changed certificate")


def test_trusted_certificate_checks_in_english(
    tls_server: DavServer, certificate: Certificate
) -> None:
    i18n.set_language("en")
    tls_server.make_book()
    result = check_connection(
        "127.0.0.1", _port(tls_server), "", None, "alice", "wonderland-42", certificate.fingerprint
    )
    assert result.ok and result.message.startswith("Connection successful: ")


# -- the server refuses a card -------------------------------------------------------------


def _client(server: DavServer) -> CardDavClient:
    return CardDavClient(DavSession(server.root_url, server.user, server.password))


def test_a_refused_card(radicale_server: DavServer) -> None:
    book = radicale_server.make_book()
    client = _client(radicale_server)

    def refuse() -> str:
        with pytest.raises(CardRejected) as info:
            client.create(book, "keine vCard", name=f"x-{uuid.uuid4().hex[:6]}")
        return info.value.message_for("Ada Lovelace")

    german, english = _both(refuse)
    assert german.startswith(
        "Der Server hat den Kontakt „Ada Lovelace“ abgelehnt: ungültige vCard."
    )
    assert english == (
        "The server refused the contact “Ada Lovelace”: invalid vCard. The server gives no "
        "further reason (“Bad Request”, HTTP 400). The contact stays unchanged in Contactbox "
        "and will be uploaded again with the next sync. To have the server accept it, please "
        "correct it in Contactbox."
    )
    assert discover_books(client.session)  # the session still works


def test_a_card_with_a_uid_already_in_the_book(radicale_server: DavServer) -> None:
    book = radicale_server.make_book()
    client = _client(radicale_server)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:twice\r\nFN:Ada\r\nN:;Ada;;;\r\nEND:VCARD\r\n"
    client.create(book, card, name="first")

    def refuse() -> str:
        with pytest.raises(CardRejected) as info:
            client.create(book, card, name=f"x-{uuid.uuid4().hex[:6]}")
        assert info.value.status == 409
        return info.value.message_for("Ada")

    german, english = _both(refuse)
    assert "ein anderer Kontakt im Adressbuch hat dieselbe UID" in german
    assert english.startswith(
        "The server refused the contact “Ada”: another contact in the address book has the "
        "same UID."
    )
    assert "Check whether both are the same contact" in english
    assert_no_german(english, "duplicate UID")
