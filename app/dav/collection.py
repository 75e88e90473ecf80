"""Item-level operations on one DAV collection, shared by CardDAV and CalDAV.

An address book and a calendar are read and written the same way: sync-collection deltas
(RFC 6578) where the server has them and PROPFIND listings where not, a multiget REPORT in
batches (halved where SabreDAV 1.8 answers a whole batch with 404, or one item is over
10 MB), GET, and PUT/DELETE with If-None-Match / If-Match so that a concurrent change on
the server is never overwritten silently. ETags are kept byte-for-byte as the server sent
them; item data is returned exactly as sent (only the CRLF line breaks that XML parsing
folds to LF are restored).

`CollectionClient` holds all of that; `CardDavClient` (carddav.py) and `CalDavClient`
(caldav.py) say with a few class attributes what differs: the multiget report and its data
property, content types, the file extension, the error class of a refused item and the German
sentences of their errors (`Wording`).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar
from urllib.parse import quote

from app.background import in_background, result_of, wait_for
from app.dav import xml
from app.dav.errors import (
    CardRejected,
    DavError,
    NotFound,
    PreconditionFailed,
    ServerError,
    SyncTokenInvalid,
    SyncUnsupported,
)
from app.dav.model import Listing, RemoteCard, WriteResult
from app.dav.refusal import Refusals, ServerWords, condition_name
from app.dav.session import DavResponse, DavSession

log = logging.getLogger(__name__)

MAX_SYNC_PAGES = 10_000
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._~@+-]")
ETAG_BATCH = 500  # hrefs per ETag-only multiget that fills gaps of a listing

# Statuses a PUT may answer that concern the item, not the connection.
PUT_ACCEPT = (400, 403, 404, 409, 410, 412, 413, 415, 422, 507)


@dataclass
class _Fetched:
    """A multiget batch as the request left it: the answer still to be read (`resp`), or
    items already read (a fallback that needed more requests did that)."""

    batch: list[str]
    resp: DavResponse | None = None
    items: list[RemoteCard] = field(default_factory=list)


class _TooLarge(ServerError):
    """An answer with an item beyond the XML parser's limit (see `_fetch_batch`)."""


@dataclass(frozen=True)
class Wording:
    """What a client says about its collection and items: German, as users read it."""

    collection_noun: str  # "Adressbuch": technical details ("... liegt nicht auf ...")
    item_noun: str  # "Kontakt"
    for_collection: str  # "für das Adressbuch": technical details
    collection_gone: str  # the collection is not (any more) on the server
    collection_incomplete: str  # a listing that does not vouch for the collection
    item_gone: str  # an update found no item
    item_changed: str  # If-Match failed: changed on the server meanwhile
    name_taken: str  # If-None-Match failed: the name is in use
    token_expired: str  # the server refused our sync token
    refusals: Refusals  # a refused PUT: our words, the server's message, what to do


