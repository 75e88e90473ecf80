"""Find the user's address books from what was typed into the account dialog.

RFC 6764 (well-known URI) and RFC 6352 (principal -> addressbook-home-set -> books), with
shortcuts for users who paste a book or home URL directly, because in practice people type
anything from a bare host name to the full URL of one address book. The walk to the home
set and the listing of homes are generic (`CollectionKind`): `app.dav.caldav` finds the
user's calendars with the same code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar
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
from app.i18n import _, ngettext

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


def typed_scheme(server: str) -> str | None:
    """The scheme typed in the server field ("http", "https"), or None for a bare host."""
    lowered = (server or "").strip().lower()
    for scheme in ("http", "https"):
        if lowered.startswith(scheme + "://"):
            return scheme
    return None


def build_base_url(server: str, port: int | None, path: str, preset: str | None) -> str:
    """Start URL from the dialog fields; a port or path typed by hand wins over the preset.

    "https://" unless the user typed "http://" or port 80; the preset only supplies the
    path when neither the path field nor the server field carried one.
    """
    text = (server or "").strip()
    if not text:
        raise HostUnreachable(
            _("Bitte geben Sie eine Serveradresse ein."), _("leere Serveradresse")
        )
    typed = typed_scheme(text)
    parts = urlsplit(text if typed else "//" + text)
    try:
        host = parts.hostname
        typed_port = parts.port
    except ValueError:
        raise HostUnreachable(
            _("Die Serveradresse ist ungültig."),
            _("Serveradresse {server}").format(server=repr(server)),
        ) from None
    if not host:
        raise HostUnreachable(
            _("Die Serveradresse ist ungültig."),
            _("Serveradresse {server}").format(server=repr(server)),
        )
    eff_port = port or typed_port
    if typed:
        scheme = typed
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


T = TypeVar("T", bound="Listed")


class Listed(Protocol):
    """A collection as discovery hands it out (RemoteBook, RemoteCalendar)."""

    @property
    def href(self) -> str: ...


@dataclass(frozen=True)
class CollectionKind(Generic[T]):
    """What discovery looks for: address books or calendars."""

    well_known: str  # RFC 6764 URI, e.g. "/.well-known/carddav"
    resource_type: str  # Clark name in DAV:resourcetype, e.g. CARD:addressbook
    home_set: str  # the principal's property naming the homes
    props: tuple[str, ...]  # what a listing asks for, all `make` needs
    make: Callable[[xml.Entry], T]  # a listed entry -> the collection

    def is_collection(self, entry: xml.Entry) -> bool:
        """True if the entry's resourcetype says it is such a collection."""
        return self.resource_type in entry.child_tags(xml.RESOURCETYPE)


@dataclass
class HomeSearch(Generic[T]):
    """Where the walk from the start URL ended; at most one of the first three is set."""

    start: str  # the URL the walk started at
    collection: T | None = None  # the start URL is itself a collection
    direct: list[T] = field(default_factory=list)  # collections just below the start URL
    homes: list[str] = field(default_factory=list)  # the home set (canonical paths)
    direct_home: str = ""  # with `direct`: the start URL as a canonical path
    principal: str | None = None  # a principal that named no home
    redirect_error: CrossHostRedirect | None = None  # a candidate redirected elsewhere
    saw_dav: bool = False  # some candidate answered PROPFIND


def collection_href_and_name(entry: xml.Entry) -> tuple[str, str]:
    """A listed collection's href (always with a trailing slash) and its display name.

    Without a DAV:displayname the last path segment names it.
    """
    href = entry.href if entry.href.endswith("/") else entry.href + "/"
    name = entry.text(xml.DISPLAYNAME) or ""
    if not name:
        name = unquote(xml.canonical_path(href).rstrip("/").rsplit("/", 1)[-1]) or href
    return href, name


def _hrefs(entry: xml.Entry, prop: str, base: str) -> list[str]:
    """The hrefs in a property, as canonical paths on this server (others dropped)."""
    return [h for raw in entry.hrefs(prop) if (h := xml.normalize_href(raw, base)) is not None]


def collections_in_home(session: DavSession, home: str, kind: CollectionKind[T]) -> list[T] | None:
    """Depth-1 PROPFIND on a home: every child that is such a collection; None if not DAV."""
    found = _propfind(session, home, xml.propfind_body(kind.props), "1")
    if found is None:
        return None
    _resp, ms = found
    listed: dict[str, T] = {}
    for entry in ms:
        if entry.ok and kind.is_collection(entry):
            item = kind.make(entry)
            listed.setdefault(item.href, item)
    return list(listed.values())


