"""Reading a DAV collection's items: multiget in batches, prefetched, and GET.

`CollectionReader.multiget` fetches items by multiget REPORT in batches (the last one split
smaller: `batched`) while the caller works through the previous one (the next request goes
out on a helper thread; only one thread ever uses the session). A batch SabreDAV 1.8 answers
with 404 (one href missing) is narrowed to the hrefs the collection lists and then halved,
and so is a batch with an item beyond the XML parser's 10 MB (that item alone is reported in
`oversized_hrefs`); an item the answer gives without ETag is read alone by GET. Item data is
returned exactly as sent (only the CRLF line breaks that XML parsing folds to LF are
restored).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial

from app.background import in_background, result_of, wait_for
from app.dav import xml
from app.dav.collection_base import _TooLarge
from app.dav.collection_listing import CollectionLister
from app.dav.model import RemoteCard
from app.dav.session import DavResponse

log = logging.getLogger(__name__)


#: Batches of fewer hrefs than this are not split at the end (`batched`): their work is short.
SPLIT_FROM = 100


def batched(hrefs: list[str], size: int) -> list[list[str]]:
    """`hrefs` in batches of `size`; with more than one (of at least `SPLIT_FROM`), a last
    batch of over a quarter batch goes in parts of a half, a quarter and a quarter.

    The caller works through each answer while the server prepares the next one (see
    `CollectionReader.multiget`); only its work on the last answer overlaps nothing. With
    a last part of at most a quarter batch that work is at most a quarter as long, for two
    more requests, which the server answers while the caller still works on the batch
    before."""
    batches = [hrefs[i : i + size] for i in range(0, len(hrefs), size)]
    if len(batches) < 2 or size < SPLIT_FROM or len(batches[-1]) <= size // 4:
        return batches
    last = batches.pop()
    half, three_quarters = len(last) // 2, len(last) * 3 // 4
    return [*batches, last[:half], last[half:three_quarters], last[three_quarters:]]


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class _Fetched:
    """A multiget batch as the request left it: the answer still to be read (`resp`), or
    items already read (a fallback that needed more requests did that)."""

    batch: list[str]
    resp: DavResponse | None = None
    items: list[RemoteCard] = field(default_factory=list)


class CollectionReader(CollectionLister):
    """The reading requests of a collection client (multiget, GET)."""

    def multiget(
        self, href: str, hrefs: Iterable[str], *, batch_size: int | None = None
    ) -> Iterator[RemoteCard]:
        """Multiget in batches (of `batch_size`, else the kind's); hrefs the server does
        not return are skipped.

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
        size = max(1, int(self.batch_size if batch_size is None else batch_size))
        batches = batched(wanted, size)
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
                listed = self.list_etags(collection)
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
