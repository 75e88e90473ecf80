"""WebDAV/CardDAV XML: namespaces, request bodies and a hardened multistatus parser.

Bodies are built with lxml so every value is escaped (the sync-collection body, a fixed
text, is written as text with its token escaped: app/dav/sync_report.py); answers are
parsed with entity expansion, network access and huge trees switched off, and any DOCTYPE
is refused, because the server's answer is untrusted input. Hrefs are brought into one
canonical form so that the same card compares equal however a server chose to
percent-encode it (`app.dav.hrefs`).
"""

from __future__ import annotations

import copy
import io
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from app.dav.hrefs import SEGMENT_SAFE as SEGMENT_SAFE
from app.dav.hrefs import canonical_path as canonical_path
from app.dav.hrefs import normalize_href as normalize_href
from app.dav.hrefs import same_href as same_href
from app.dav.sync_report import sync_collection_body as sync_collection_body
from app.i18n import _

log = logging.getLogger(__name__)

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
CALDAV = "urn:ietf:params:xml:ns:caldav"  # only to recognise misplaced error conditions

NSMAP = {"D": DAV, "C": CARD, "CS": CS}


def clark(ns: str, name: str) -> str:
    """Return the `{ns}name` form lxml uses, so prop names compare as plain strings."""
    return f"{{{ns}}}{name}"


# Properties asked for or read back, in Clark notation.
RESOURCETYPE = clark(DAV, "resourcetype")
DISPLAYNAME = clark(DAV, "displayname")
GETETAG = clark(DAV, "getetag")
GETCONTENTTYPE = clark(DAV, "getcontenttype")
SYNC_TOKEN = clark(DAV, "sync-token")
CURRENT_USER_PRINCIPAL = clark(DAV, "current-user-principal")
SUPPORTED_REPORT_SET = clark(DAV, "supported-report-set")
COLLECTION = clark(DAV, "collection")
ADDRESSBOOK = clark(CARD, "addressbook")
ADDRESSBOOK_HOME_SET = clark(CARD, "addressbook-home-set")
ADDRESSBOOK_DESCRIPTION = clark(CARD, "addressbook-description")
SUPPORTED_ADDRESS_DATA = clark(CARD, "supported-address-data")
ADDRESS_DATA = clark(CARD, "address-data")
ADDRESSBOOK_MULTIGET = clark(CARD, "addressbook-multiget")
GETCTAG = clark(CS, "getctag")
SYNC_COLLECTION = clark(DAV, "sync-collection")
CURRENT_USER_PRIVILEGE_SET = clark(DAV, "current-user-privilege-set")  # RFC 3744 §5.4
# Privileges that let the user store or delete items (RFC 3744 §3): any one of them
# means the collection is not read-only for us.
WRITE_PRIVILEGES = frozenset(
    clark(DAV, p) for p in ("all", "write", "write-content", "bind", "unbind")
)

# Precondition elements that servers put into a DAV:error body.
VALID_SYNC_TOKEN = clark(DAV, "valid-sync-token")
SUPPORTED_REPORT = clark(DAV, "supported-report")
NO_UID_CONFLICT = clark(CARD, "no-uid-conflict")
VALID_ADDRESS_DATA = clark(CARD, "valid-address-data")
SUPPORTED_ADDRESS_DATA_COND = clark(CARD, "supported-address-data")
MAX_RESOURCE_SIZE = clark(CARD, "max-resource-size")

# What a book listing asks for (discovery, book_state).
BOOK_PROPS: tuple[str, ...] = (
    RESOURCETYPE,
    DISPLAYNAME,
    ADDRESSBOOK_DESCRIPTION,
    GETCTAG,
    SYNC_TOKEN,
    SUPPORTED_ADDRESS_DATA,
    SUPPORTED_REPORT_SET,
    CURRENT_USER_PRIVILEGE_SET,
)


class XmlError(ValueError):
    """The server's XML was malformed, hostile or not a multistatus."""


class XmlTooLarge(XmlError):
    """A text node beyond libxml2's limit (10 MB): e.g. one huge card in a multiget."""


# ---------------------------------------------------------------------------
# Request bodies


