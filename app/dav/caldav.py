"""CalDAV: find the user's calendars, create one, and event-level operations with ETags.

The same shape as `app.dav.carddav` (and built on the same `DavSession` and `app.dav.xml`
parser): RFC 6764/4791 discovery (well-known URI, current-user-principal, calendar-home-set),
MKCALENDAR (extended MKCOL as fallback), sync-collection deltas (RFC 6578) with a PROPFIND
listing for servers without it (SabreDAV 1.8), calendar-multiget in batches, and writes with
If-None-Match / If-Match so that a concurrent change on the server is never overwritten.
ETags are kept byte-for-byte; calendar data is returned exactly as the server sent it (only
the CRLF line breaks that XML parsing folds to LF are restored).

Why not python-caldav: it is a fine client, but it would bring a second HTTP stack (requests/
niquests session of its own) beside `DavSession`, so TLS pinning, Digest fallback, retries,
cross-host redirect refusal, byte counters and our typed German errors would have to be
re-done around it; its objects parse every event with icalendar (slow, and re-serializes on
save unless handled with care); and its sync-token handling hides the 507/limit and
"valid-sync-token" cases the engine treats explicitly for CardDAV. The requests needed here are
a handful of REPORT/PROPFIND/PUT/DELETE bodies, which `app.dav.xml` already builds and parses.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, unquote

from lxml import etree

from app.dav import discovery, xml
from app.dav.errors import (
    AccessDenied,
    CardRejected,
    CrossHostRedirect,
    NotCardDav,
    NotFound,
    PreconditionFailed,
    ServerError,
    SyncTokenInvalid,
    SyncUnsupported,
)
from app.dav.model import Listing, RemoteCard, WriteResult
from app.dav.session import XML_CONTENT_TYPE, DavResponse, DavSession

log = logging.getLogger(__name__)

CALDAV = xml.CALDAV
APPLE_ICAL = "http://apple.com/ns/ical/"
WELL_KNOWN = "/.well-known/caldav"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_SYNC_PAGES = 10_000
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._~@+-]")

CALENDAR = xml.clark(CALDAV, "calendar")
CALENDAR_HOME_SET = xml.clark(CALDAV, "calendar-home-set")
CALENDAR_DESCRIPTION = xml.clark(CALDAV, "calendar-description")
CALENDAR_DATA = xml.clark(CALDAV, "calendar-data")
SUPPORTED_COMPONENTS = xml.clark(CALDAV, "supported-calendar-component-set")
CALENDAR_COLOR = xml.clark(APPLE_ICAL, "calendar-color")
CALENDAR_ORDER = xml.clark(APPLE_ICAL, "calendar-order")
CALENDAR_MULTIGET = xml.clark(CALDAV, "calendar-multiget")

# Preconditions of RFC 4791 5.3.2 in a DAV:error body.
NO_UID_CONFLICT = xml.clark(CALDAV, "no-uid-conflict")
VALID_CALENDAR_DATA = xml.clark(CALDAV, "valid-calendar-data")
VALID_CALENDAR_OBJECT = xml.clark(CALDAV, "valid-calendar-object-resource")
SUPPORTED_CALENDAR_DATA = xml.clark(CALDAV, "supported-calendar-data")
SUPPORTED_CALENDAR_COMPONENT = xml.clark(CALDAV, "supported-calendar-component")
MAX_RESOURCE_SIZE = xml.clark(CALDAV, "max-resource-size")

CALENDAR_PROPS: tuple[str, ...] = (
    xml.RESOURCETYPE,
    xml.DISPLAYNAME,
    CALENDAR_DESCRIPTION,
    SUPPORTED_COMPONENTS,
    CALENDAR_COLOR,
    xml.GETCTAG,
    xml.SYNC_TOKEN,
    xml.SUPPORTED_REPORT_SET,
)

_PUT_ACCEPT = (400, 403, 404, 409, 410, 412, 413, 415, 422, 507)
_REJECT_MESSAGES: dict[int, str] = {
    400: "Der Server hat den Termin als fehlerhaft abgelehnt (ungültige iCalendar-Daten).",
    403: (
        "Der Server erlaubt das Speichern dieses Termins nicht (fehlende Schreibrechte "
        "oder vom Server nicht akzeptierter Inhalt)."
    ),
    409: "Der Termin steht im Konflikt mit einem vorhandenen Eintrag auf dem Server.",
    413: "Der Termin ist zu groß für den Server.",
    415: "Der Server akzeptiert dieses Kalenderformat nicht.",
    422: "Der Server hat den Termin als fehlerhaft abgelehnt (ungültige iCalendar-Daten).",
    507: "Auf dem Server ist nicht genug Speicherplatz frei (Kontingent überschritten).",
}
_CONDITION_MESSAGES: dict[str, str] = {
    NO_UID_CONFLICT: "Ein Termin mit derselben UID existiert bereits im Kalender.",
    VALID_CALENDAR_DATA: "Der Server hält die Termindaten für ungültig und hat sie abgelehnt.",
    VALID_CALENDAR_OBJECT: "Der Server hält die Termindaten für ungültig und hat sie abgelehnt.",
    SUPPORTED_CALENDAR_DATA: "Der Server akzeptiert dieses Kalenderformat nicht.",
    SUPPORTED_CALENDAR_COMPONENT: "Dieser Kalender nimmt keine Termine (VEVENT) auf.",
    MAX_RESOURCE_SIZE: "Der Termin ist zu groß für den Server.",
}

# Same shape as a card: href, ETag, text. Lets the sync engine treat both alike.
RemoteEvent = RemoteCard


class NotCalDav(NotCardDav):
    """No CalDAV service (or no calendar) where we looked."""

    default_message = (
        "Unter dieser Adresse wurde kein CalDAV-Dienst gefunden. Bitte prüfen Sie "
        "Serveradresse, Port und Pfad."
    )


class EventRejected(CardRejected):
    """The server refused one event (400, 403, 409, 415, 507 on a PUT)."""

    default_message = "Der Server hat den Termin abgelehnt."


@dataclass(frozen=True)
class RemoteCalendar:
    """One calendar collection on the server."""

    href: str  # absolute path, always ending with "/"
    display_name: str
    description: str = ""
    color: str = ""  # Apple calendar-color as sent ("#3a87adff"), "" if none
    ctag: str | None = None
    sync_token: str | None = None
    supports_sync_collection: bool = False
    components: tuple[str, ...] = ()  # supported-calendar-component-set; () = not stated (all)

    @property
    def supports_events(self) -> bool:
        """True if VEVENTs may be stored here (an absent component set allows all)."""
        return not self.components or "VEVENT" in self.components


# ---------------------------------------------------------------------------
# Discovery


def _is_calendar(entry: xml.Entry) -> bool:
    return CALENDAR in entry.child_tags(xml.RESOURCETYPE)


def _components(entry: xml.Entry) -> tuple[str, ...]:
    el = entry.props.get(SUPPORTED_COMPONENTS)
    if el is None:
        return ()
    names = [(c.get("name") or "").upper() for c in el.iter(xml.clark(CALDAV, "comp"))]
    return tuple(dict.fromkeys(n for n in names if n))


def _calendar_from(entry: xml.Entry) -> RemoteCalendar:
    href = entry.href if entry.href.endswith("/") else entry.href + "/"
    name = entry.text(xml.DISPLAYNAME) or ""
    if not name:
        name = unquote(xml.canonical_path(href).rstrip("/").rsplit("/", 1)[-1]) or href
    return RemoteCalendar(
        href=href,
        display_name=name,
        description=entry.text(CALENDAR_DESCRIPTION) or "",
        color=entry.text(CALENDAR_COLOR) or "",
        ctag=entry.text(xml.GETCTAG) or None,
        sync_token=entry.text(xml.SYNC_TOKEN) or None,
        supports_sync_collection=xml.SYNC_COLLECTION in entry.child_tags(xml.SUPPORTED_REPORT_SET),
        components=_components(entry),
    )


def _calendars_in_home(session: DavSession, home: str) -> list[RemoteCalendar] | None:
    found = discovery._propfind(session, home, xml.propfind_body(CALENDAR_PROPS), "1")
    if found is None:
        return None
    _resp, ms = found
    calendars: dict[str, RemoteCalendar] = {}
    for entry in ms:
        if entry.ok and _is_calendar(entry):
            cal = _calendar_from(entry)
            calendars.setdefault(cal.href, cal)
    return list(calendars.values())


def _hrefs(entry: xml.Entry, prop: str, base: str) -> list[str]:
    return [h for raw in entry.hrefs(prop) if (h := xml.normalize_href(raw, base)) is not None]


def find_calendar_homes(session: DavSession, *, path_hint: str | None = None) -> list[str]:
    """The calendar-home-set of the user (canonical paths); [] if there is none."""
    homes, _direct = _discover(session, path_hint)
    return homes


def _discover(
    session: DavSession, path_hint: str | None
) -> tuple[list[str], list[RemoteCalendar] | None]:
    """(homes, calendars found directly at the start URL or None)."""
    start = session.url_for(path_hint) if path_hint else session.base_url
    body = xml.propfind_body((xml.CURRENT_USER_PRINCIPAL, CALENDAR_HOME_SET, *CALENDAR_PROPS))
    candidates = [start]
    for extra in (session.url_for(WELL_KNOWN), session.url_for("/")):
        if extra not in candidates:
            candidates.append(extra)
    redirect_error: CrossHostRedirect | None = None
    principal: str | None = None
    homes: list[str] = []
    for index, url in enumerate(candidates):
        try:
            found = discovery._propfind(session, url, body, "0")
        except CrossHostRedirect as exc:
            redirect_error = redirect_error or exc
            continue
        if found is None:
            continue
        resp, ms = found
        target = ms.find(xml.normalize_href(resp.url, resp.url) or "") or (
            ms.entries[0] if ms.entries else None
        )
        if target is None:
            continue
        if index == 0 and _is_calendar(target):
            return [], [_calendar_from(target)]
        homes = _hrefs(target, CALENDAR_HOME_SET, resp.url)
        principals = _hrefs(target, xml.CURRENT_USER_PRINCIPAL, resp.url)
        if homes:
            break
        if principals:
            principal = principals[0]
            break
        if index == 0:
            direct = _calendars_in_home(session, resp.url)
            if direct:
                return [xml.normalize_href(resp.url, resp.url) or resp.url], direct
    if not homes and principal is not None:
        found = discovery._propfind(
            session, principal, xml.propfind_body((CALENDAR_HOME_SET, xml.RESOURCETYPE)), "0"
        )
        if found is not None:
            resp, ms = found
            entry = ms.find(principal) or (ms.entries[0] if ms.entries else None)
            if entry is not None:
                homes = _hrefs(entry, CALENDAR_HOME_SET, resp.url)
        if not homes:
            homes = [principal]  # some servers keep the calendars under the principal
    if not homes and redirect_error is not None:
        raise redirect_error
    return homes, None


def discover_calendars(
    session: DavSession, *, path_hint: str | None = None, events_only: bool = True
) -> list[RemoteCalendar]:
    """List the user's calendars (those that take VEVENTs unless `events_only` is False).

    Start URL itself a calendar -> that one; else its calendar-home-set or principal; else
    /.well-known/caldav, then "/" for the current-user-principal. Raises NotCalDav if none
    of that leads to a calendar home.
    """
    homes, direct = _discover(session, path_hint)
    if direct is not None:
        return [c for c in direct if c.supports_events or not events_only]
    result: list[RemoteCalendar] = []
    listed_any = False
    for home in homes:
        calendars = _calendars_in_home(session, home)
        if calendars is None:
            continue
        listed_any = True
        for cal in calendars:
            if events_only and not cal.supports_events:
                continue
            if all(not xml.same_href(cal.href, c.href) for c in result):
                result.append(cal)
    if not listed_any:
        start = session.url_for(path_hint) if path_hint else session.base_url
        raise NotCalDav(detail=f"kein Kalender-Stammordner unter {start} gefunden")
    return result


def calendar_state(session: DavSession, href: str) -> RemoteCalendar:
    """Depth-0 PROPFIND of one calendar: name, ctag, sync token, components."""
    resp = session.request("PROPFIND", href, body=xml.propfind_body(CALENDAR_PROPS), depth="0")
    try:
        ms = xml.parse_multistatus(resp.content, resp.url)
    except xml.XmlError as exc:
        raise ServerError(detail=f"PROPFIND {href}: {exc}", status=resp.status) from None
    entry = ms.find(xml.normalize_href(href, session.url_for(href)) or href) or (
        ms.entries[0] if ms.entries else None
    )
    if entry is None or entry.status in (404, 410):
        raise NotFound(
            "Der Kalender wurde auf dem Server nicht gefunden.",
            f"PROPFIND {href}: kein Kalender (mehr) unter dieser Adresse",
        )
    if not _is_calendar(entry):
        raise NotCalDav("Unter dieser Adresse liegt kein Kalender.", f"{href} ist kein Kalender")
    return _calendar_from(entry)


def _mkcalendar_body(display_name: str, color: str | None, *, extended_mkcol: bool) -> bytes:
    nsmap = {"D": xml.DAV, "C": CALDAV, "I": APPLE_ICAL}
    if extended_mkcol:
        root = etree.Element(xml.clark(xml.DAV, "mkcol"), nsmap=nsmap)
    else:
        root = etree.Element(xml.clark(CALDAV, "mkcalendar"), nsmap=nsmap)
    prop = etree.SubElement(
        etree.SubElement(root, xml.clark(xml.DAV, "set")), xml.clark(xml.DAV, "prop")
    )
    if extended_mkcol:
        rtype = etree.SubElement(prop, xml.RESOURCETYPE)
        etree.SubElement(rtype, xml.COLLECTION)
        etree.SubElement(rtype, CALENDAR)
    etree.SubElement(prop, xml.DISPLAYNAME).text = display_name
    comps = etree.SubElement(prop, SUPPORTED_COMPONENTS)
    etree.SubElement(comps, xml.clark(CALDAV, "comp")).set("name", "VEVENT")
    if color:
        etree.SubElement(prop, CALENDAR_COLOR).text = color
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def make_calendar(
    session: DavSession, home: str, name: str, *, color: str | None = None
) -> RemoteCalendar:
    """Create a calendar for events named `name` below `home` (MKCALENDAR, else MKCOL).

    The collection's path segment is derived from the name ([A-Za-z0-9._~@+-], plus a short
    random suffix); the display name is `name` as given. Returns the calendar as listed.
    """
    home_path = xml.normalize_href(home, session.base_url)
    if home_path is None:
        raise NotFound(detail=f"Kalender-Stammordner {home!r} liegt nicht auf diesem Server")
    if not home_path.endswith("/"):
        home_path += "/"
    stem = _UNSAFE_NAME.sub("-", name).strip(".-")[:40] or "kalender"
    href = home_path + quote(f"{stem}-{uuid.uuid4().hex[:8]}", safe=xml.SEGMENT_SAFE) + "/"
    resp = session.request(
        "MKCALENDAR",
        href,
        body=_mkcalendar_body(name, color, extended_mkcol=False),
        headers={"Content-Type": XML_CONTENT_TYPE},
        accept=(400, 403, 405, 409, 415, 501),
    )
    if resp.status in (400, 405, 415, 501):
        # No MKCALENDAR (or not with this body): RFC 5689 extended MKCOL.
        resp = session.request(
            "MKCOL",
            href,
            body=_mkcalendar_body(name, color, extended_mkcol=True),
            headers={"Content-Type": XML_CONTENT_TYPE},
            accept=(403, 405, 409, 415),
        )
    if resp.status == 403:
        raise AccessDenied(
            "Der Server erlaubt nicht, hier einen Kalender anzulegen.",
            f"{resp.method} {href} -> HTTP 403",
        )
    if resp.status >= 300:
        raise ServerError(
            "Der Kalender konnte auf dem Server nicht angelegt werden.",
            f"{resp.method} {href} -> HTTP {resp.status}",
            status=resp.status,
        )
    return calendar_state(session, href)


# ---------------------------------------------------------------------------
# Event-level client


def _is_ical_type(content_type: str | None) -> bool:
    if not content_type:
        return True
    return content_type.strip().lower().startswith("text/calendar")


def multiget_body(hrefs: Iterable[str], *, with_data: bool = True) -> bytes:
    """RFC 4791 calendar-multiget REPORT for the given (absolute-path) hrefs."""
    root = etree.Element(CALENDAR_MULTIGET, nsmap={"D": xml.DAV, "C": CALDAV})
    prop = etree.SubElement(root, xml.clark(xml.DAV, "prop"))
    etree.SubElement(prop, xml.GETETAG)
    if with_data:
        etree.SubElement(prop, CALENDAR_DATA)
    for href in hrefs:
        etree.SubElement(root, xml.clark(xml.DAV, "href")).text = href
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _drop_etagless(listing: Listing) -> None:
    for href in [h for h, etag in listing.etags.items() if not etag]:
        del listing.etags[href]
        log.warning("Kein ETag für %s, übersprungen", href)


class CalDavClient:
    """Event-level CalDAV operations over one DavSession (shape of CardDavClient)."""

    def __init__(self, session: DavSession) -> None:
        self.session = session

    def close(self) -> None:
        """Close the underlying session."""
        self.session.close()

    # -- helpers -----------------------------------------------------------------

    def _calendar_path(self, href: str) -> str:
        path = xml.normalize_href(href, self.session.base_url)
        if path is None:
            raise NotFound(detail=f"Kalender {href!r} liegt nicht auf diesem Server")
        return path if path.endswith("/") else path + "/"

    def _event_path(self, href: str) -> str:
        path = xml.normalize_href(href, self.session.base_url)
        if path is None:
            raise NotFound(detail=f"Termin {href!r} liegt nicht auf diesem Server")
        return path

    def _multistatus(self, resp: DavResponse, collection: str) -> xml.Multistatus:
        try:
            return xml.parse_multistatus(resp.content, resp.url, collection=collection)
        except xml.XmlError as exc:
            raise ServerError(
                "Der Server hat eine unlesbare Antwort geschickt.",
                f"{resp.method} {resp.url}: {exc}",
                status=resp.status,
            ) from None

    @staticmethod
    def _calendar_gone(resp: DavResponse, status: int) -> NotFound:
        return NotFound(
            "Der Kalender wurde auf dem Server nicht gefunden.",
            f"{resp.method} {resp.url} -> 207 mit {status} für den Kalender",
        )

    def _fill_missing_etags(self, cal: str, etags: dict[str, str], missing: set[str]) -> None:
        hrefs = sorted(missing)
        for i in range(0, len(hrefs), 500):
            body = multiget_body(hrefs[i : i + 500], with_data=False)
            resp = self.session.request("REPORT", cal, body=body, depth="1", accept=(404,))
            if resp.status == 404:
                continue
            for entry in self._multistatus(resp, cal):
                etag = entry.text(xml.GETETAG)
                if entry.ok and etag and entry.href in missing:
                    etags[entry.href] = etag

    # -- listings ----------------------------------------------------------------

    def calendar_state(self, href: str) -> RemoteCalendar:
        """ctag, sync token and name of one calendar (the cheap "changed?" check)."""
        return calendar_state(self.session, self._calendar_path(href))

    def changes(self, cal_href: str, token: str | None, *, limit: int | None = None) -> Listing:
        """sync-collection listing: full with token None/"", else the delta since `token`.

        Follows 507-truncated pages; raises SyncTokenInvalid / SyncUnsupported as the
        server indicates (then use `list_etags`).
        """
        cal = self._calendar_path(cal_href)
        full = not token
        listing = Listing(full=full)
        missing: set[str] = set()
        current = token or ""
        for _page in range(MAX_SYNC_PAGES):
            resp = self._sync_request(cal, current, limit)
            ms = self._multistatus(resp, cal)
            truncated, results = self._split_sync(ms, cal, resp)
            if limit is not None and not truncated and len(results) == limit:
                resp = self._sync_request(cal, current, None)
                ms = self._multistatus(resp, cal)
                truncated, results = self._split_sync(ms, cal, resp)
            for entry in results:
                self._apply_sync_entry(listing, missing, entry, full)
            if not ms.sync_token:
                raise ServerError(
                    "Der Server hat kein Synchronisations-Token geliefert.",
                    f"REPORT sync-collection {cal}: kein DAV:sync-token",
                    status=resp.status,
                )
            listing.sync_token = ms.sync_token
            if not truncated:
                break
            if ms.sync_token == current:
                raise ServerError(
                    "Der Server liefert die Änderungen nicht vollständig.",
                    f"REPORT sync-collection {cal}: 507 ohne neues Token",
                    status=507,
                )
            current = ms.sync_token
        else:
            raise ServerError(detail=f"sync-collection {cal}: zu viele Seiten", status=507)
        self._fill_missing_etags(cal, listing.etags, missing & set(listing.etags))
        _drop_etagless(listing)
        return listing

    def _sync_request(self, cal: str, token: str, limit: int | None) -> DavResponse:
        resp = self.session.request(
            "REPORT",
            cal,
            body=xml.sync_collection_body(token, limit),
            depth="0",
            accept=(400, 403, 405, 409, 412, 415, 501),
        )
        if resp.status == 207:
            return resp
        conditions = xml.error_conditions(resp.content)
        detail = f"REPORT sync-collection {cal} -> HTTP {resp.status} {sorted(conditions)}"
        if xml.VALID_SYNC_TOKEN in conditions:
            raise SyncTokenInvalid(
                "Das Synchronisations-Token ist abgelaufen; der Kalender wird vollständig gelesen.",
                detail,
            )
        if xml.SUPPORTED_REPORT in conditions or resp.status in (405, 415, 501) or not token:
            raise SyncUnsupported(detail=detail)
        raise SyncTokenInvalid(detail=detail)

    def _split_sync(
        self, ms: xml.Multistatus, cal: str, resp: DavResponse
    ) -> tuple[bool, list[xml.Entry]]:
        truncated = False
        members: list[xml.Entry] = []
        for entry in ms:
            if xml.same_href(entry.href, cal):
                if entry.status == 507:
                    truncated = True
                elif entry.status in (404, 410):
                    raise self._calendar_gone(resp, entry.status)
                continue
            members.append(entry)
        return truncated, members

    @staticmethod
    def _apply_sync_entry(
        listing: Listing, missing: set[str], entry: xml.Entry, full: bool
    ) -> None:
        href = entry.href
        if entry.status in (404, 410):
            listing.etags.pop(href, None)
            missing.discard(href)
            if not full:
                listing.deleted.add(href)
            return
        if not entry.ok or href.endswith("/"):
            return
        if not _is_ical_type(entry.text(xml.GETCONTENTTYPE)):
            return
        etag = entry.text(xml.GETETAG)
        listing.deleted.discard(href)
        listing.etags[href] = etag or ""
        if etag:
            missing.discard(href)
        else:
            missing.add(href)

    def list_etags(self, cal_href: str) -> Listing:
        """PROPFIND depth 1: every event's ETag (for servers without sync-collection)."""
        cal = self._calendar_path(cal_href)
        resp = self.session.request("PROPFIND", cal, body=xml.etag_propfind(), depth="1")
        ms = self._multistatus(resp, cal)
        own = ms.find(cal)
        if own is not None and own.status in (404, 410):
            raise self._calendar_gone(resp, own.status)
        if own is None and not ms.entries:
            raise ServerError(
                "Der Server hat den Kalender nicht vollständig aufgeführt.",
                f"{resp.method} {resp.url} -> 207 ohne Einträge",
                status=resp.status,
            )
        listing = Listing(full=True)
        missing: set[str] = set()
        for entry in ms:
            if xml.same_href(entry.href, cal) or entry.href.endswith("/") or not entry.ok:
                continue
            if xml.COLLECTION in entry.child_tags(xml.RESOURCETYPE):
                continue
            if not _is_ical_type(entry.text(xml.GETCONTENTTYPE)):
                continue
            etag = entry.text(xml.GETETAG)
            listing.etags[entry.href] = etag or ""
            if not etag:
                missing.add(entry.href)
        if missing:
            self._fill_missing_etags(cal, listing.etags, missing)
        _drop_etagless(listing)
        return listing

    # -- reading -----------------------------------------------------------------

    def multiget(
        self, cal_href: str, hrefs: Iterable[str], *, batch_size: int = 200
    ) -> Iterator[RemoteEvent]:
        """calendar-multiget in batches; hrefs the server does not return are skipped."""
        cal = self._calendar_path(cal_href)
        wanted: list[str] = []
        seen: set[str] = set()
        for href in hrefs:
            path = xml.normalize_href(href, self.session.base_url, cal)
            if path is None or path in seen or xml.same_href(path, cal):
                continue
            seen.add(path)
            wanted.append(path)
        size = max(1, int(batch_size))
        existing: set[str] | None = None
        for i in range(0, len(wanted), size):
            batch = wanted[i : i + size]
            resp = self._multiget_request(cal, batch)
            if resp.status == 404:
                # SabreDAV 1.8: the whole REPORT fails when one href is missing.
                if existing is None:
                    existing = set(self.list_etags(cal).etags)
                yield from self._multiget_bisect(cal, [h for h in batch if h in existing])
                continue
            yield from self._events_from(resp, cal, batch)

    def _multiget_request(self, cal: str, batch: list[str]) -> DavResponse:
        return self.session.request(
            "REPORT", cal, body=multiget_body(batch), depth="1", accept=(404,)
        )

    def _multiget_bisect(self, cal: str, batch: list[str]) -> Iterator[RemoteEvent]:
        if not batch:
            return
        resp = self._multiget_request(cal, batch)
        if resp.status != 404:
            yield from self._events_from(resp, cal, batch)
            return
        if len(batch) == 1:
            return
        mid = len(batch) // 2
        yield from self._multiget_bisect(cal, batch[:mid])
        yield from self._multiget_bisect(cal, batch[mid:])

    def _events_from(self, resp: DavResponse, cal: str, batch: list[str]) -> Iterator[RemoteEvent]:
        ms = self._multistatus(resp, cal)
        own = ms.find(cal)
        if own is not None and own.status in (404, 410):
            raise self._calendar_gone(resp, own.status)
        batch_set = set(batch)
        for entry in ms:
            if not entry.ok or entry.href not in batch_set:
                continue
            text = entry.raw_text(CALENDAR_DATA)
            if text is None:
                continue
            batch_set.discard(entry.href)
            if "\r" not in text:
                # XML parsing folds CRLF to LF; iCalendar lines end in CRLF (RFC 5545).
                text = text.replace("\n", "\r\n")
            etag = entry.text(xml.GETETAG)
            if not etag:
                event = self.get(entry.href)
                if event is not None:
                    yield event
                continue
            yield RemoteEvent(href=entry.href, etag=etag, text=text)

    def get(self, href: str) -> RemoteEvent | None:
        """GET one calendar object; None if it does not exist (any more)."""
        path = self._event_path(href)
        resp = self.session.request(
            "GET", path, headers={"Accept": "text/calendar, */*;q=0.1"}, accept=(404, 410)
        )
        if resp.status in (404, 410):
            return None
        return RemoteEvent(href=path, etag=resp.header("etag") or "", text=resp.text)

    # -- writing -----------------------------------------------------------------

    def _put(self, href: str, text: str, headers: dict[str, str], *, creating: bool) -> WriteResult:
        hdrs = {"Content-Type": ICAL_CONTENT_TYPE, **headers}
        resp = self.session.request(
            "PUT", href, body=text.encode("utf-8"), headers=hdrs, accept=_PUT_ACCEPT
        )
        detail = f"PUT {href} -> HTTP {resp.status}"
        conditions = xml.error_conditions(resp.content) if resp.status >= 400 else set()
        problem = next(
            (_CONDITION_MESSAGES[c] for c in sorted(conditions) if c in _CONDITION_MESSAGES), None
        )
        if problem is None and any(c.startswith(f"{{{CALDAV}}}valid-") for c in conditions):
            problem = _CONDITION_MESSAGES[VALID_CALENDAR_DATA]
        if resp.status == 412 and problem is None:
            if creating:
                raise PreconditionFailed(
                    "Auf dem Server existiert bereits ein Termin unter diesem Namen.", detail
                )
            raise PreconditionFailed(
                "Der Termin wurde gleichzeitig auf dem Server geändert.", detail
            )
        if resp.status in (404, 410):
            if creating:
                raise NotFound("Der Kalender wurde auf dem Server nicht gefunden.", detail)
            raise NotFound("Der Termin existiert auf dem Server nicht mehr.", detail)
        if resp.status >= 400:
            raise EventRejected(
                problem or _REJECT_MESSAGES.get(resp.status),
                f"{detail} {sorted(conditions)}",
                status=resp.status,
            )
        new_href = href
        location = resp.header("location")
        if location:
            moved = xml.normalize_href(location, self.session.url_for(href))
            if moved is not None:
                new_href = moved
        return WriteResult(href=new_href, etag=resp.header("etag") or None)

    def create(self, cal_href: str, text: str, *, name: str) -> WriteResult:
        """Create `<calendar>/<name>.ics`, refusing to overwrite (If-None-Match: *)."""
        cal = self._calendar_path(cal_href)
        stem = name[:-4] if name.lower().endswith(".ics") else name
        stem = _UNSAFE_NAME.sub("-", stem).strip(".") or uuid.uuid4().hex
        href = cal + quote(f"{stem}.ics", safe=xml.SEGMENT_SAFE)
        return self._put(href, text, {"If-None-Match": "*"}, creating=True)

    def update(self, href: str, text: str, etag: str) -> WriteResult:
        """Overwrite an event only if it still has `etag` ("" sends If-Match: *)."""
        return self._put(self._event_path(href), text, {"If-Match": etag or "*"}, creating=False)

    def delete(self, href: str, etag: str | None) -> None:
        """Delete an event if it still has `etag`; an event already gone is not an error."""
        path = self._event_path(href)
        headers = {"If-Match": etag} if etag else {}
        resp = self.session.request("DELETE", path, headers=headers, accept=(404, 410, 412))
        if resp.status == 412 and (not etag or self._exists(path)):
            raise PreconditionFailed(
                "Der Termin wurde gleichzeitig auf dem Server geändert.",
                f"DELETE {path} -> HTTP 412",
            )

    def _exists(self, path: str) -> bool:
        resp = self.session.request("HEAD", path, accept=(404, 405, 410))
        if resp.status == 405:
            return self.get(path) is not None
        return resp.status not in (404, 410)


__all__ = [
    "CalDavClient",
    "EventRejected",
    "NotCalDav",
    "RemoteCalendar",
    "RemoteEvent",
    "calendar_state",
    "discover_calendars",
    "find_calendar_homes",
    "make_calendar",
    "multiget_body",
]
