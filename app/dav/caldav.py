"""CalDAV: find the user's calendars, create one, and event-level operations with ETags.

RFC 6764/4791 discovery (well-known URI, current-user-principal, calendar-home-set) walks the
same way as the address book discovery and uses its code (`discovery.search_homes` with the
calendar's `CollectionKind`); MKCALENDAR (extended MKCOL as fallback) is calendar-only.
`CalDavClient` is `app.dav.collection.CollectionClient`, shared with CardDAV, told about
calendars: sync-collection deltas (RFC 6578) with a PROPFIND listing for servers without it
(SabreDAV 1.8), calendar-multiget in batches, and writes with If-None-Match / If-Match so that
a concurrent change on the server is never overwritten. ETags are kept byte-for-byte;
calendar data is returned exactly as the server sent it (only the CRLF line breaks that XML
parsing folds to LF are restored).

Why not python-caldav: it is a fine client, but it would bring a second HTTP stack (requests/
niquests session of its own) beside `DavSession`, so TLS pinning, Digest fallback, retries,
cross-host redirect refusal, byte counters and our typed German errors would have to be
re-done around it; its objects parse every event with icalendar (slow, and re-serializes on
save unless handled with care); and its sync-token handling hides the 507/limit and
"valid-sync-token" cases the engine treats explicitly for CardDAV. The requests needed here are
a handful of REPORT/PROPFIND/PUT/DELETE bodies, which `app.dav.xml` already builds and parses.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from app.dav import discovery, xml
from app.dav.collection import UNSAFE_NAME, CollectionClient, Wording
from app.dav.errors import AccessDenied, CardRejected, NotCardDav, NotFound, ServerError
from app.dav.model import RemoteCard
from app.dav.session import XML_CONTENT_TYPE, DavSession
from app.i18n import N_, _

CALDAV = xml.CALDAV
APPLE_ICAL = "http://apple.com/ns/ical/"
WELL_KNOWN = "/.well-known/caldav"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"

CALENDAR = xml.clark(CALDAV, "calendar")
CALENDAR_HOME_SET = xml.clark(CALDAV, "calendar-home-set")
CALENDAR_DESCRIPTION = xml.clark(CALDAV, "calendar-description")
CALENDAR_DATA = xml.clark(CALDAV, "calendar-data")
SUPPORTED_COMPONENTS = xml.clark(CALDAV, "supported-calendar-component-set")
CALENDAR_COLOR = xml.clark(APPLE_ICAL, "calendar-color")
CALENDAR_MULTIGET = xml.clark(CALDAV, "calendar-multiget")

CALENDAR_PROPS: tuple[str, ...] = (
    xml.RESOURCETYPE,
    xml.DISPLAYNAME,
    CALENDAR_DESCRIPTION,
    SUPPORTED_COMPONENTS,
    CALENDAR_COLOR,
    xml.GETCTAG,
    xml.SYNC_TOKEN,
    xml.SUPPORTED_REPORT_SET,
    xml.CURRENT_USER_PRIVILEGE_SET,
)

# Same shape as a card: href, ETag, text. Lets the sync engine treat both alike.
RemoteEvent = RemoteCard


class NotCalDav(NotCardDav):
    """No CalDAV service (or no calendar) where we looked."""

    default_message = N_(
        "Unter dieser Adresse wurde kein CalDAV-Dienst gefunden. Bitte prüfen Sie "
        "Serveradresse, Port und Pfad."
    )


class EventRejected(CardRejected):
    """The server refused one event (400, 403, 409, 415, 507 on a PUT)."""

    default_message = N_("Der Server hat den Termin abgelehnt.")


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
    read_only: bool = False  # the user may only read it (DAV:current-user-privilege-set)

    @property
    def supports_events(self) -> bool:
        """True if VEVENTs may be stored here (an absent component set allows all)."""
        return not self.components or "VEVENT" in self.components


# ---------------------------------------------------------------------------
# Discovery


def _components(entry: xml.Entry) -> tuple[str, ...]:
    el = entry.props.get(SUPPORTED_COMPONENTS)
    if el is None:
        return ()
    names = [(c.get("name") or "").upper() for c in el.iter(xml.clark(CALDAV, "comp"))]
    return tuple(dict.fromkeys(n for n in names if n))


def _calendar_from(entry: xml.Entry) -> RemoteCalendar:
    href, name = discovery.collection_href_and_name(entry)
    return RemoteCalendar(
        href=href,
        display_name=name,
        description=entry.text(CALENDAR_DESCRIPTION) or "",
        color=entry.text(CALENDAR_COLOR) or "",
        ctag=entry.text(xml.GETCTAG) or None,
        sync_token=entry.text(xml.SYNC_TOKEN) or None,
        supports_sync_collection=xml.SYNC_COLLECTION in entry.child_tags(xml.SUPPORTED_REPORT_SET),
        components=_components(entry),
        read_only=xml.read_only(entry),
    )


CALENDARS: discovery.CollectionKind[RemoteCalendar] = discovery.CollectionKind(
    well_known=WELL_KNOWN,
    resource_type=CALENDAR,
    home_set=CALENDAR_HOME_SET,
    props=CALENDAR_PROPS,
    make=_calendar_from,
)


def find_calendar_homes(session: DavSession, *, path_hint: str | None = None) -> list[str]:
    """The calendar-home-set of the user (canonical paths); [] if there is none."""
    homes, _direct = _discover(session, path_hint)
    return homes


def _discover(
    session: DavSession, path_hint: str | None
) -> tuple[list[str], list[RemoteCalendar] | None]:
    """(homes, calendars found directly at the start URL or None).

    A principal that names no calendar-home-set is taken as the home: some servers keep
    the calendars under the principal.
    """
    search = discovery.search_homes(session, path_hint, CALENDARS)
    if search.collection is not None:
        return [], [search.collection]
    if search.direct:
        return [search.direct_home], search.direct
    homes = search.homes or ([search.principal] if search.principal is not None else [])
    if not homes and search.redirect_error is not None:
        raise search.redirect_error
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
    listed = discovery.collections_in_homes(
        session, homes, CALENDARS, keep=lambda c: c.supports_events or not events_only
    )
    if listed is None:
        start = session.url_for(path_hint) if path_hint else session.base_url
        raise NotCalDav(
            detail=_("kein Kalender-Stammordner unter {url} gefunden").format(url=start)
        )
    return listed


def calendar_state(session: DavSession, href: str) -> RemoteCalendar:
    """Depth-0 PROPFIND of one calendar: name, ctag, sync token, components."""
    entry = discovery.collection_entry(session, href, CALENDAR_PROPS)
    if entry is None or entry.status in (404, 410):
        raise NotFound(
            _("Der Kalender wurde auf dem Server nicht gefunden."),
            _("PROPFIND {href}: kein Kalender (mehr) unter dieser Adresse").format(href=href),
        )
    if not CALENDARS.is_collection(entry):
        raise NotCalDav(
            _("Unter dieser Adresse liegt kein Kalender."),
            _("{href} ist kein Kalender").format(href=href),
        )
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
        raise NotFound(
            detail=_("Kalender-Stammordner {href} liegt nicht auf diesem Server").format(
                href=repr(home)
            )
        )
    if not home_path.endswith("/"):
        home_path += "/"
    stem = UNSAFE_NAME.sub("-", name).strip(".-")[:40] or "kalender"
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
            _("Der Server erlaubt nicht, hier einen Kalender anzulegen."),
            f"{resp.method} {href} -> HTTP 403",
        )
    if resp.status >= 300:
        raise ServerError(
            _("Der Kalender konnte auf dem Server nicht angelegt werden."),
            f"{resp.method} {href} -> HTTP {resp.status}",
            status=resp.status,
        )
    return calendar_state(session, href)


# ---------------------------------------------------------------------------
# Event-level client


def multiget_body(hrefs: Iterable[str], *, with_data: bool = True) -> bytes:
    """RFC 4791 calendar-multiget REPORT for the given (absolute-path) hrefs."""
    return xml.multiget_body(
        hrefs, with_data=with_data, report=CALENDAR_MULTIGET, data=CALENDAR_DATA
    )


EVENT_WORDING = Wording(
    collection_elsewhere=N_("Kalender {href} liegt nicht auf diesem Server"),
    item_elsewhere=N_("Termin {href} liegt nicht auf diesem Server"),
    gone_detail=N_("{method} {url} -> 207 mit {status} für den Kalender"),
    collection_gone=N_("Der Kalender wurde auf dem Server nicht gefunden."),
    collection_incomplete=N_("Der Server hat den Kalender nicht vollständig aufgeführt."),
    item_gone=N_("Der Termin existiert auf dem Server nicht mehr."),
    item_changed=N_("Der Termin wurde gleichzeitig auf dem Server geändert."),
    name_taken=N_("Auf dem Server existiert bereits ein Termin unter diesem Namen."),
    token_expired=N_(
        "Das Synchronisations-Token ist abgelaufen; der Kalender wird vollständig gelesen."
    ),
    refusals_of="event",
)


class CalDavClient(CollectionClient):
    """Event-level CalDAV operations over one DavSession (the shape of CardDavClient)."""

    multiget_report = CALENDAR_MULTIGET
    data_prop = CALENDAR_DATA
    content_type = ICAL_CONTENT_TYPE
    item_types = ("text/calendar",)
    accept = "text/calendar, */*;q=0.1"
    extension = ".ics"
    batch_size = 500
    content_conditions = (f"{{{CALDAV}}}valid-",)
    rejected = EventRejected
    wording = EVENT_WORDING

    def calendar_state(self, href: str) -> RemoteCalendar:
        """ctag, sync token and name of one calendar (the cheap "changed?" check)."""
        return calendar_state(self.session, self._collection_path(href))

    #: the href `create` uses for an event called `name` in a calendar
    event_href = CollectionClient.item_href


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