def _serialize(root: etree._Element) -> bytes:
    """Serialize with an XML declaration: some servers (Kerio) insist on one."""
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _el(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    """Append a child element, optionally with text; a small helper to keep bodies short."""
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def propfind_body(props: Iterable[str]) -> bytes:
    """PROPFIND body asking for the given Clark-named properties."""
    root = etree.Element(clark(DAV, "propfind"), nsmap=NSMAP)
    prop = _el(root, clark(DAV, "prop"))
    for name in props:
        _el(prop, name)
    return _serialize(root)


def principal_propfind() -> bytes:
    """Depth-0 PROPFIND on a start URL: is it a book, a principal, a home - or none of these."""
    return propfind_body((CURRENT_USER_PRINCIPAL, ADDRESSBOOK_HOME_SET, *BOOK_PROPS))


def books_propfind() -> bytes:
    """Depth-1 PROPFIND on a home (or depth 0 on one book) for everything RemoteBook needs."""
    return propfind_body(BOOK_PROPS)


def etag_propfind() -> bytes:
    """Depth-1 PROPFIND listing every member's ETag, type and resourcetype."""
    return propfind_body((GETETAG, GETCONTENTTYPE, RESOURCETYPE))


def multiget_body(
    hrefs: Iterable[str],
    *,
    with_data: bool = True,
    report: str = ADDRESSBOOK_MULTIGET,
    data: str = ADDRESS_DATA,
    data_attrs: Mapping[str, str] | None = None,
) -> bytes:
    """A multiget REPORT for the given (absolute-path) hrefs: ETags and `data` of each.

    Default: RFC 6352 addressbook-multiget; `report`/`data` name another (RFC 4791
    calendar-multiget with calendar-data), its namespace gets the prefix "C".
    with_data=False asks for the ETags only (to fill gaps a listing left).
    `data_attrs` go onto the data element: `address_data_attrs("4.0")` asks for vCard 4.0
    (RFC 6352 §10.4); without them the server sends its default (vCard 3.0 for CardDAV).
    """
    root = etree.Element(report, nsmap={"D": DAV, "C": etree.QName(report).namespace})
    prop = _el(root, clark(DAV, "prop"))
    _el(prop, GETETAG)
    if with_data:
        el = _el(prop, data)
        for name, value in (data_attrs or {}).items():
            el.set(name, value)
    for href in hrefs:
        _el(root, clark(DAV, "href"), href)
    return _serialize(root)


# ---------------------------------------------------------------------------
# Parsing

_PARSER_OPTS = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "dtd_validation": False,
    "remove_comments": True,
    "remove_pis": True,
}

# The first start tag of an element; whatever precedes it is the prolog.
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _refuse_doctype_prolog(content: bytes) -> None:
    """Refuse an empty body and a DOCTYPE before the first element (cheaply, on the bytes)."""
    if not content or not content.strip():
        raise XmlError(_("leere Antwort"))
    match = _FIRST_ELEMENT.search(content)
    prolog = content[: match.start()] if match else content
    if _DOCTYPE.search(prolog):
        raise XmlError(_("DOCTYPE in der Serverantwort abgelehnt"))


def _syntax_error(exc: etree.XMLSyntaxError) -> XmlError:
    """The XmlError for libxml2's refusal: XmlTooLarge for a text node beyond 10 MB."""
    text = str(exc)
    if "Text node too long" in text or "huge text node" in text:
        return XmlTooLarge(_("zu großer Eintrag: {error}").format(error=exc))
    return XmlError(_("ungültiges XML: {error}").format(error=exc))


def _has_doctype(root: etree._Element) -> bool:
    docinfo: Any = root.getroottree().docinfo
    return bool(docinfo.doctype) or docinfo.internalDTD is not None


def _check_parsed(root: etree._Element | None) -> etree._Element:
    """A parsed document's root, refused when it is missing or has a DTD or entities."""
    if root is None:
        raise XmlError(_("leere Antwort"))
    if _has_doctype(root):
        raise XmlError(_("DOCTYPE in der Serverantwort abgelehnt"))
    if next(root.iter(etree.Entity), None) is not None:
        raise XmlError(_("Entity-Referenz in der Serverantwort abgelehnt"))
    return root


def parse_xml(content: bytes) -> etree._Element:
    """Parse untrusted XML safely; refuse DOCTYPEs (and so entity declarations) outright."""
    _refuse_doctype_prolog(content)
    parser = etree.XMLParser(**_PARSER_OPTS)  # type: ignore[arg-type]
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    return _check_parsed(root)


def parse_status(text: str | None) -> int | None:
    """'HTTP/1.1 404 Not Found' -> 404; None when absent or garbled."""
    if not text:
        return None
    parts = text.split()
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return None


def element_text(el: etree._Element | None) -> str | None:
    """All text inside an element (CDATA included), None for a missing element."""
    if el is None:
        return None
    return "".join(t if isinstance(t, str) else t.decode() for t in el.itertext())


