"""Find the user's address books from what was typed into the account dialog.

RFC 6764 (well-known URI) and RFC 6352 (principal -> addressbook-home-set -> books), with
shortcuts for users who paste a book or home URL directly, because in practice people type
anything from a bare host name to the full URL of one address book.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

from app.dav import xml
from app.dav.errors import (
    AccessDenied,
    CrossHostRedirect,
    DavError,
    HostUnreachable,
    NotCardDav,
    NotFound,
    ServerError,
    TlsError,
)
from app.dav.model import RemoteBook
from app.dav.session import DavResponse, DavSession

log = logging.getLogger(__name__)

# Default start path per server template; None = the server root.
PRESET_PATHS: dict[str, str] = {
    "nextcloud": "/remote.php/dav/",
    "owncloud": "/remote.php/dav/",
    "kerio": "/carddav/",  # Kerio Connect serves CardDAV below /carddav/
    "radicale": "/",
    "other": "/",
}

WELL_KNOWN = "/.well-known/carddav"


def build_base_url(server: str, port: int | None, path: str, preset: str | None) -> str:
    """Start URL from the dialog fields; a port or path typed by hand wins over the preset.

    "https://" unless the user typed "http://" or port 80; the preset only supplies the
    path when neither the path field nor the server field carried one.
    """
    text = (server or "").strip()
    if not text:
        raise HostUnreachable("Bitte geben Sie eine Serveradresse ein.", "leere Serveradresse")
    lowered = text.lower()
    typed_scheme = None
    if lowered.startswith(("http://", "https://")):
        typed_scheme = lowered.split(":", 1)[0]
        parts = urlsplit(text)
    else:
        parts = urlsplit("//" + text)
    try:
        host = parts.hostname
        typed_port = parts.port
    except ValueError:
        raise HostUnreachable(
            "Die Serveradresse ist ungültig.", f"Serveradresse {server!r}"
        ) from None
    if not host:
        raise HostUnreachable("Die Serveradresse ist ungültig.", f"Serveradresse {server!r}")
    eff_port = port or typed_port
    if typed_scheme:
        scheme = typed_scheme
    elif eff_port == 80:
        scheme = "http"
    else:
        scheme = "https"

    typed_path = (path or "").strip()
    server_path = parts.path if parts.path not in ("", "/") else ""
    preset_key = (preset or "other").lower()
    chosen = typed_path or server_path or PRESET_PATHS.get(preset_key, "/")
    if not chosen.startswith("/"):
        chosen = "/" + chosen
    if not chosen.endswith("/"):
        chosen += "/"

    host_part = f"[{host}]" if ":" in host else host
    default_port = 443 if scheme == "https" else 80
    netloc = host_part if not eff_port or eff_port == default_port else f"{host_part}:{eff_port}"
    return urlunsplit((scheme, netloc, chosen, "", ""))


def _propfind(
    session: DavSession, url: str, body: bytes, depth: str
) -> tuple[DavResponse, xml.Multistatus] | None:
    """PROPFIND that returns None (instead of raising) when the URL is simply not DAV."""
    try:
        resp = session.request(
            "PROPFIND", url, body=body, depth=depth, accept=(400, 403, 404, 405, 501)
        )
    except (NotFound, AccessDenied):
        return None
    except ServerError as exc:
        if exc.status >= 500:
            raise
        return None
    if resp.status != 207:
        return None
    try:
        ms = xml.parse_multistatus(resp.content, resp.url)
    except xml.XmlError as exc:
        log.info("Keine gültige DAV-Antwort von %s: %s", resp.url, exc)
        return None
    return resp, ms


def _is_book(entry: xml.Entry) -> bool:
    """True if the entry's resourcetype contains CARD:addressbook."""
    return xml.ADDRESSBOOK in entry.child_tags(xml.RESOURCETYPE)