def collections_in_homes(
    session: DavSession,
    homes: list[str],
    kind: CollectionKind[T],
    keep: Callable[[T], bool] = lambda _item: True,
) -> list[T] | None:
    """The collections of every home that `keep` accepts, once each; None if none listed."""
    result: list[T] = []
    listed_any = False
    for home in homes:
        listed = collections_in_home(session, home, kind)
        if listed is None:
            continue
        listed_any = True
        for item in listed:
            if keep(item) and all(not xml.same_href(item.href, r.href) for r in result):
                result.append(item)
    return result if listed_any else None


def search_homes(
    session: DavSession, path_hint: str | None, kind: CollectionKind[T]
) -> HomeSearch[T]:
    """Walk from the start URL to the user's home set (RFC 6764, RFC 6352/4791).

    Candidates: the start URL (`path_hint` or the session's base URL), the well-known URI,
    then "/". The start URL may itself be a collection, or a plain folder of collections;
    otherwise the first candidate naming a home set or a current-user-principal ends the
    walk, and a principal is asked for its home set.
    """
    start = session.url_for(path_hint) if path_hint else session.base_url
    search: HomeSearch[T] = HomeSearch(start=start)
    body = xml.propfind_body((xml.CURRENT_USER_PRINCIPAL, kind.home_set, *kind.props))
    candidates = [start]
    for extra in (session.url_for(kind.well_known), session.url_for("/")):
        if extra not in candidates:
            candidates.append(extra)
    principal: str | None = None
    for index, url in enumerate(candidates):
        try:
            found = _propfind(session, url, body, "0")
        except CrossHostRedirect as exc:
            search.redirect_error = search.redirect_error or exc
            continue
        if found is None:
            continue
        resp, ms = found
        search.saw_dav = True
        target = ms.find(xml.normalize_href(resp.url, resp.url) or "") or (
            ms.entries[0] if ms.entries else None
        )
        if target is None:
            continue
        if index == 0 and kind.is_collection(target):
            search.collection = kind.make(target)
            return search
        search.homes = _hrefs(target, kind.home_set, resp.url)
        principals = _hrefs(target, xml.CURRENT_USER_PRINCIPAL, resp.url)
        if search.homes:
            return search
        if principals:
            principal = principals[0]
            break
        if index == 0:
            # A plain collection (e.g. a home typed by hand without principal props):
            # look one level down before wandering off to the well-known URI.
            direct = collections_in_home(session, resp.url, kind)
            if direct:
                search.direct = direct
                search.direct_home = xml.normalize_href(resp.url, resp.url) or resp.url
                return search
    if principal is not None:
        search.principal = principal
        body = xml.propfind_body((kind.home_set, xml.RESOURCETYPE))
        found = _propfind(session, principal, body, "0")
        if found is not None:
            resp, ms = found
            entry = ms.find(principal) or (ms.entries[0] if ms.entries else None)
            if entry is not None:
                search.homes = _hrefs(entry, kind.home_set, resp.url)
    return search


def collection_entry(session: DavSession, href: str, props: tuple[str, ...]) -> xml.Entry | None:
    """Depth-0 PROPFIND of one collection: its own entry, None if the answer lists none."""
    resp = session.request("PROPFIND", href, body=xml.propfind_body(props), depth="0")
    if resp.status != 207:
        raise ServerError(
            detail=f"PROPFIND {href} -> HTTP {resp.status} statt 207", status=resp.status
        )
    try:
        ms = xml.parse_multistatus(resp.content, resp.url)
    except xml.XmlError as exc:
        raise ServerError(detail=f"PROPFIND {href}: {exc}", status=resp.status) from None
    return ms.find(xml.normalize_href(href, session.url_for(href)) or href) or (
        ms.entries[0] if ms.entries else None
    )


# ---------------------------------------------------------------------------
# Address books


def _book_from(entry: xml.Entry) -> RemoteBook:
    """RemoteBook from a PROPFIND entry (href always with a trailing slash)."""
    href, name = collection_href_and_name(entry)
    reports = entry.child_tags(xml.SUPPORTED_REPORT_SET)
    return RemoteBook(
        href=href,
        display_name=name,
        description=entry.text(xml.ADDRESSBOOK_DESCRIPTION) or "",
        ctag=entry.text(xml.GETCTAG) or None,
        sync_token=entry.text(xml.SYNC_TOKEN) or None,
        supports_sync_collection=xml.SYNC_COLLECTION in reports,
        vcard_versions=xml.address_data_versions(entry),
        read_only=xml.read_only(entry),
    )


