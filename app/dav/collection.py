"""Item-level operations on one DAV collection, shared by CardDAV and CalDAV; the writes.

An address book and a calendar are read and written the same way. `CollectionClient` is the
whole client: the listing (`collection_listing.py`), the reading (`collection_fetch.py`) and,
here, the writes: PUT with If-None-Match: * (create) or If-Match (update) and DELETE with
If-Match, so that a concurrent change on the server is never overwritten silently, each
refusal mapped to the item's error in the server's own words too (`app.dav.refusal`).
`CardDavClient` (carddav.py) and `CalDavClient` (caldav.py) say with a few class attributes
what differs (`collection_base.py`, `Wording`).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import quote

from app.dav import xml
from app.dav.collection_base import Wording
from app.dav.collection_fetch import CollectionReader
from app.dav.errors import NotFound, PreconditionFailed
from app.dav.model import WriteResult
from app.i18n import _

if TYPE_CHECKING:
    from app.dav.response import DavResponse

__all__ = ["PUT_ACCEPT", "UNSAFE_NAME", "CollectionClient", "Wording"]

UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._~@+-]")

# Statuses a PUT may answer that concern the item, not the connection.
PUT_ACCEPT = (400, 403, 404, 409, 410, 412, 413, 415, 422, 507)


class CollectionClient(CollectionReader):
    """Item-level operations on collections of one kind over one DavSession."""

    def _put(self, href: str, text: str, headers: dict[str, str], *, creating: bool) -> WriteResult:
        """PUT an item and map the item-level refusals, in the server's words too."""
        hdrs = {"Content-Type": self.content_type, **headers}
        resp = self.session.request(
            "PUT", href, body=text.encode("utf-8"), headers=hdrs, accept=PUT_ACCEPT
        )
        if resp.status >= 400:
            self._refused(href, resp, creating=creating)
        new_href = href
        location = resp.header("location")
        if location:
            moved = xml.normalize_href(location, self.session.url_for(href))
            if moved is not None:
                new_href = moved
        return WriteResult(href=new_href, etag=resp.header("etag") or None)

    def _refused(self, href: str, resp: DavResponse, *, creating: bool) -> NoReturn:
        """Raise what a refused PUT means, in our words and the server's (its `Refusals`:
        app/dav/refusal.py, loaded only now)."""
        words = self.wording
        detail = f"PUT {href} -> HTTP {resp.status}"
        said = self.session.server_words(resp)
        if said.detail():
            detail = f"{detail}; {said.detail()}"
        refusals = words.refusals
        # A precondition about the item itself is a refusal even on a 412 (Xandikos
        # behind WSGI answers a broken vCard with 412 + caldav:valid-calendar-data).
        if resp.status == 412 and not refusals.explains(said, self.content_conditions):
            raise PreconditionFailed(
                _(words.name_taken if creating else words.item_changed),
                detail,
                server_text=said.message,
            )
        if resp.status in (404, 410):
            raise NotFound(_(words.collection_gone if creating else words.item_gone), detail)
        raise self.rejected(
            detail=detail,
            status=resp.status,
            server_text=said.message,
            refusal=refusals.refusal(resp.status, said, self.content_conditions),
        )

    def item_href(self, collection_href: str, name: str) -> str:
        """The href `create` uses for an item called `name`: `<collection>/<name><extension>`,
        with unsafe characters of `name` as "-"."""
        collection = self._collection_path(collection_href)
        ext = self.extension
        stem = name[: -len(ext)] if name.lower().endswith(ext) else name
        stem = UNSAFE_NAME.sub("-", stem).strip(".") or uuid.uuid4().hex
        return collection + quote(f"{stem}{ext}", safe=xml.SEGMENT_SAFE)

    def create(self, collection_href: str, text: str, *, name: str) -> WriteResult:
        """Create `<collection>/<name><extension>`, refusing to overwrite (If-None-Match: *).

        Characters outside [A-Za-z0-9._~@+-] in `name` become "-": servers disagree on
        encoding such names (Xandikos under WSGI stores UTF-8 names double-encoded), and
        the resource name is only an identifier. The href actually used is returned.
        """
        href = self.item_href(collection_href, name)
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
            raise PreconditionFailed(_(self.wording.item_changed), f"DELETE {path} -> HTTP 412")

    def _exists(self, path: str) -> bool:
        """HEAD an item: does it (still) exist?"""
        resp = self.session.request("HEAD", path, accept=(404, 405, 410))
        if resp.status == 405:
            return self.get(path) is not None
        return resp.status not in (404, 410)