@dataclass(slots=True)
class Entry:
    """One DAV:response: its canonical href, overall status and the properties found (200).

    A found property without child elements (getetag, getcontenttype, address-data, …) is
    kept as its text in `texts`; one with child elements (resourcetype, supported-report-set,
    …) as an element of its own in `props`, detached from the answer's tree.
    """

    href: str
    status: int | None = None  # response-level DAV:status (e.g. 404 for a deleted member)
    props: dict[str, etree._Element] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()  # props reported with a non-2xx status
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True unless the response itself carries a non-2xx status."""
        return self.status is None or 200 <= self.status < 300

    def found(self, prop: str) -> bool:
        """True if the server gave the property (with a 2xx status), empty or not."""
        return prop in self.texts or prop in self.props

    def text(self, prop: str) -> str | None:
        """Text of a found property, stripped; None if not found."""
        value = self.raw_text(prop)
        return value.strip() if value is not None else None

    def raw_text(self, prop: str) -> str | None:
        """Text of a found property exactly as sent (for address-data)."""
        value = self.texts.get(prop)
        return value if value is not None else element_text(self.props.get(prop))

    def child_tags(self, prop: str) -> set[str]:
        """Clark names of a property's children (resourcetype, supported-report-set...)."""
        el = self.props.get(prop)
        if el is None:
            return set()
        return {c.tag for c in el.iter() if isinstance(c.tag, str) and c is not el}

    def hrefs(self, prop: str) -> list[str]:
        """The DAV:href texts inside a property (current-user-principal, home-set)."""
        el = self.props.get(prop)
        if el is None:
            return []
        return [
            (h.text or "").strip() for h in el.iter(clark(DAV, "href")) if (h.text or "").strip()
        ]


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Multistatus:
    """A parsed 207 answer: its entries (hrefs normalized) and a top-level sync-token."""

    entries: list[Entry] = field(default_factory=list)
    sync_token: str | None = None
    # hrefs as sent that were dropped: another host, or outside the collection asked about
    ignored: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def find(self, href: str) -> Entry | None:
        """The entry for `href` (encoding-insensitive), if any."""
        for entry in self.entries:
            if same_href(entry.href, href):
                return entry
        return None


MULTISTATUS = clark(DAV, "multistatus")
_RESPONSE = clark(DAV, "response")
_HREF = clark(DAV, "href")
_STATUS = clark(DAV, "status")
_PROPSTAT = clark(DAV, "propstat")
_PROP = clark(DAV, "prop")


def _own_text(el: etree._Element | None) -> str | None:
    """element_text, quicker for the usual element without children."""
    if el is None:
        return None
    if len(el) == 0:
        return el.text or ""
    return element_text(el)


class _Reader:
    """Reads the DAV:response elements of one answer as the parser finishes each."""

    def __init__(self, request_url: str, collection: str | None) -> None:
        self.request_url = request_url
        self.collection = collection
        self.result = Multistatus()
        self.foreign: list[str] = []  # raw hrefs dropped, logged once the answer is read
        self._statuses: dict[str, int | None] = {}  # status line -> code, per answer
        self._values: dict[str, str] = {}  # one string object for repeated short values

    def status(self, el: etree._Element | None) -> int | None:
        line = _own_text(el)
        if line is None:
            return None
        code = self._statuses.get(line, -1)
        if code == -1:
            code = self._statuses[line] = parse_status(line)
        return code

    def response(self, resp: etree._Element) -> None:
        """Turn one DAV:response into entries (one per href), keeping no element of it."""
        hrefs: list[etree._Element] = []
        status_el: etree._Element | None = None
        propstats: list[etree._Element] = []
        for child in resp:
            tag = child.tag
            if tag == _HREF:
                hrefs.append(child)
            elif tag == _PROPSTAT:
                propstats.append(child)
            elif tag == _STATUS and status_el is None:
                status_el = child
        if not hrefs:
            return
        status = self.status(status_el)
        texts: dict[str, str] = {}
        props: dict[str, etree._Element] = {}
        missing: set[str] = set()
        for ps in propstats:
            ps_status = self.status(ps.find(_STATUS))
            prop = ps.find(_PROP)
            if prop is None:
                continue
            good = ps_status is None or 200 <= ps_status < 300
            for child in prop:
                tag = child.tag
                if not isinstance(tag, str):
                    continue
                if not good:
                    missing.add(tag)
                elif len(child) == 0:
                    value = child.text or ""
                    if len(value) <= 64:
                        value = self._values.setdefault(value, value)
                    texts[tag] = value
                    props.pop(tag, None)
                else:
                    props[tag] = copy.deepcopy(child)  # detached: the tree can go
                    texts.pop(tag, None)
        for href_el in hrefs:
            raw = _own_text(href_el) or ""
            href = normalize_href(raw, self.request_url, self.collection)
            if href is None:
                if raw.strip():
                    self.result.ignored.append(raw.strip()[:300])
                    self.foreign.append(raw[:300])
                continue
            self.result.entries.append(
                Entry(
                    href=href,
                    status=status,
                    props=dict(props) if props else {},
                    missing=frozenset(missing),
                    texts=dict(texts) if len(hrefs) > 1 else texts,
                )
            )