BOOKS: CollectionKind[RemoteBook] = CollectionKind(
    well_known=WELL_KNOWN,
    resource_type=xml.ADDRESSBOOK,
    home_set=xml.ADDRESSBOOK_HOME_SET,
    props=xml.BOOK_PROPS,
    make=_book_from,
)


def discover_books(session: DavSession, *, path_hint: str | None = None) -> list[RemoteBook]:
    """List the user's address books, starting at `path_hint` or the session's base URL.

    Order: the URL itself is a book -> that book; else its home set or principal; else
    /.well-known/carddav, then "/" for the current-user-principal; then the home set and
    a depth-1 listing of it. Raises NotCardDav if none of that leads anywhere.
    """
    search = search_homes(session, path_hint, BOOKS)
    if search.collection is not None:
        return [search.collection]
    if search.direct:
        return search.direct
    if not search.homes and search.principal is not None:
        # Some servers put the books straight under the principal.
        books = collections_in_home(session, search.principal, BOOKS)
        if books:
            return books
    listed = collections_in_homes(session, search.homes, BOOKS)
    if listed is not None:
        return listed
    if search.redirect_error is not None:
        raise search.redirect_error
    if search.saw_dav:
        detail = _("kein Adressbuch unter {url} gefunden (WebDAV vorhanden, aber kein CardDAV)")
    else:
        detail = _("kein Adressbuch unter {url} gefunden")
    raise NotCardDav(detail=detail.format(url=search.start))


# What a run needs to know of a book before its first sync: not its ctag or sync token
# (asking those makes some servers, Radicale among them, hash every card of the book).
_PROBE_PROPS = tuple(p for p in xml.BOOK_PROPS if p not in (xml.GETCTAG, xml.SYNC_TOKEN))


def probe_book(session: DavSession, href: str) -> RemoteBook | None:
    """One Depth-0 PROPFIND: the address book at `href`, or None if there is none there.

    Cheaper than `discover_books` when the path is known (command line `--book /path/`):
    one request instead of principal, home set and a Depth-1 listing of all books.
    """
    try:
        entry = collection_entry(session, href, _PROBE_PROPS)
    except (NotFound, AccessDenied, NotCardDav, ServerError):
        return None  # not a book here: the caller discovers (and reports) properly
    if entry is None or not entry.ok or not BOOKS.is_collection(entry):
        return None
    return _book_from(entry)


def book_state(session: DavSession, href: str) -> RemoteBook:
    """Depth-0 PROPFIND of one book: ctag and sync token for the cheap "changed?" check."""
    entry = collection_entry(session, href, BOOKS.props)
    if entry is None or entry.status in (404, 410):  # Xandikos: 207 with a 404 entry
        raise NotFound(
            detail=_("PROPFIND {href}: kein Adressbuch (mehr) unter dieser Adresse").format(
                href=href
            )
        )
    if not BOOKS.is_collection(entry):
        raise NotCardDav(
            _("Unter dieser Adresse liegt kein Adressbuch mehr."),
            _("{href} ist kein Adressbuch").format(href=href),
        )
    return _book_from(entry)


# ---------------------------------------------------------------------------
# The "Verbindung prüfen" button


C = TypeVar("C")  # what a connection check lists: RemoteBook or RemoteCalendar


@dataclass
class ConnectionResult(Generic[C]):
    """Outcome of a connection check, ready for the account dialog."""

    ok: bool
    books: list[C] = field(default_factory=list)  # books, or calendars (check_collections)
    error: DavError | None = None
    message: str = ""
    base_url: str = ""
    fingerprint: str | None = None  # set when the TLS certificate was not trusted
    # A bare host that https could not reach, but whose http:// address answers as a DAV
    # server: that address. Never used by itself; the user must choose it (http_offer).
    plain_http_url: str = ""


def _books_message(n: int) -> str:
    if n == 0:
        return _("Verbindung erfolgreich, aber es wurde kein Adressbuch gefunden.")
    return ngettext(
        "Verbindung erfolgreich: {n} Adressbuch gefunden.",
        "Verbindung erfolgreich: {n} Adressbücher gefunden.",
        n,
    ).format(n=n)


def check_connection(
    server: str,
    port: int | None,
    path: str,
    preset: str | None,
    username: str,
    password: str,
    pinned_sha256: str | None = None,
    *,
    timeout: float = 60.0,  # per read; connecting gives up after 15 s
) -> ConnectionResult[RemoteBook]:
    """Build the URL, log in and list the books; never raises, reports in the user's
    language instead."""
    return check_collections(
        server, port, path, preset, username, password, pinned_sha256,
        discover=discover_books, describe=_books_message, timeout=timeout,
    )  # fmt: skip


