"""The network's and the accounts' texts in English (issue 20): every error kind of
app/dav/errors.py and app/dav/error_map.py, every refusal reason, the password store's and
the accounts' messages — English under `i18n.set_language("en")`, German by default.

The server's own words in a refusal stay verbatim (they may well be German); they are
taken out before a text is checked for German. The servers themselves (wrong password,
closed port, self-signed certificate, refused card) are in tests/servers/test_dav_english.py.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail as fail_backend

from app import accounts, i18n, secrets
from app.dav import caldav, errors, xml
from app.dav.error_map import map_exception, status_error_of
from app.dav.errors import (
    AuthError,
    CrossHostRedirect,
    DavError,
    HostUnreachable,
    ServerError,
    TlsError,
    kind_of_exception,
)
from app.dav.http import DecodeError, ProtocolError
from app.dav.refusal import CARD_REFUSALS, EVENT_REFUSALS, Refusals, ServerWords
from app.dav.response import DavResponse, check_content_type
from app.dav.tls import normalize_fingerprint, plain_http_warning
from tests.i18n_words import assert_no_german
from tests.servers.dav_servers import free_port

CAPTURED = Path(__file__).parent / "refusals"


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def _all_subclasses(cls: type[DavError]) -> list[type[DavError]]:
    out: list[type[DavError]] = []
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


# -- every error class's own message -------------------------------------------------------


def _classes() -> list[type[DavError]]:
    """Every DavError class (the calendar's from app.dav.caldav, imported above, too)."""
    found: set[type[DavError]] = {DavError, *_all_subclasses(DavError)}
    found.discard(CrossHostRedirect)  # needs its target: tested below
    assert caldav.NotCalDav in found and caldav.EventRejected in found
    return sorted(found, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", _classes(), ids=lambda c: c.__name__)
def test_every_error_class_speaks_english_and_german(cls: type[DavError]) -> None:
    german = cls().message
    assert german == cls.default_message
    with pytest.raises(AssertionError):
        assert_no_german(german)
    i18n.set_language("en")
    english = cls().message
    assert english != german
    assert_no_german(english, cls.__name__)
    assert str(cls(detail="PUT /x -> HTTP 500")) == f"{english} (PUT /x -> HTTP 500)"


def test_a_cross_host_redirect(english: None) -> None:
    exc = CrossHostRedirect("https://other.example.org/dav/")
    assert "other.example.org" in exc.message and "other.example.org/dav/" in exc.detail
    assert_no_german([exc.message, exc.detail])


# -- every HTTP status error_map names -----------------------------------------------------

STATUSES = [
    (401, {}, AuthError, "Login failed"),
    (401, {"www-authenticate": 'Basic realm="Nextcloud"'}, AuthError, "app password"),
    (401, {"www-authenticate": 'Basic realm="ownCloud"'}, AuthError, "ownCloud under Settings"),
    (403, {}, errors.AccessDenied, "denies access"),
    (404, {}, errors.NotFound, "not found"),
    (410, {}, errors.NotFound, "not found"),
    (429, {}, ServerError, "busy"),
    (503, {}, ServerError, "maintenance"),
    (507, {}, ServerError, "quota"),
    (500, {}, ServerError, "reported an error"),
    (502, {}, ServerError, "reported an error"),
    (418, {}, ServerError, "(HTTP 418)"),
]


@pytest.mark.parametrize(("status", "headers", "cls", "said"), STATUSES)
def test_every_status_in_english(
    status: int, headers: dict[str, str], cls: type[DavError], said: str
) -> None:
    resp = DavResponse(status, headers, b"", "https://dav.example.org/x", "PROPFIND")
    german = status_error_of(resp, "detail")
    i18n.set_language("en")
    english = status_error_of(resp, "detail")
    assert type(english) is type(german) is cls
    assert said in english.message and english.message != german.message
    assert_no_german(english.message, f"HTTP {status}")
    assert kind_of_exception(english) == kind_of_exception(german)  # what scripts read


def test_the_app_password_hint_in_both_languages() -> None:
    resp = DavResponse(401, {"www-authenticate": 'Basic realm="Nextcloud"'}, b"", "/", "GET")
    assert "verlangt Nextcloud ein App-Passwort" in status_error_of(resp, "").message
    i18n.set_language("en")
    assert "Nextcloud needs an app password" in status_error_of(resp, "").message


def test_the_servers_words_are_quoted_verbatim_in_english(english: None) -> None:
    from app.dav.session import DavSession

    with DavSession("http://127.0.0.1:9/", "anna", "Geheim-123") as session:
        body = b"Wartungsarbeiten bis 18 Uhr"
        exc = session._status_error(DavResponse(503, {}, body, "/x", "PUT"))
    assert exc.message.endswith("The server said: “Wartungsarbeiten bis 18 Uhr”.")
    assert_no_german(exc.message.replace("Wartungsarbeiten bis 18 Uhr", ""))


# -- every exception error_map names -------------------------------------------------------


def _wrapped(cause: BaseException) -> ProtocolError:
    """As app.dav.http raises a connection lost while an answer was awaited or read."""
    exc = ProtocolError("Connection aborted")
    exc.__cause__ = cause
    return exc


def _closed_port() -> int:
    return free_port()


EXCEPTIONS = [
    ("timeout", lambda: TimeoutError("timed out"), "timed out"),
    ("name", lambda: socket.gaierror(-2, "Name or service not known"), "not found"),
    ("refused", lambda: ConnectionRefusedError(111, "refused"), "refuses connections"),
    ("url", lambda: http.client.InvalidURL("bad"), "server address is not valid"),
    ("decode", lambda: DecodeError("gzip"), "badly compressed"),
    ("cut", lambda: _wrapped(http.client.IncompleteRead(b"", 10)), "broke off"),
    ("reset", lambda: ConnectionResetError(104, "reset"), "closed the connection"),
    ("connection", lambda: OSError(101, "Network is unreachable"), "cannot be reached"),
    ("other", lambda: RuntimeError("odd"), "connection to the server failed"),
    ("tls", lambda: ssl.SSLError("handshake"), "No secure connection"),
]


@pytest.mark.parametrize(("case", "make", "said"), EXCEPTIONS, ids=[e[0] for e in EXCEPTIONS])
def test_every_network_failure_in_english(
    case: str, make: Callable[[], BaseException], said: str
) -> None:
    url = f"https://dav.example.org:{_closed_port()}/remote.php/dav/"
    if case == "tls":  # the fingerprint is read from the port: nothing listens there
        url = f"https://127.0.0.1:{_closed_port()}/"

    def mapped() -> DavError:
        return map_exception(
            make(), url, default_host="dav.example.org", pinned_sha256=None, timeout=2.0
        )

    german = mapped()
    i18n.set_language("en")
    english = mapped()
    assert type(english) is type(german)
    assert said in english.message, english.message
    assert english.message != german.message
    assert_no_german(english.message, case)
    assert kind_of_exception(english) == kind_of_exception(german)


def test_a_web_page_instead_of_an_answer(english: None) -> None:
    page = DavResponse(200, {"content-type": "text/html"}, b"<html>", "/x", "GET")
    with pytest.raises(ServerError) as info:
        check_content_type(page)
    assert "web page instead of a DAV answer" in info.value.message
    assert_no_german(info.value.message)


# -- refusals: every reason, both kinds ----------------------------------------------------

C, D, K = xml.CALDAV, xml.DAV, xml.CARD
REASONS = [
    ((f"{{{K}}}no-uid-conflict",), 409, ("/b/K%C3%A4the%20alt.vcf",), "same UID (“Käthe alt.vcf”)"),
    ((f"{{{K}}}no-uid-conflict",), 409, (), "same UID."),
    ((f"{{{K}}}max-resource-size",), 403, (), "too large for the server"),
    ((), 413, (), "too large for the server"),
    ((f"{{{D}}}quota-not-exceeded",), 403, (), "no free space left"),
    ((), 507, (), "no free space left"),
    ((f"{{{D}}}need-privileges",), 403, (), "no write permission"),
    ((f"{{{C}}}supported-calendar-component",), 403, (), "does not take appointments"),
    ((f"{{{C}}}max-date-time",), 403, (), "a date outside the period"),
    ((f"{{{C}}}max-instances",), 403, (), "too many repetitions"),
    ((f"{{{C}}}max-attendees-per-instance",), 403, (), "too many attendees"),
    ((f"{{{K}}}supported-address-data",), 403, (), "does not accept this"),
    ((f"{{{K}}}valid-address-data",), 403, (), "invalid"),
    ((), 400, (), "invalid"),
    ((), 403, (), "does not allow saving it"),
    ((), 409, (), "a conflict with an existing entry"),
    (("{urn:example:acme}card-limit",), 418, (), "condition card-limit (urn:example:acme)"),
    ((), 418, (), "refused the"),
]


@pytest.mark.parametrize("refusals", [CARD_REFUSALS, EVENT_REFUSALS], ids=["card", "event"])
@pytest.mark.parametrize(("conditions", "status", "hrefs", "said"), REASONS)
def test_every_refusal_reason_in_english(
    refusals: Refusals,
    conditions: tuple[str, ...],
    status: int,
    hrefs: tuple[str, ...],
    said: str,
) -> None:
    words = ServerWords(conditions, "", hrefs)
    german = refusals.refusal(status, words).text("Ada Lovelace")
    assert german.startswith("Der Server hat den ")
    i18n.set_language("en")
    refusal = refusals.refusal(status, words)
    kind = "contact" if refusals is CARD_REFUSALS else "appointment"
    named = refusal.text("Ada Lovelace")
    assert named.startswith(f"The server refused the {kind} “Ada Lovelace”: ")
    assert refusal.text().startswith(f"The server refused the {kind}: ")
    assert said in named, named
    assert f"The {kind} stays unchanged in Contactbox" in named
    assert_no_german(named.replace("Käthe", ""), f"{kind} {status} {conditions}")


def test_the_servers_message_in_an_english_refusal(english: None) -> None:
    words = ServerWords((), "Ungültige vCard: N fehlt")
    text = CARD_REFUSALS.refusal(415, words).text("Ada")
    assert "The server said: “Ungültige vCard: N fehlt”." in text
    assert "correct it in Contactbox (see the server's message)" in text
    assert_no_german(text.replace("Ungültige vCard: N fehlt", ""))
    quiet = CARD_REFUSALS.refusal(400, ServerWords((), "Bad Request")).text()
    assert "The server gives no further reason (“Bad Request”, HTTP 400)." in quiet


def _captured(name: str) -> DavResponse:
    raw = (CAPTURED / name).read_bytes()
    head, _, body = raw.partition(b"\n\n")
    lines = head.decode().splitlines()
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return DavResponse(int(lines[0].split()[1]), headers, body, "http://127.0.0.1/x", "PUT")


@pytest.mark.parametrize("name", sorted(p.name for p in CAPTURED.glob("*.http")))
def test_every_recorded_refusal_in_english(name: str) -> None:
    from app.dav.refusal import read_server_words

    resp = _captured(name)
    words = read_server_words(resp)
    refusals = EVENT_REFUSALS if "event" in name else CARD_REFUSALS
    german = refusals.refusal(resp.status, words).text("Ada")
    i18n.set_language("en")
    english = refusals.refusal(resp.status, words).text("Ada")
    assert english.startswith("The server refused the ") and german.startswith("Der Server")
    if words.message:
        assert f"“{words.message}”" in english  # the server's words, verbatim
    assert_no_german(english.replace(words.message, ""), name)


# -- TLS and plain http ---------------------------------------------------------------------


def test_plain_http_warning_and_a_bad_fingerprint(english: None) -> None:
    warning = plain_http_warning("http://dav.example.org/")
    assert warning is not None and warning.startswith("The connection to dav.example.org")
    assert "your password and contacts are sent as plain text" in warning
    calendar = plain_http_warning("http://dav.example.org/", "appointments")
    assert calendar is not None and "password and appointments" in calendar
    with pytest.raises(ValueError) as info:
        normalize_fingerprint("xyz")
    assert_no_german([warning, calendar, str(info.value)])
    i18n.set_language("de")
    assert "Passwort und Kontakte werden" in (plain_http_warning("http://a.example/") or "")


def test_tls_error_keeps_its_fingerprint_whatever_the_language(english: None) -> None:
    exc = TlsError(fingerprint="AB:CD")
    assert exc.fingerprint == "AB:CD" and "not trusted" in exc.message


# -- the password store and the accounts ----------------------------------------------------


@pytest.fixture
def no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail_backend.Keyring())  # type: ignore[no-untyped-call]
    path = tmp_path / "cfg" / "passwords.json"
    monkeypatch.setenv(secrets.PASSWORD_FILE_ENV, str(path))
    yield path
    keyring.set_keyring(previous)
    secrets.choose_store(None)
    secrets.forget_session()


def test_password_store_texts_in_english(no_keyring: Path, store: Path, english: None) -> None:
    with pytest.raises(secrets.NoPasswordStore) as saving:
        secrets.set_password(7, "geheim-123")
    assert saving.value.general and "No password store (keyring) was found" in str(saving.value)
    with pytest.raises(secrets.NoPasswordStore) as reading:
        secrets.get_password(7)
    assert not reading.value.general and "--password-stdin" in str(reading.value)
    secrets.choose_store(secrets.STORE_FILE)
    secrets.set_password(8, "geheim-123")
    with pytest.raises(secrets.SecretError) as missing:
        secrets.get_password(9)
    no_keyring.write_text("{kaputt", encoding="utf-8")
    with pytest.raises(secrets.SecretError) as damaged:
        secrets.get_password(8)
    assert "is damaged" in str(damaged.value)
    texts = [str(e.value) for e in (saving, reading, missing, damaged)]
    assert_no_german(texts, "password store")


def test_password_store_texts_stay_german_by_default(no_keyring: Path, store: Path) -> None:
    with pytest.raises(secrets.NoPasswordStore) as saving:
        secrets.set_password(7, "geheim-123")
    assert str(saving.value) == secrets.NO_STORE_MESSAGE


def test_account_errors_in_english(store: Path, english: None) -> None:
    found: list[str] = []
    call: Callable[[], object]
    for call in (
        lambda: accounts.get_account("Nix"),
        lambda: accounts.add_account(" ", server="dav.example.org", username="a", password="p"),
        lambda: accounts.add_account("A", server="h", username="a", password="p", group_style="x"),
    ):
        with pytest.raises(accounts.AccountError) as info:
            call()
        found.append(str(info.value))
    accounts.add_account("NC", server="dav.example.org", username="a", password="p")
    for call in (
        lambda: accounts.get_account("Nix"),
        lambda: accounts.add_account("NC", server="dav.example.org", username="a", password="p"),
    ):
        with pytest.raises(accounts.AccountError) as info:
            call()
        found.append(str(info.value))
    assert found == [
        "There is no account “Nix” (there are no accounts yet).",
        "Please enter a name for the account.",
        "“x” is not a way of writing groups (possible: categories, cards, both).",
        "There is no account “Nix” (existing accounts: NC).",
        "An account “NC” already exists.",
    ]
    assert_no_german(found, "accounts")
    with pytest.raises(HostUnreachable) as empty:
        accounts.add_account("B", server="", username="a", password="p")
    assert empty.value.message == "Please enter a server address."
