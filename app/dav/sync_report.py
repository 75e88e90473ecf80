"""The sync-collection REPORT (RFC 6578) as it is sent: its body and the request.

Light on purpose (the standard library and the session only, no lxml): a `contactbox-sync
sync` sends its first listing request before lxml and the sync code load
(app/sync/head_start.py, issue 21). The body is a small fixed text, so it is written as
text here, the token XML-escaped; app/dav/xml.py hands out the same function. What the
answer means (app/dav/collection_listing.py) needs the XML parser and is read later.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.dav.response import DavResponse


class _Session(Protocol):
    """What is asked of the session (`app.dav.session.DavSession`, which imports the XML
    layer's error reading when it needs it: named here only by what it does)."""

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        depth: str | None = None,
        accept: Container[int] = (),
    ) -> DavResponse: ...


#: The statuses of a sync-collection answer its reader words itself (an expired token,
#: no such REPORT): handed back instead of raised by the session.
SYNC_ACCEPT = (400, 403, 405, 409, 412, 415, 501)

#: What XML 1.0 cannot carry at all (lxml refuses such text too).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    if _NOT_XML.search(value):
        raise ValueError("All strings must be XML compatible")
    # (as xml.sax.saxutils.escape with "\r", without loading the sax package for it)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def sync_collection_body(token: str | None, limit: int | None = None) -> bytes:
    """RFC 6578 sync-collection REPORT, sync-level 1, optional `<D:limit>`; empty token = all.
    Byte for byte what lxml serialized before (tests/unit/test_sync_report.py)."""
    token_el = (
        f"<D:sync-token>{_text(token)}</D:sync-token>" if token else "<D:sync-token></D:sync-token>"
    )
    limit_el = (
        f"<D:limit><D:nresults>{int(limit)}</D:nresults></D:limit>" if limit is not None else ""
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<D:sync-collection xmlns:D="DAV:">{token_el}<D:sync-level>1</D:sync-level>'
        f"{limit_el}<D:prop><D:getetag/><D:getcontenttype/></D:prop></D:sync-collection>"
    ).encode()


def send_sync_request(
    session: _Session, collection: str, token: str, limit: int | None
) -> DavResponse:
    """One sync-collection REPORT on `collection` (its canonical path); the answer, 207 or
    one of `SYNC_ACCEPT`."""
    return session.request(
        "REPORT",
        collection,
        body=sync_collection_body(token, limit),
        depth="0",
        accept=SYNC_ACCEPT,
    )