def _book_from(entry: xml.Entry) -> RemoteBook:
    """RemoteBook from a PROPFIND entry (href always with a trailing slash)."""
    href = entry.href if entry.href.endswith("/") else entry.href + "/"
    name = entry.text(xml.DISPLAYNAME) or ""
    if not name:
        name = unquote(xml.canonical_path(href).rstrip("/").rsplit("/", 1)[-1]) or href
    reports = entry.child_tags(xml.SUPPORTED_REPORT_SET)
    return RemoteBook(
        href=href,
        display_name=name,
        description=entry.text(xml.ADDRESSBOOK_DESCRIPTION) or "",
        ctag=entry.text(xml.GETCTAG) or None,
        sync_token=entry.text(xml.SYNC_TOKEN) or None,
        supports_sync_collection=xml.SYNC_COLLECTION in reports,
        vcard_versions=xml.address_data_versions(entry),
    )


def _books_in_home(session: DavSession, home: str) -> list[RemoteBook] | None:
    """Depth-1 PROPFIND on a home: every child collection that is an address book."""
    found = _propfind(session, home, xml.books_propfind(), "1")
    if found is None:
        return None
    _resp, ms = found
    books: dict[str, RemoteBook] = {}
    for entry in ms:
        if entry.ok and _is_book(entry):
            book = _book_from(entry)
            books.setdefault(book.href, book)
    return list(books.values())


def discover_books(session: DavSession, *, path_hint: str | None = None) -> list[RemoteBook]:
    """List the user's address books, starting at `path_hint` or the session's base URL.

    Order: the URL itself is a book -> that book; else its home set or principal; else
    /.well-known/carddav, then "/" for the current-user-principal; then the home set and
    a depth-1 listing of it. Raises NotCardDav if none of that leads anywhere.
    """
    start = session.url_for(path_hint) if path_hint else session.base_url
    redirect_error: CrossHostRedirect | None = None
    saw_dav = False

    principal: str | None = None
    homes: list[str] = []

    candidates = [start]
    root = session.url_for("/")
    for extra in (session.url_for(WELL_KNOWN), root):
        if extra not in candidates:
            candidates.append(extra)

    for index, url in enumerate(candidates):
        try:
            found = _propfind(session, url, xml.principal_propfind(), "0")
        except CrossHostRedirect as exc:
            redirect_error = redirect_error or exc
            continue
        if found is None:
            continue
        resp, ms = found
        saw_dav = True
        target = ms.find(xml.normalize_href(resp.url, resp.url) or "") or (
            ms.entries[0] if ms.entries else None
        )
        if target is None:
            continue
        if index == 0 and _is_book(target):
            return [_book_from(target)]
        homes = [
            h
            for raw in target.hrefs(xml.ADDRESSBOOK_HOME_SET)
            if (h := xml.normalize_href(raw, resp.url)) is not None
        ]
        principals = [
            p
            for raw in target.hrefs(xml.CURRENT_USER_PRINCIPAL)
            if (p := xml.normalize_href(raw, resp.url)) is not None
        ]
        if homes:
            break
        if principals:
            principal = principals[0]
            break
        if index == 0:
            # A plain collection (e.g. a home typed by hand without principal props):
            # look one level down before wandering off to the well-known URI.
            books = _books_in_home(session, resp.url)
            if books:
                return books

    if not homes and principal is not None:
        found = _propfind(session, principal, xml.home_set_propfind(), "0")
        if found is not None:
            resp, ms = found
            entry = ms.find(principal) or (ms.entries[0] if ms.entries else None)
            if entry is not None:
                homes = [
                    h
                    for raw in entry.hrefs(xml.ADDRESSBOOK_HOME_SET)
                    if (h := xml.normalize_href(raw, resp.url)) is not None
                ]
        if not homes:
            # Some servers put the books straight under the principal.
            books = _books_in_home(session, principal)
            if books:
                return books

    if homes:
        result: list[RemoteBook] = []
        listed_any = False
        for home in homes:
            books = _books_in_home(session, home)
            if books is None:
                continue
            listed_any = True
            for book in books:
                if all(not xml.same_href(book.href, b.href) for b in result):
                    result.append(book)
        if listed_any:
            return result

    if redirect_error is not None:
        raise redirect_error
    raise NotCardDav(
        detail=(
            f"kein Adressbuch unter {start} gefunden"
            + (" (WebDAV vorhanden, aber kein CardDAV)" if saw_dav else "")
        )
    )