class CollectionClient:
    """Item-level operations on collections of one kind over one DavSession."""

    multiget_report: ClassVar[str]  # Clark name: addressbook-multiget / calendar-multiget
    data_prop: ClassVar[str]  # Clark name: address-data / calendar-data
    content_type: ClassVar[str]  # sent with a PUT
    item_types: ClassVar[tuple[str, ...]]  # content types listed as items (none stated: all)
    accept: ClassVar[str]  # Accept header of a GET
    extension: ClassVar[str]  # of the resource names `create` makes (".vcf")
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
        path = xml.normalize_href(href, self.session.base_url)
        if path is None:
            raise NotFound(
                detail=f"{self.wording.collection_noun} {href!r} liegt nicht auf diesem Server"
            )
        return path if path.endswith("/") else path + "/"

    def _item_path(self, href: str) -> str:
        """Canonical absolute path of an item on this server."""
        path = xml.normalize_href(href, self.session.base_url)
        if path is None:
            raise NotFound(
                detail=f"{self.wording.item_noun} {href!r} liegt nicht auf diesem Server"
            )
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
                (_TooLarge, "Der Server hat einen Eintrag geschickt, der größer als 10 MB ist.")
                if isinstance(exc, xml.XmlTooLarge)
                else (ServerError, "Der Server hat eine unlesbare Antwort geschickt.")
            )
            raise error(message, f"{resp.method} {resp.url}: {exc}", status=resp.status) from None
        for href in ms.ignored:
            if href not in self.ignored_hrefs:
                self.ignored_hrefs.append(href)
        return ms

    def _collection_gone(self, resp: DavResponse, status: int) -> NotFound:
        return NotFound(
            self.wording.collection_gone,
            f"{resp.method} {resp.url} -> 207 mit {status} {self.wording.for_collection}",
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
                self.wording.collection_incomplete,
                f"{resp.method} {resp.url} -> 207 ohne Einträge",
                status=resp.status,
            )

    def _fill_missing_etags(
        self, collection: str, etags: dict[str, str], missing: set[str]
    ) -> None:
        """Ask for the ETags a listing left out (Xandikos omits unchanged props in deltas).

        A batch answered with 404 (SabreDAV 1.8: one of them vanished meanwhile) is halved
        until the vanished ones stand alone, so one gone item costs no other its ETag. An
        ETag not learned stays "" (`_set_aside_etagless` then names the item unknown).
        """
        hrefs = sorted(missing)
        batches = [hrefs[i : i + ETAG_BATCH] for i in range(0, len(hrefs), ETAG_BATCH)]
        while batches:
            batch = batches.pop()
            body = self._multiget_body(collection, batch, with_data=False)
            resp = self.session.request("REPORT", collection, body=body, depth="1", accept=(404,))
            if resp.status == 404:
                if len(batch) > 1:
                    batches += [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
                continue
            for entry in self._multistatus(resp, collection):
                etag = entry.text(xml.GETETAG)
                if entry.ok and etag and entry.href in missing:
                    etags[entry.href] = etag

    @staticmethod
    def _set_aside_etagless(listing: Listing) -> None:
        """Items whose ETag could not be learned move from `etags` to `unknown`: never
        dropped silently (a delta would skip their change for good, a full listing would
        make them look deleted). The engine fetches them, and holds its position back
        for any it still cannot account for."""
        for href in [h for h, etag in listing.etags.items() if not etag]:
            del listing.etags[href]
            listing.unknown.add(href)
            log.warning("Kein ETag für %s zu erfahren: Stand unbekannt", href)

    # -- listings ----------------------------------------------------------------

    def _changes(self, href: str, token: str | None, limit: int | None) -> Listing:
        """sync-collection listing: full with token None/"", else the delta since `token`.

        Follows 507-truncated pages until complete. A server that cuts a page at `limit`
        without saying so (Xandikos) is asked again without a limit, so nothing is lost.
        Raises SyncTokenInvalid or SyncUnsupported as the server indicates.
        """
        collection = self._collection_path(href)
        full = not token
        listing = Listing(full=full)
        missing: set[str] = set()
        current = token or ""
        for _page in range(MAX_SYNC_PAGES):
            resp = self._sync_request(collection, current, limit)
            ms = self._multistatus(resp, collection)
            truncated, results = self._split_sync(ms, collection, resp)
            if limit is not None and not truncated and len(results) == limit:
                # Maybe cut short without a 507: repeat this page without a limit.
                resp = self._sync_request(collection, current, None)
                ms = self._multistatus(resp, collection)
                truncated, results = self._split_sync(ms, collection, resp)
            for entry in results:
                self._apply_sync_entry(listing, missing, entry, full)
            if not ms.sync_token:
                raise ServerError(
                    "Der Server hat kein Synchronisations-Token geliefert.",
                    f"REPORT sync-collection {collection}: kein DAV:sync-token",
                    status=resp.status,
                )
            listing.sync_token = ms.sync_token
            if not truncated:
                break
            if ms.sync_token == current:
                raise ServerError(
                    "Der Server liefert die Änderungen nicht vollständig.",
                    f"REPORT sync-collection {collection}: 507 ohne neues Token",
                    status=507,
                )
            current = ms.sync_token
        else:
            raise ServerError(detail=f"sync-collection {collection}: zu viele Seiten", status=507)
        self._fill_missing_etags(collection, listing.etags, missing & set(listing.etags))
        self._set_aside_etagless(listing)
        return listing

    def _sync_request(self, collection: str, token: str, limit: int | None) -> DavResponse:
        """Send one sync-collection REPORT; map refusals to SyncTokenInvalid/Unsupported."""
        resp = self.session.request(
            "REPORT",
            collection,
            body=xml.sync_collection_body(token, limit),
            depth="0",
            accept=(400, 403, 405, 409, 412, 415, 501),
        )
        if resp.status == 207:
            return resp
        conditions = xml.error_conditions(resp.content)
        named = ", ".join(condition_name(c) for c in sorted(conditions))
        detail = f"REPORT sync-collection {collection} -> HTTP {resp.status}" + (
            f"; Bedingung {named}" if named else ""
        )
        if xml.VALID_SYNC_TOKEN in conditions:
            raise SyncTokenInvalid(self.wording.token_expired, detail)
        if xml.SUPPORTED_REPORT in conditions or resp.status in (405, 415, 501):
            raise SyncUnsupported(detail=detail)
        if token:
            # Servers differ in how they refuse an old token; a full listing recovers.
            raise SyncTokenInvalid(self.wording.token_expired, detail)
        raise SyncUnsupported(detail=detail)

    def _split_sync(
        self, ms: xml.Multistatus, collection: str, resp: DavResponse
    ) -> tuple[bool, list[xml.Entry]]:
        """(truncated?, member entries) - a 507 on the collection marks a partial page."""
        truncated = False
        members: list[xml.Entry] = []
        for entry in ms:
            if xml.same_href(entry.href, collection):
                if entry.status == 507:
                    truncated = True
                elif entry.status in (404, 410):
                    raise self._collection_gone(resp, entry.status)
                continue
            members.append(entry)
        return truncated, members

    def _apply_sync_entry(
        self, listing: Listing, missing: set[str], entry: xml.Entry, full: bool
    ) -> None:
        """Fold one sync entry into the listing (later pages override earlier ones)."""
        href = entry.href
        if entry.status in (404, 410):
            listing.etags.pop(href, None)
            listing.unknown.discard(href)
            missing.discard(href)
            if not full:
                listing.deleted.add(href)
            return
        if href.endswith("/"):
            return
        if not entry.ok:
            # Another status for this member (403, 500, …): whether it changed is unknown.
            listing.etags.pop(href, None)
            listing.deleted.discard(href)
            missing.discard(href)
            listing.unknown.add(href)
            return
        if not self._is_item_type(entry.text(xml.GETCONTENTTYPE)):
            return
        etag = entry.text(xml.GETETAG)
        listing.deleted.discard(href)
        listing.unknown.discard(href)
        listing.etags[href] = etag or ""
        if etag:
            missing.discard(href)
        else:
            missing.add(href)

    def _list_etags(self, href: str) -> Listing:
        """PROPFIND depth 1: every item's ETag (for servers without sync-collection)."""
        collection = self._collection_path(href)
        resp = self.session.request("PROPFIND", collection, body=xml.etag_propfind(), depth="1")
        ms = self._multistatus(resp, collection)
        self._check_listed(ms, collection, resp)
        listing = Listing(full=True)
        missing: set[str] = set()
        for entry in ms:
            if xml.same_href(entry.href, collection) or entry.href.endswith("/"):
                continue
            if not entry.ok:
                if entry.status not in (404, 410):
                    listing.unknown.add(entry.href)  # listed, but not vouched for
                continue
            if xml.COLLECTION in entry.child_tags(xml.RESOURCETYPE):
                continue
            if not self._is_item_type(entry.text(xml.GETCONTENTTYPE)):
                continue
            etag = entry.text(xml.GETETAG)
            listing.etags[entry.href] = etag or ""
            if not etag:
                missing.add(entry.href)
        self._fill_missing_etags(collection, listing.etags, missing)
        self._set_aside_etagless(listing)
        return listing

    # -- reading items -----------------------------------------------------------

    def _multiget(self, href: str, hrefs: Iterable[str], batch_size: int) -> Iterator[RemoteCard]:
        """Multiget in batches; hrefs the server does not return are skipped.

        While the caller works through one batch, the next one is already being fetched on
        a helper thread, and the answer just received is read only after that request went
        out: the server prepares its next answer while we parse and store. Only one thread
        uses the session at a time: the helper while its request is in flight; reading an
        answer that needs more requests (an item without ETag, one over 10 MB) first waits
        for it. Closing the iterator waits for the request in flight, so the session is
        free again afterwards — unless the process is ending on Ctrl+C, which must not hang
        on a slow server.
        """
        collection = self._collection_path(href)
        wanted: list[str] = []
        seen: set[str] = set()
        for item in hrefs:
            path = xml.normalize_href(item, self.session.base_url, collection)
            if path is None or path in seen or xml.same_href(path, collection):
                continue
            seen.add(path)
            wanted.append(path)
        size = max(1, int(batch_size))
        batches = [wanted[i : i + size] for i in range(0, len(wanted), size)]
        existing: list[set[str]] = []  # filled once a batch comes back 404
        pending: Future[_Fetched] | None = None
        try:
            for index, batch in enumerate(batches):
                if pending is None:
                    fetched = self._request_batch(collection, batch, existing)
                else:
                    fetched = result_of(pending)
                    pending = None
                if index + 1 < len(batches):
                    pending = in_background(
                        partial(self._request_batch, collection, batches[index + 1], existing),
                        "multiget",
                    )
                read = self._parse_fetched(fetched, collection)
                if read is None or any(item is None for _href, item in read):
                    # Reading it needs requests: once the session is free.
                    if pending is not None:
                        wait_for(pending)
                    yield from self._read_fetched(fetched, collection, existing, read)
                else:
                    yield from (item for _href, item in read if item is not None)
        except KeyboardInterrupt:
            pending = None  # the process ends: the request in flight is not waited for
            raise
        except GeneratorExit as closing:
            # Closed by a caller that is ending on Ctrl+C (the interrupt came while the
            # caller, not this generator, was running): do not wait either.
            if isinstance(closing.__context__, KeyboardInterrupt):
                pending = None
            raise
        finally:
            if pending is not None:
                wait_for(pending)  # a request in flight ends before the session is reused

    def _request_batch(
        self,
        collection: str,
        batch: list[str],
        existing: list[set[str]],
        *,
        filtered: bool = False,
    ) -> _Fetched:
        """One multiget batch's answer, not read yet (or, after SabreDAV 1.8's 404 for a
        batch with one missing href, the items read by the halving that needed)."""
        if not batch:
            return _Fetched(batch, items=[])
        resp = self._multiget_request(collection, batch)
        if resp.status == 404:
            return _Fetched(batch, items=self._after_404(collection, batch, existing, filtered))
        return _Fetched(batch, resp=resp)

    def _parse_fetched(
        self, fetched: _Fetched, collection: str
    ) -> list[tuple[str, RemoteCard | None]] | None:
        """A fetched batch read without any request: (href, item), the item None where the
        answer gave no ETag; None for an answer beyond libxml2's 10 MB."""
        if fetched.resp is None:
            return [(item.href, item) for item in fetched.items]
        try:
            return self._items_from(fetched.resp, collection, fetched.batch)
        except _TooLarge:
            return None

    def _read_fetched(
        self,
        fetched: _Fetched,
        collection: str,
        existing: list[set[str]],
        read: list[tuple[str, RemoteCard | None]] | None = None,
    ) -> list[RemoteCard]:
        """Read a fetched batch (`read`: as `_parse_fetched` found it), making the requests
        that needs: the session is free."""
        if fetched.resp is None:
            return fetched.items
        batch = fetched.batch
        try:
            items = read if read is not None else self._items_from(fetched.resp, collection, batch)
        except _TooLarge:
            if len(batch) == 1:
                log.warning("Eintrag größer als 10 MB, nicht gelesen: %s", batch[0])
                if batch[0] not in self.oversized_hrefs:
                    self.oversized_hrefs.append(batch[0])
                return []
            return self._fetch_halves(collection, batch, existing)
        out: list[RemoteCard] = []
        for href, item in items:
            if item is None:  # no ETag in the answer: read it alone
                item = self.get(href)
            if item is not None:
                out.append(item)
        return out

    def _items_from(
        self, resp: DavResponse, collection: str, batch: list[str]
    ) -> list[tuple[str, RemoteCard | None]]:
        """The items of a multiget answer, limited to the hrefs asked for; None for an item
        the answer gives without ETag (to be read alone). No request is made here."""
        ms = self._multistatus(resp, collection)
        own = ms.find(collection)
        if own is not None and own.status in (404, 410):
            raise self._collection_gone(resp, own.status)
        batch_set = set(batch)
        out: list[tuple[str, RemoteCard | None]] = []
        for entry in ms:
            if not entry.ok or entry.href not in batch_set:
                continue
            text = entry.raw_text(self.data_prop)
            if text is None:
                continue
            batch_set.discard(entry.href)
            if "\r" not in text:
                # XML parsing folds CRLF to LF; vCard and iCalendar lines end in CRLF.
                text = text.replace("\n", "\r\n")
            etag = entry.text(xml.GETETAG)
            out.append((entry.href, RemoteCard(entry.href, etag, text) if etag else None))
        return out

    def _fetch_batch(
        self,
        collection: str,
        batch: list[str],
        existing: list[set[str]],
        *,
        filtered: bool = False,
    ) -> list[RemoteCard]:
        """One multiget batch, read completely (requests and reading on this thread).

        Halved until the cause stands alone where one item spoils the whole answer:
        SabreDAV 1.8 answers 404 for a batch with one missing href (after the hrefs the
        collection does not list are dropped: `existing`, learned once per multiget), and
        libxml2 refuses an answer with an item over 10 MB (reported in `oversized_hrefs`).
        """
        fetched = self._request_batch(collection, batch, existing, filtered=filtered)
        return self._read_fetched(fetched, collection, existing)

    def _after_404(
        self, collection: str, batch: list[str], existing: list[set[str]], filtered: bool
    ) -> list[RemoteCard]:
        if not filtered:
            # Learn which items exist (this also tells whether the collection is gone).
            if not existing:
                listed = self._list_etags(collection)
                existing.append(set(listed.etags) | listed.unknown)
            known = [h for h in batch if h in existing[0]]
            return self._fetch_batch(collection, known, existing, filtered=True)
        if len(batch) == 1:
            return []  # gone meanwhile
        return self._fetch_halves(collection, batch, existing)

    def _fetch_halves(
        self, collection: str, batch: list[str], existing: list[set[str]]
    ) -> list[RemoteCard]:
        mid = len(batch) // 2
        return self._fetch_batch(
            collection, batch[:mid], existing, filtered=True
        ) + self._fetch_batch(collection, batch[mid:], existing, filtered=True)

    def _multiget_request(self, collection: str, batch: list[str]) -> DavResponse:
        """One multiget REPORT; a 404 is returned, not raised."""
        return self.session.request(
            "REPORT",
            collection,
            body=self._multiget_body(collection, batch),
            depth="1",
            accept=(404,),
        )

    def get(self, href: str) -> RemoteCard | None:
        """GET one item; None if it does not exist (any more)."""
        path = self._item_path(href)
        resp = self.session.request(
            "GET", path, headers={"Accept": self._accept_for(path)}, accept=(404, 410)
        )
        if resp.status in (404, 410):
            return None
        return RemoteCard(href=path, etag=resp.header("etag") or "", text=resp.text)

    # -- writing items -----------------------------------------------------------

    def _put(self, href: str, text: str, headers: dict[str, str], *, creating: bool) -> WriteResult:
        """PUT an item and map the item-level refusals, in the server's words too."""
        words = self.wording
        hdrs = {"Content-Type": self.content_type, **headers}
        resp = self.session.request(
            "PUT", href, body=text.encode("utf-8"), headers=hdrs, accept=PUT_ACCEPT
        )
        detail = f"PUT {href} -> HTTP {resp.status}"
        said = self.session.server_words(resp) if resp.status >= 400 else ServerWords()
        if said.detail():
            detail = f"{detail}; {said.detail()}"
        refusals = words.refusals
        # A precondition about the item itself is a refusal even on a 412 (Xandikos
        # behind WSGI answers a broken vCard with 412 + caldav:valid-calendar-data).
        if resp.status == 412 and not refusals.explains(said, self.content_conditions):
            raise PreconditionFailed(
                words.name_taken if creating else words.item_changed,
                detail,
                server_text=said.message,
            )
        if resp.status in (404, 410):
            raise NotFound(words.collection_gone if creating else words.item_gone, detail)
        if resp.status >= 400:
            raise self.rejected(
                detail=detail,
                status=resp.status,
                server_text=said.message,
                refusal=refusals.refusal(resp.status, said, self.content_conditions),
            )
        new_href = href
        location = resp.header("location")
        if location:
            moved = xml.normalize_href(location, self.session.url_for(href))
            if moved is not None:
                new_href = moved
        return WriteResult(href=new_href, etag=resp.header("etag") or None)

    def _item_href(self, collection_href: str, name: str) -> str:
        """`<collection>/<name><extension>`, with unsafe characters of `name` as "-"."""
        collection = self._collection_path(collection_href)
        ext = self.extension
        stem = name[: -len(ext)] if name.lower().endswith(ext) else name
        stem = UNSAFE_NAME.sub("-", stem).strip(".") or uuid.uuid4().hex
        return collection + quote(f"{stem}{ext}", safe=xml.SEGMENT_SAFE)

    def _create(self, collection_href: str, text: str, name: str) -> WriteResult:
        """PUT a new item, refusing to overwrite (If-None-Match: *)."""
        href = self._item_href(collection_href, name)
        return self._put(href, text, {"If-None-Match": "*"}, creating=True)

    def update(self, href: str, text: str, etag: str) -> WriteResult:
        """Overwrite an item only if it still has `etag` (If-Match, sent verbatim).

        An empty `etag` (never learned) sends "If-Match: *": the item must still exist,
        so a deleted item is never silently re-created.
        """
        path = self._item_path(href)
        return self._put(path, text, {"If-Match": etag or "*"}, creating=False)

    def delete(self, href: str, etag: str | None) -> None:
        """Delete an item if it still has `etag`; an item already gone is not an error.

        Without an ETag (None or "") the delete is unconditional.
        """
        path = self._item_path(href)
        headers = {"If-Match": etag} if etag else {}
        resp = self.session.request("DELETE", path, headers=headers, accept=(404, 410, 412))
        # RFC 7232: If-Match also fails when the item no longer exists (SabreDAV says 412
        # there, Radicale 404); only an item that is still there has "changed".
        if resp.status == 412 and (not etag or self._exists(path)):
            raise PreconditionFailed(self.wording.item_changed, f"DELETE {path} -> HTTP 412")

    def _exists(self, path: str) -> bool:
        """HEAD an item: does it (still) exist?"""
        resp = self.session.request("HEAD", path, accept=(404, 405, 410))
        if resp.status == 405:
            return self.get(path) is not None
        return resp.status not in (404, 410)
