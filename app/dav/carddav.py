"""CardDAV operations on one address book: list, fetch, write, delete - with ETags.

python-caldav has no CardDAV, so this is ours. It speaks sync-collection (RFC 6578) where
the server has it and plain PROPFIND listings where not, batches addressbook-multiget
(RFC 6352) and writes with If-Match / If-None-Match so that a concurrent change on the
server is never overwritten silently. ETags are kept byte-for-byte as the server sent them.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from app.dav import discovery, xml
from app.dav.errors import (
    CardRejected,
    NotFound,
    PreconditionFailed,
    ServerError,
    SyncTokenInvalid,
    SyncUnsupported,
)
from app.dav.model import Listing, RemoteBook, RemoteCard, WriteResult
from app.dav.session import DavResponse, DavSession

log = logging.getLogger(__name__)

VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"
_VCARD_TYPES = ("text/vcard", "text/x-vcard", "text/directory")
MAX_SYNC_PAGES = 10_000
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._~@+-]")

# Statuses a PUT may answer that concern the card, not the connection.
_PUT_ACCEPT = (400, 403, 404, 409, 410, 412, 413, 415, 422, 507)

_REJECT_MESSAGES: dict[int, str] = {
    400: "Der Server hat den Kontakt als fehlerhaft abgelehnt (ungültige vCard).",
    403: (
        "Der Server erlaubt das Speichern dieses Kontakts nicht (fehlende Schreibrechte "
        "oder vom Server nicht akzeptierter Inhalt)."
    ),
    409: (
        "Der Kontakt steht im Konflikt mit einem vorhandenen Eintrag auf dem Server: "
        "ein Kontakt mit derselben UID existiert bereits."
    ),
    413: "Der Kontakt ist zu groß für den Server (z. B. wegen eines großen Fotos).",
    415: "Der Server akzeptiert dieses vCard-Format nicht.",
    422: "Der Server hat den Kontakt als fehlerhaft abgelehnt (ungültige vCard).",
    507: "Auf dem Server ist nicht genug Speicherplatz frei (Kontingent überschritten).",
}
_CONDITION_MESSAGES: dict[str, str] = {
    xml.NO_UID_CONFLICT: "Ein Kontakt mit derselben UID existiert bereits im Adressbuch.",
    xml.VALID_ADDRESS_DATA: "Der Server hält die vCard für ungültig und hat sie abgelehnt.",
    xml.SUPPORTED_ADDRESS_DATA_COND: "Der Server akzeptiert dieses vCard-Format nicht.",
    xml.MAX_RESOURCE_SIZE: (
        "Der Kontakt ist zu groß für den Server (z. B. wegen eines großen Fotos)."
    ),
}


def _is_vcard_type(content_type: str | None) -> bool:
    """True for vCard content types; True as well when the server gave none."""
    if not content_type:
        return True
    return content_type.strip().lower().startswith(_VCARD_TYPES)


def _drop_etagless(listing: Listing) -> None:
    """Remove cards whose ETag could not be learned: without one they cannot be synced."""
    for href in [h for h, etag in listing.etags.items() if not etag]:
        del listing.etags[href]
        log.warning("Kein ETag für %s, übersprungen", href)


class CardDavClient:
    """Card-level CardDAV operations over one DavSession."""

    def __init__(self, session: DavSession) -> None:
        self.session = session
        # hrefs of other hosts or outside the book that answers contained: never read,
        # written or deleted, kept here so the run can report them.
        self.ignored_hrefs: list[str] = []

    def close(self) -> None:
        """Close the underlying session."""
        self.session.close()

    # -- helpers -----------------------------------------------------------------

    def _book_path(self, book_href: str) -> str:
        """Canonical absolute path of a book, always with a trailing slash."""
        path = xml.normalize_href(book_href, self.session.base_url)
        if path is None:
            raise NotFound(detail=f"Adressbuch {book_href!r} liegt nicht auf diesem Server")
        return path if path.endswith("/") else path + "/"

    def _card_path(self, href: str) -> str:
        """Canonical absolute path of a card on this server."""
        path = xml.normalize_href(href, self.session.base_url)
        if path is None:
            raise NotFound(detail=f"Kontakt {href!r} liegt nicht auf diesem Server")
        return path

    def _multistatus(self, resp: DavResponse, collection: str) -> xml.Multistatus:
        """Parse a 207 body, mapping malformed XML to ServerError."""
        try:
            ms = xml.parse_multistatus(resp.content, resp.url, collection=collection)
        except xml.XmlError as exc:
            raise ServerError(
                "Der Server hat eine unlesbare Antwort geschickt.",
                f"{resp.method} {resp.url}: {exc}",
                status=resp.status,
            ) from None
        for href in ms.ignored:
            if href not in self.ignored_hrefs:
                self.ignored_hrefs.append(href)
        return ms

    @staticmethod
    def _check_book_listed(ms: xml.Multistatus, book: str, resp: DavResponse) -> None:
        """Refuse an answer that does not vouch for the book itself.

        Xandikos answers a PROPFIND or REPORT on a missing book with 207 and a 404 entry;
        read as "empty book" that would make the sync delete every local contact.
        """
        entry = ms.find(book)
        if entry is not None and entry.status in (404, 410):
            raise NotFound(
                "Das Adressbuch wurde auf dem Server nicht gefunden.",
                f"{resp.method} {resp.url} -> 207 mit {entry.status} für das Adressbuch",
            )
        if entry is None and not ms.entries:
            raise ServerError(
                "Der Server hat das Adressbuch nicht vollständig aufgeführt.",
                f"{resp.method} {resp.url} -> 207 ohne Einträge",
                status=resp.status,
            )

    def _fill_missing_etags(self, book: str, etags: dict[str, str], missing: set[str]) -> None:
        """Ask for the ETags a listing left out (Xandikos omits unchanged props in deltas)."""
        if not missing:
            return
        hrefs = sorted(missing)
        for i in range(0, len(hrefs), 500):
            body = xml.multiget_body(hrefs[i : i + 500], with_data=False)
            resp = self.session.request("REPORT", book, body=body, depth="1", accept=(404,))
            if resp.status == 404:  # SabreDAV: one of them vanished meanwhile
                continue
            for entry in self._multistatus(resp, book):
                etag = entry.text(xml.GETETAG)
                if entry.ok and etag and entry.href in missing:
                    etags[entry.href] = etag

    # -- listings ----------------------------------------------------------------

    def book_state(self, book_href: str) -> RemoteBook:
        """ctag and sync token of one book (depth-0 PROPFIND), the cheap "changed?" check."""
        return discovery.book_state(self.session, self._book_path(book_href))

    def changes(self, book_href: str, token: str | None, *, limit: int | None = None) -> Listing:
        """sync-collection listing: full with token None/"", else the delta since `token`.

        Follows 507-truncated pages until complete. A server that cuts a page at `limit`
        without saying so (Xandikos) is asked again without a limit, so nothing is lost.
        Raises SyncTokenInvalid or SyncUnsupported as the server indicates.
        """
        book = self._book_path(book_href)
        full = not token
        listing = Listing(full=full)
        missing: set[str] = set()
        current = token or ""
        for _page in range(MAX_SYNC_PAGES):
            resp = self._sync_request(book, current, limit)
            ms = self._multistatus(resp, book)
            truncated, results = self._split_sync(ms, book)
            if limit is not None and not truncated and len(results) == limit:
                # Maybe cut short without a 507: repeat this page without a limit.
                resp = self._sync_request(book, current, None)
                ms = self._multistatus(resp, book)
                truncated, results = self._split_sync(ms, book)
            for entry in results:
                self._apply_sync_entry(listing, missing, entry, full)
            if not ms.sync_token:
                raise ServerError(
                    "Der Server hat kein Synchronisations-Token geliefert.",
                    f"REPORT sync-collection {book}: kein DAV:sync-token",
                    status=resp.status,
                )
            listing.sync_token = ms.sync_token
            if not truncated:
                break
            if ms.sync_token == current:
                raise ServerError(
                    "Der Server liefert die Änderungen nicht vollständig.",
                    f"REPORT sync-collection {book}: 507 ohne neues Token",
                    status=507,
                )
            current = ms.sync_token
        else:
            raise ServerError(detail=f"sync-collection {book}: zu viele Seiten", status=507)
        self._fill_missing_etags(book, listing.etags, missing & set(listing.etags))
        _drop_etagless(listing)
        return listing

    def _sync_request(self, book: str, token: str, limit: int | None) -> DavResponse:
        """Send one sync-collection REPORT; map refusals to SyncTokenInvalid/Unsupported."""
        resp = self.session.request(
            "REPORT",
            book,
            body=xml.sync_collection_body(token, limit),
            depth="0",
            accept=(400, 403, 405, 409, 412, 415, 501),
        )
        if resp.status == 207:
            return resp
        conditions = xml.error_conditions(resp.content)
        detail = f"REPORT sync-collection {book} -> HTTP {resp.status} {sorted(conditions)}"
        if xml.VALID_SYNC_TOKEN in conditions:
            raise SyncTokenInvalid(detail=detail)
        if xml.SUPPORTED_REPORT in conditions or resp.status in (405, 415, 501):
            raise SyncUnsupported(detail=detail)
        if token:
            # Servers differ in how they refuse an old token; a full listing recovers.
            raise SyncTokenInvalid(detail=detail)
        raise SyncUnsupported(detail=detail)

    @staticmethod
    def _split_sync(ms: xml.Multistatus, book: str) -> tuple[bool, list[xml.Entry]]:
        """(truncated?, member entries) - a 507 on the book itself marks a partial page."""
        truncated = False
        members: list[xml.Entry] = []
        for entry in ms:
            if xml.same_href(entry.href, book):
                if entry.status == 507:
                    truncated = True
                elif entry.status in (404, 410):
                    raise NotFound(
                        "Das Adressbuch wurde auf dem Server nicht gefunden.",
                        f"REPORT sync-collection {book}: {entry.status} für das Adressbuch",
                    )
                continue
            members.append(entry)
        return truncated, members

    @staticmethod
    def _apply_sync_entry(
        listing: Listing, missing: set[str], entry: xml.Entry, full: bool
    ) -> None:
        """Fold one sync entry into the listing (later pages override earlier ones)."""
        href = entry.href
        if entry.status in (404, 410):
            listing.etags.pop(href, None)
            missing.discard(href)
            if not full:
                listing.deleted.add(href)
            return
        if not entry.ok or href.endswith("/"):
            return
        if not _is_vcard_type(entry.text(xml.GETCONTENTTYPE)):
            return
        etag = entry.text(xml.GETETAG)
        listing.deleted.discard(href)
        if etag:
            listing.etags[href] = etag
            missing.discard(href)
        else:
            listing.etags[href] = ""
            missing.add(href)

    def list_etags(self, book_href: str) -> Listing:
        """PROPFIND depth 1: every card's ETag (for servers without sync-collection)."""
        book = self._book_path(book_href)
        resp = self.session.request("PROPFIND", book, body=xml.etag_propfind(), depth="1")
        ms = self._multistatus(resp, book)
        self._check_book_listed(ms, book, resp)
        listing = Listing(full=True)
        missing: set[str] = set()
        for entry in ms:
            if xml.same_href(entry.href, book) or entry.href.endswith("/") or not entry.ok:
                continue
            if xml.COLLECTION in entry.child_tags(xml.RESOURCETYPE):
                continue
            if not _is_vcard_type(entry.text(xml.GETCONTENTTYPE)):
                continue
            etag = entry.text(xml.GETETAG)
            listing.etags[entry.href] = etag or ""
            if not etag:
                missing.add(entry.href)
        self._fill_missing_etags(book, listing.etags, missing)
        _drop_etagless(listing)
        return listing

    # -- reading cards -----------------------------------------------------------

    def multiget(
        self, book_href: str, hrefs: Iterable[str], *, batch_size: int = 500
    ) -> Iterator[RemoteCard]:
        """addressbook-multiget in batches; hrefs the server does not return are skipped."""
        book = self._book_path(book_href)
        wanted: list[str] = []
        seen: set[str] = set()
        for href in hrefs:
            path = xml.normalize_href(href, self.session.base_url, book)
            if path is None or path in seen or xml.same_href(path, book):
                continue
            seen.add(path)
            wanted.append(path)
        size = max(1, int(batch_size))
        existing: set[str] | None = None
        for i in range(0, len(wanted), size):
            batch = wanted[i : i + size]
            resp = self._multiget_request(book, batch)
            if resp.status == 404:
                # SabreDAV 1.8 answers the whole REPORT with 404 if one href is missing:
                # learn which cards exist (this also tells whether the book is gone).
                if existing is None:
                    existing = set(self.list_etags(book).etags)
                batch = [h for h in batch if h in existing]
                yield from self._multiget_bisect(book, batch)
                continue
            yield from self._cards_from(resp, book, batch)

    def _multiget_request(self, book: str, batch: list[str]) -> DavResponse:
        """One addressbook-multiget REPORT; a 404 is returned, not raised."""
        return self.session.request(
            "REPORT", book, body=xml.multiget_body(batch), depth="1", accept=(404,)
        )

    def _multiget_bisect(self, book: str, batch: list[str]) -> Iterator[RemoteCard]:
        """Multiget that splits the batch on 404 until the missing hrefs are isolated."""
        if not batch:
            return
        resp = self._multiget_request(book, batch)
        if resp.status != 404:
            yield from self._cards_from(resp, book, batch)
            return
        if len(batch) == 1:
            return
        mid = len(batch) // 2
        yield from self._multiget_bisect(book, batch[:mid])
        yield from self._multiget_bisect(book, batch[mid:])

    def _cards_from(self, resp: DavResponse, book: str, batch: list[str]) -> Iterator[RemoteCard]:
        """RemoteCards of a multiget answer, limited to the hrefs asked for."""
        ms = self._multistatus(resp, book)
        entry = ms.find(book)
        if entry is not None and entry.status in (404, 410):
            raise NotFound(
                "Das Adressbuch wurde auf dem Server nicht gefunden.",
                f"{resp.method} {resp.url} -> 207 mit {entry.status} für das Adressbuch",
            )
        batch_set = set(batch)
        for entry in ms:
            if not entry.ok or entry.href not in batch_set:
                continue
            text = entry.raw_text(xml.ADDRESS_DATA)
            if text is None:
                continue
            batch_set.discard(entry.href)
            if "\r" not in text:
                # XML parsing folds CRLF to LF; vCard lines end in CRLF (RFC 6350).
                text = text.replace("\n", "\r\n")
            etag = entry.text(xml.GETETAG)
            if not etag:
                card = self.get(entry.href)
                if card is not None:
                    yield card
                continue
            yield RemoteCard(href=entry.href, etag=etag, text=text)

    def get(self, href: str) -> RemoteCard | None:
        """GET one card; None if it does not exist (any more)."""
        path = self._card_path(href)
        resp = self.session.request(
            "GET",
            path,
            headers={"Accept": "text/vcard, text/x-vcard;q=0.9, */*;q=0.1"},
            accept=(404, 410),
        )
        if resp.status in (404, 410):
            return None
        return RemoteCard(href=path, etag=resp.header("etag") or "", text=resp.text)

    # -- writing cards -----------------------------------------------------------

    def _put(self, href: str, text: str, headers: dict[str, str], *, creating: bool) -> WriteResult:
        """PUT a card and map the card-level refusals."""
        hdrs = {"Content-Type": VCARD_CONTENT_TYPE, **headers}
        resp = self.session.request(
            "PUT", href, body=text.encode("utf-8"), headers=hdrs, accept=_PUT_ACCEPT
        )
        detail = f"PUT {href} -> HTTP {resp.status}"
        conditions = xml.error_conditions(resp.content) if resp.status >= 400 else set()
        content_problem = next(
            (_CONDITION_MESSAGES[c] for c in sorted(conditions) if c in _CONDITION_MESSAGES), None
        )
        content_ns = (f"{{{xml.CARD}}}valid-", f"{{{xml.CALDAV}}}valid-")
        if content_problem is None and any(c.startswith(content_ns) for c in conditions):
            # A CardDAV/CalDAV precondition is about the content, even on a 412 (Xandikos
            # behind WSGI answers a broken vCard with 412 + caldav:valid-calendar-data).
            content_problem = _CONDITION_MESSAGES[xml.VALID_ADDRESS_DATA]
        if resp.status == 412 and content_problem is None:
            if creating:
                raise PreconditionFailed(
                    "Auf dem Server existiert bereits ein Kontakt unter diesem Namen.", detail
                )
            raise PreconditionFailed(detail=detail)
        if resp.status in (404, 410):
            if creating:
                raise NotFound("Das Adressbuch wurde auf dem Server nicht gefunden.", detail)
            raise NotFound("Der Kontakt existiert auf dem Server nicht mehr.", detail)
        if resp.status >= 400:
            raise CardRejected(
                content_problem or _REJECT_MESSAGES.get(resp.status),
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

    def create(self, book_href: str, text: str, *, name: str) -> WriteResult:
        """Create `<book>/<name>.vcf`, refusing to overwrite (If-None-Match: *).

        Characters outside [A-Za-z0-9._~@+-] in `name` become "-": servers disagree on
        encoding such names (Xandikos under WSGI stores UTF-8 names double-encoded), and
        the resource name is only an identifier. The href actually used is returned.
        """
        return self._put(
            self.card_href(book_href, name), text, {"If-None-Match": "*"}, creating=True
        )

    def card_href(self, book_href: str, name: str) -> str:
        """The href `create` uses for a card called `name` in `book_href`."""
        book = self._book_path(book_href)
        stem = name[:-4] if name.lower().endswith(".vcf") else name
        stem = _UNSAFE_NAME.sub("-", stem).strip(".") or uuid.uuid4().hex
        return book + quote(f"{stem}.vcf", safe=xml.SEGMENT_SAFE)

    def update(self, href: str, text: str, etag: str) -> WriteResult:
        """Overwrite a card only if it still has `etag` (If-Match, sent verbatim).

        An empty `etag` (never learned) sends "If-Match: *": the card must still exist,
        so a deleted card is never silently re-created.
        """
        path = self._card_path(href)
        return self._put(path, text, {"If-Match": etag or "*"}, creating=False)

    def delete(self, href: str, etag: str | None) -> None:
        """Delete a card if it still has `etag`; a card already gone is not an error.

        Without an ETag (None or "") the delete is unconditional.
        """
        path = self._card_path(href)
        headers = {"If-Match": etag} if etag else {}
        resp = self.session.request("DELETE", path, headers=headers, accept=(404, 410, 412))
        # RFC 7232: If-Match also fails when the card no longer exists (SabreDAV says 412
        # there, Radicale 404); only a card that is still there has "changed".
        if resp.status == 412 and (not etag or self._exists(path)):
            raise PreconditionFailed(detail=f"DELETE {path} -> HTTP 412")

    def _exists(self, path: str) -> bool:
        """HEAD a card: does it (still) exist?"""
        resp = self.session.request("HEAD", path, accept=(404, 405, 410))
        if resp.status == 405:
            return self.get(path) is not None
        return resp.status not in (404, 410)
