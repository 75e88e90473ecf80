"""Listing a DAV collection: which items it holds, with their ETags, and what changed.

`CollectionLister` asks for sync-collection deltas (RFC 6578) where the server has them:
507-truncated pages followed to the end, a page cut at the `limit` without saying so asked
again without one, an expired token -> `SyncTokenInvalid`, no such REPORT ->
`SyncUnsupported`; else a PROPFIND Depth 1 ETag listing. ETags a listing left out are asked
for with ETag-only multigets (halved where SabreDAV 1.8 answers a batch with 404); an item
whose ETag cannot be learned is set aside as `unknown`, never dropped. ETags are kept
byte-for-byte as the server sent them. The answer is a `Listing` (`app.dav.model`).
"""

from __future__ import annotations

import logging

from app.dav import xml
from app.dav.collection_base import CollectionBase
from app.dav.errors import ServerError, SyncTokenInvalid, SyncUnsupported
from app.dav.model import Listing
from app.dav.session import DavResponse
from app.dav.sync_report import send_sync_request
from app.i18n import _

log = logging.getLogger(__name__)

MAX_SYNC_PAGES = 10_000
ETAG_BATCH = 500  # hrefs per ETag-only multiget that fills gaps of a listing


class CollectionLister(CollectionBase):
    """The listing requests of a collection client (sync-collection, PROPFIND)."""

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

    def changes(self, href: str, token: str | None, *, limit: int | None = None) -> Listing:
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
                    _("Der Server hat kein Synchronisations-Token geliefert."),
                    _("REPORT sync-collection {href}: kein DAV:sync-token").format(href=collection),
                    status=resp.status,
                )
            listing.sync_token = ms.sync_token
            if not truncated:
                break
            if ms.sync_token == current:
                raise ServerError(
                    _("Der Server liefert die Änderungen nicht vollständig."),
                    _("REPORT sync-collection {href}: 507 ohne neues Token").format(
                        href=collection
                    ),
                    status=507,
                )
            current = ms.sync_token
        else:
            raise ServerError(
                detail=_("sync-collection {href}: zu viele Seiten").format(href=collection),
                status=507,
            )
        self._fill_missing_etags(collection, listing.etags, missing & set(listing.etags))
        self._set_aside_etagless(listing)
        return listing

    def _sync_request(self, collection: str, token: str, limit: int | None) -> DavResponse:
        """Send one sync-collection REPORT; map refusals to SyncTokenInvalid/Unsupported."""
        resp = self._send_sync(collection, token, limit)
        if resp.status == 207:
            return resp
        from app.dav.refusal import condition_name  # (only for a refusal)

        conditions = xml.error_conditions(resp.content)
        named = ", ".join(condition_name(c) for c in sorted(conditions))
        detail = f"REPORT sync-collection {collection} -> HTTP {resp.status}"
        if named:
            detail += "; " + _("Bedingung {conditions}").format(conditions=named)
        if xml.VALID_SYNC_TOKEN in conditions:
            raise SyncTokenInvalid(_(self.wording.token_expired), detail)
        if xml.SUPPORTED_REPORT in conditions or resp.status in (405, 415, 501):
            raise SyncUnsupported(detail=detail)
        if token:
            # Servers differ in how they refuse an old token; a full listing recovers.
            raise SyncTokenInvalid(_(self.wording.token_expired), detail)
        raise SyncUnsupported(detail=detail)

    def _send_sync(self, collection: str, token: str, limit: int | None) -> DavResponse:
        """The request itself (app/dav/sync_report.py; a `sync`'s head start sends the
        first one before this module loads and answers it from there)."""
        return send_sync_request(self.session, collection, token, limit)

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

    def list_etags(self, href: str) -> Listing:
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
