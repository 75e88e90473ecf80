"""What every request on a DAV collection stands on: the client's kind, paths and answers.

`CollectionBase` holds the session and what a kind of collection is told by its subclass
(`CardDavClient`, `CalDavClient`: the multiget report and its data property, content types,
the file extension, the error class of a refused item and the German sentences of its errors,
`Wording`), and the helpers all requests share: canonical collection and item paths on this
server, the multiget body, a 207 answer parsed into a `Multistatus` (hrefs of other hosts or
outside the collection noted in `ignored_hrefs`, an item over 10 MB told apart as `_TooLarge`),
the check that a listing vouches for the collection itself, and `read_only` (the user's
privileges on it). The listing, reading and writing requests build on it
(`collection_listing.py`, `collection_fetch.py`, `collection.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from app.dav import xml
from app.dav.errors import CardRejected, DavError, NotFound, ServerError
from app.dav.hrefs import collection_path
from app.dav.session import DavResponse, DavSession
from app.i18n import _

if TYPE_CHECKING:
    from app.dav.refusal import Refusals


class _TooLarge(ServerError):
    """An answer with an item beyond the XML parser's limit (see `_fetch_batch`)."""


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Wording:
    """What a client says about its collection and items: German msgids marked with N_(),
    translated where used (`_(self.wording.item_gone)`)."""

    collection_elsewhere: str  # detail: "Adressbuch {href} liegt nicht auf diesem Server"
    item_elsewhere: str  # detail: "Kontakt {href} liegt nicht auf diesem Server"
    gone_detail: str  # detail: "{method} {url} -> 207 mit {status} für das Adressbuch"
    collection_gone: str  # the collection is not (any more) on the server
    collection_incomplete: str  # a listing that does not vouch for the collection
    item_gone: str  # an update found no item
    item_changed: str  # If-Match failed: changed on the server meanwhile
    name_taken: str  # If-None-Match failed: the name is in use
    token_expired: str  # the server refused our sync token
    refusals_of: str  # "card" / "event": the key of the kind's `app.dav.refusal.REFUSALS`

    @property
    def refusals(self) -> Refusals:
        """A refused PUT: our words, the server's message, what to do. (app/dav/refusal.py
        loads with the first refusal: a run that is refused nothing never imports it.)"""
        from app.dav.refusal import REFUSALS

        return REFUSALS[self.refusals_of]


class CollectionBase:
    """The session, the kind of collection and the helpers of every request on it."""

    multiget_report: ClassVar[str]  # Clark name: addressbook-multiget / calendar-multiget
    data_prop: ClassVar[str]  # Clark name: address-data / calendar-data
    content_type: ClassVar[str]  # sent with a PUT
    item_types: ClassVar[tuple[str, ...]]  # content types listed as items (none stated: all)
    accept: ClassVar[str]  # Accept header of a GET
    extension: ClassVar[str]  # of the resource names `create` makes (".vcf")
    batch_size: ClassVar[int]  # hrefs per multiget unless the caller says otherwise
    content_conditions: ClassVar[tuple[str, ...]]  # precondition prefixes about the content
    rejected: ClassVar[type[CardRejected]]  # raised for a refused item
    wording: ClassVar[Wording]

    def __init__(self, session: DavSession) -> None:
        self.session = session
        # hrefs of other hosts or outside the collection that answers contained: never
        # read, written or deleted, kept here so the run can report them.
        self.ignored_hrefs: list[str] = []
        # Items whose data is beyond what we parse (a text node over 10 MB): never read,
        # reported by the run and asked for again (alone) by the next one.
        self.oversized_hrefs: list[str] = []

    def close(self) -> None:
        """Close the underlying session."""
        self.session.close()

    def read_only(self, href: str) -> bool:
        """Ask the server whether the user may only read this collection (one Depth-0
        PROPFIND of DAV:current-user-privilege-set). False when the server does not say or
        the question fails: then a refused write stays that item's error."""
        try:
            resp = self.session.request(
                "PROPFIND",
                self._collection_path(href),
                body=xml.propfind_body((xml.CURRENT_USER_PRIVILEGE_SET,)),
                depth="0",
                accept=(403, 404, 405),
            )
            if resp.status != 207:
                return False
            entries = xml.parse_multistatus(resp.content, resp.url).entries
        except (DavError, xml.XmlError):
            return False
        return bool(entries) and xml.read_only(entries[0])

    # -- helpers -----------------------------------------------------------------

    def _collection_path(self, href: str) -> str:
        """Canonical absolute path of a collection, always with a trailing slash."""
        path = collection_path(href, self.session.base_url)
        if path is None:
            raise NotFound(detail=_(self.wording.collection_elsewhere).format(href=repr(href)))
        return path

    def _item_path(self, href: str) -> str:
        """Canonical absolute path of an item on this server."""
        path = xml.normalize_href(href, self.session.base_url)
        if path is None:
            raise NotFound(detail=_(self.wording.item_elsewhere).format(href=repr(href)))
        return path

    def _is_item_type(self, content_type: str | None) -> bool:
        """True for this client's content types; True as well when the server gave none."""
        if not content_type:
            return True
        return content_type.strip().lower().startswith(self.item_types)

    def _multiget_body(
        self, collection: str, hrefs: Iterable[str], *, with_data: bool = True
    ) -> bytes:
        return xml.multiget_body(
            hrefs,
            with_data=with_data,
            report=self.multiget_report,
            data=self.data_prop,
            data_attrs=self._data_attrs(collection),
        )

    def _data_attrs(self, collection: str) -> dict[str, str]:
        """Attributes of the data element in a multiget of `collection` (the version of
        the data asked for); none by default: the server's default format."""
        return {}

    def _accept_for(self, path: str) -> str:
        """Accept header of a GET of the item at `path`."""
        return self.accept

    def _multistatus(self, resp: DavResponse, collection: str) -> xml.Multistatus:
        """Parse a 207 body, mapping malformed XML to ServerError; note foreign hrefs."""
        try:
            ms = xml.parse_multistatus(resp.content, resp.url, collection=collection)
        except xml.XmlError as exc:
            error, message = (
                (_TooLarge, _("Der Server hat einen Eintrag geschickt, der größer als 10 MB ist."))
                if isinstance(exc, xml.XmlTooLarge)
                else (ServerError, _("Der Server hat eine unlesbare Antwort geschickt."))
            )
            raise error(message, f"{resp.method} {resp.url}: {exc}", status=resp.status) from None
        for href in ms.ignored:
            if href not in self.ignored_hrefs:
                self.ignored_hrefs.append(href)
        return ms

    def _collection_gone(self, resp: DavResponse, status: int) -> NotFound:
        return NotFound(
            _(self.wording.collection_gone),
            _(self.wording.gone_detail).format(method=resp.method, url=resp.url, status=status),
        )

    def _check_listed(self, ms: xml.Multistatus, collection: str, resp: DavResponse) -> None:
        """Refuse an answer that does not vouch for the collection itself.

        Xandikos answers a PROPFIND or REPORT on a missing collection with 207 and a 404
        entry; read as "empty" that would make the sync delete every local item.
        """
        own = ms.find(collection)
        if own is not None and own.status in (404, 410):
            raise self._collection_gone(resp, own.status)
        if own is None and not ms.entries:
            raise ServerError(
                _(self.wording.collection_incomplete),
                _("{method} {url} -> 207 ohne Einträge").format(method=resp.method, url=resp.url),
                status=resp.status,
            )