def check_collections(
    server: str,
    port: int | None,
    path: str,
    preset: str | None,
    username: str,
    password: str,
    pinned_sha256: str | None = None,
    *,
    discover: Callable[[DavSession], Sequence[C]],
    describe: Callable[[int], str],
    timeout: float = 60.0,
) -> ConnectionResult[C]:
    """The live check of the account dialogs for either kind: `discover` lists the
    collections (books or calendars, in `ConnectionResult.books`), `describe` says how many
    were found. Never raises; every failure is a message in the user's language."""
    base_url = ""
    try:
        base_url = build_base_url(server, port, path, preset)
        with DavSession(
            base_url, username, password, pinned_sha256=pinned_sha256, timeout=timeout
        ) as session:
            found = list(discover(session))
    except TlsError as exc:
        return ConnectionResult(
            ok=False,
            error=exc,
            message=exc.message,
            base_url=base_url,
            fingerprint=exc.fingerprint,
            plain_http_url=http_offer(server, port, path, preset, base_url, exc, timeout),
        )
    except DavError as exc:
        return ConnectionResult(
            ok=False,
            error=exc,
            message=exc.message,
            base_url=base_url,
            plain_http_url=http_offer(server, port, path, preset, base_url, exc, timeout),
        )
    except ValueError as exc:  # a malformed pinned fingerprint
        err = DavError(_("Der gespeicherte Zertifikats-Fingerabdruck ist ungültig."), str(exc))
        return ConnectionResult(ok=False, error=err, message=err.message, base_url=base_url)
    except Exception as exc:  # a bug must not crash the dialog; it is logged in full
        log.exception("Verbindungsprüfung fehlgeschlagen")
        err = DavError(detail=f"{type(exc).__name__}: {exc}")
        return ConnectionResult(ok=False, error=err, message=err.message, base_url=base_url)
    return ConnectionResult(ok=True, books=found, message=describe(len(found)), base_url=base_url)


# ---------------------------------------------------------------------------
# A bare host that speaks only plain http


#: How long the unauthenticated http:// probe may take to connect and to answer.
PROBE_TIMEOUT = 10.0


def plain_http_url(server: str, port: int | None, path: str, preset: str | None) -> str:
    """The http:// start URL of what was typed without a scheme (same host, port, path)."""
    return build_base_url("http://" + (server or "").strip(), port, path, preset)


def answers_plain_http(url: str, *, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether a DAV server answers at the http:// `url`, asked without any credentials.

    One PROPFIND (Depth 0) with no Authorization header, so nothing secret crosses the
    network before the user agreed to an unencrypted connection. A DAV server answers
    207 (a listing), 401 (log in first) or names its DAV classes in a "DAV" header; a
    plain web page, a refusal or a redirect back to https is no such answer.
    """
    try:
        with DavSession(url, "", "", timeout=timeout, anonymous=True) as session:
            resp = session.request(
                "PROPFIND",
                url,
                body=xml.propfind_body((xml.RESOURCETYPE,)),
                depth="0",
                accept=(401, 403, 404, 405, 501),
                max_bytes=1024 * 1024,
            )
    except DavError as exc:
        log.info("Kein DAV-Server unter %s: %s", url, exc)
        return False
    return resp.status in (207, 401) or resp.header("dav") is not None


def https_failed_to_connect(error: DavError) -> bool:
    """True if https never got as far as a server's answer: refused, timed out, cut off,
    or a TLS handshake that failed without any certificate to show (the port speaks plain
    http). A certificate that is not trusted is no such failure: that is for the user to
    judge by its fingerprint, never a reason to fall back to http."""
    if isinstance(error, TlsError):
        return error.fingerprint is None
    return isinstance(error, HostUnreachable)


def http_offer(
    server: str,
    port: int | None,
    path: str,
    preset: str | None,
    base_url: str,
    error: DavError,
    timeout: float = PROBE_TIMEOUT,
) -> str:
    """After a failed check: the http:// URL to offer the user, else "".

    Only for a server typed without a scheme whose https:// start URL could not connect
    (`https_failed_to_connect`) and whose http:// URL answers as a DAV server
    (`answers_plain_http`). An address typed with "http://" or "https://" is taken as
    typed; nothing here switches to http by itself.
    """
    if typed_scheme(server) is not None or not base_url.lower().startswith("https://"):
        return ""
    if not https_failed_to_connect(error):
        return ""
    try:
        url = plain_http_url(server, port, path, preset)
    except (DavError, ValueError):
        return ""
    return url if answers_plain_http(url, timeout=min(timeout, PROBE_TIMEOUT)) else ""