def book_state(session: DavSession, href: str) -> RemoteBook:
    """Depth-0 PROPFIND of one book: ctag and sync token for the cheap "changed?" check."""
    resp = session.request("PROPFIND", href, body=xml.books_propfind(), depth="0")
    if resp.status != 207:
        raise ServerError(
            detail=f"PROPFIND {href} -> HTTP {resp.status} statt 207", status=resp.status
        )
    try:
        ms = xml.parse_multistatus(resp.content, resp.url)
    except xml.XmlError as exc:
        raise ServerError(detail=f"PROPFIND {href}: {exc}", status=resp.status) from None
    entry = ms.find(xml.normalize_href(href, session.url_for(href)) or href) or (
        ms.entries[0] if ms.entries else None
    )
    if entry is None or entry.status in (404, 410):  # Xandikos: 207 with a 404 entry
        raise NotFound(detail=f"PROPFIND {href}: kein Adressbuch (mehr) unter dieser Adresse")
    if not _is_book(entry):
        raise NotCardDav(
            "Unter dieser Adresse liegt kein Adressbuch mehr.", f"{href} ist kein Adressbuch"
        )
    return _book_from(entry)


# ---------------------------------------------------------------------------
# The "Verbindung prüfen" button


@dataclass
class ConnectionResult:
    """Outcome of a connection check, ready for the account dialog."""

    ok: bool
    books: list[RemoteBook] = field(default_factory=list)
    error: DavError | None = None
    message: str = ""
    base_url: str = ""
    fingerprint: str | None = None  # set when the TLS certificate was not trusted


def _books_message(n: int) -> str:
    if n == 0:
        return "Verbindung erfolgreich, aber es wurde kein Adressbuch gefunden."
    if n == 1:
        return "Verbindung erfolgreich: 1 Adressbuch gefunden."
    return f"Verbindung erfolgreich: {n} Adressbücher gefunden."


def check_connection(
    server: str,
    port: int | None,
    path: str,
    preset: str | None,
    username: str,
    password: str,
    pinned_sha256: str | None = None,
    *,
    timeout: float = 15.0,
) -> ConnectionResult:
    """Build the URL, log in and list the books; never raises, reports in German instead."""
    base_url = ""
    try:
        base_url = build_base_url(server, port, path, preset)
        with DavSession(
            base_url, username, password, pinned_sha256=pinned_sha256, timeout=timeout
        ) as session:
            books = discover_books(session)
    except TlsError as exc:
        return ConnectionResult(
            ok=False,
            error=exc,
            message=exc.message,
            base_url=base_url,
            fingerprint=exc.fingerprint,
        )
    except DavError as exc:
        return ConnectionResult(ok=False, error=exc, message=exc.message, base_url=base_url)
    except ValueError as exc:  # a malformed pinned fingerprint
        err = DavError("Der gespeicherte Zertifikats-Fingerabdruck ist ungültig.", str(exc))
        return ConnectionResult(ok=False, error=err, message=err.message, base_url=base_url)
    except Exception as exc:  # a bug must not crash the dialog; it is logged in full
        log.exception("Verbindungsprüfung fehlgeschlagen")
        err = DavError(detail=f"{type(exc).__name__}: {exc}")
        return ConnectionResult(ok=False, error=err, message=err.message, base_url=base_url)
    return ConnectionResult(
        ok=True, books=books, message=_books_message(len(books)), base_url=base_url
    )