def parse_multistatus(
    content: bytes, request_url: str, *, collection: str | None = None
) -> Multistatus:
    """Parse a 207 Multi-Status body; drop entries of other hosts or outside `collection`.

    The answer is read as it is parsed: each DAV:response becomes plain strings (and a
    detached element for a property with children) and is cleared and dropped from the
    tree at once, so a listing of 10,000 items never holds the whole tree. The checks and
    errors are those of `parse_xml` followed by a walk of the root's DAV:response children.
    """
    _refuse_doctype_prolog(content)
    reader = _Reader(request_url, collection)
    events = etree.iterparse(io.BytesIO(content), events=("end",), tag=_RESPONSE, **_PARSER_OPTS)
    root: etree._Element | None = None
    readable = True  # False once the document is known to be refused: parse on for errors
    try:
        for _event, resp in events:
            parent = resp.getparent()
            if root is None:
                root = resp.getroottree().getroot()
                readable = root.tag == MULTISTATUS and not _has_doctype(root)
            if not readable or parent is not root:
                continue  # a DAV:response nested deeper is no member of the answer
            reader.response(resp)
            resp.clear()
            previous = resp.getprevious()
            while previous is not None and previous.tag == _RESPONSE:
                parent.remove(previous)
                previous = resp.getprevious()
        root = events.root
    except etree.XMLSyntaxError as exc:
        # The incremental parser words some errors differently (an undefined entity comes
        # out as "no element found"): the whole-document parse names the error as ever.
        parse_xml(content)
        raise _syntax_error(exc) from None
    root = _check_parsed(root)
    if root.tag != MULTISTATUS:
        raise XmlError(_("keine multistatus-Antwort, sondern {tag}").format(tag=repr(root.tag)))
    result = reader.result
    token_el = root.find(SYNC_TOKEN)
    if token_el is not None:
        result.sync_token = (element_text(token_el) or "").strip() or None
    for raw in reader.foreign:
        log.warning("Fremde Adresse in der Serverantwort ignoriert: %r", raw)
    return result


def error_conditions(content: bytes) -> set[str]:
    """Clark names of the preconditions in a DAV:error body; empty if there is none."""
    if not content or b"error" not in content:
        return set()
    try:
        root = parse_xml(content)
    except XmlError:
        return set()
    if root.tag != clark(DAV, "error"):
        return set()
    return {c.tag for c in root if isinstance(c.tag, str)}


def read_only(entry: Entry) -> bool:
    """True if the server says the user may only read this collection: its
    current-user-privilege-set names none of WRITE_PRIVILEGES. A server that does not
    send the property (SabreDAV without ACL, many others) is taken as writable."""
    if not entry.found(CURRENT_USER_PRIVILEGE_SET):
        return False
    return not (entry.child_tags(CURRENT_USER_PRIVILEGE_SET) & WRITE_PRIVILEGES)


VCARD_TYPE = "text/vcard"
VCARD_TYPES = (VCARD_TYPE, "text/x-vcard", "text/directory")


def address_data_attrs(version: str | None) -> dict[str, str]:
    """Attributes of CARD:address-data asking for vCard `version` (RFC 6352 §10.4);
    none for None: the server's default, vCard 3.0."""
    if not version:
        return {}
    return {"content-type": VCARD_TYPE, "version": version}


def address_data_versions(entry: Entry) -> tuple[str, ...]:
    """vCard versions listed in CARD:supported-address-data (e.g. ("3.0", "4.0"))."""
    el = entry.props.get(SUPPORTED_ADDRESS_DATA)
    if el is None:
        return ()
    versions: list[str] = []
    for item in el.iter(clark(CARD, "address-data-type")):
        # RFC 6352 §10.4: content-type defaults to text/vcard; jCard
        # (application/vcard+json) is no vCard we could ask for.
        ctype = (item.get("content-type") or VCARD_TYPE).split(";")[0].strip().lower()
        version = (item.get("version") or "").strip()
        if version and ctype in VCARD_TYPES and version not in versions:
            versions.append(version)
    return tuple(versions)
