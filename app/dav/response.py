"""What one DAV request returned, and the checks on it that hold for every answer.

`DavResponse` carries the status, the headers (lower-cased keys), the body and the final URL of
one answer; `decode_body` turns a text body into `str` by its declared charset (never failing);
`check_content_type` refuses a success answer whose type no DAV server sends (a captive portal's
or a proxy's HTML page must never be taken for a card or an empty listing); `wire_bytes` is what
one answer cost on the wire, for the session's byte counters. No request is made here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.dav.errors import ServerError
from app.i18n import _


@dataclass(eq=False, repr=False)  # (issue 21) its own __repr__; nothing compares it
class DavResponse:
    """What a request returned: status, headers (lower-cased keys), body and final URL."""

    status: int
    headers: dict[str, str]
    content: bytes
    url: str
    method: str = ""
    history: list[int] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively; None if absent."""
        return self.headers.get(name.lower())

    @property
    def text(self) -> str:
        """Body decoded with the charset the server declared (UTF-8 by default)."""
        return decode_body(self.content, self.header("content-type"))

    def __repr__(self) -> str:
        return f"DavResponse({self.method} {self.url} -> {self.status}, {len(self.content)} B)"


def decode_body(content: bytes, content_type: str | None) -> str:
    """Decode a text body: declared charset, else UTF-8, else Latin-1 (never fails)."""
    charset = "utf-8"
    if content_type:
        m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type)
        if m:
            charset = m.group(1)
    try:
        return content.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode("latin-1")


def check_content_type(resp: DavResponse) -> None:
    """Refuse a success answer whose declared type cannot be what a DAV server sends.

    A 207 must be XML; no DAV answer we read is a web page (a captive portal or a
    proxy's login page answering 200 with HTML must never be taken for a vCard or an
    empty listing). An absent Content-Type is accepted (some servers omit it).
    """
    ctype = (resp.header("content-type") or "").split(";", 1)[0].strip().lower()
    if not ctype or not resp.content:
        return
    detail = f"{resp.method} {resp.url} -> HTTP {resp.status}, Content-Type {ctype}"
    if ctype in ("text/html", "application/xhtml+xml"):
        raise ServerError(
            _(
                "Der Server hat statt einer DAV-Antwort eine Webseite geschickt (z. B. die "
                "Anmeldeseite eines Proxys oder WLANs). Bitte prüfen Sie Serveradresse und "
                "Netzwerk."
            ),
            detail,
            status=resp.status,
        )
    if resp.status == 207 and "xml" not in ctype:
        raise ServerError(
            _("Der Server hat eine Antwort in einem unerwarteten Format geschickt."),
            detail,
            status=resp.status,
        )


def wire_bytes(head_bytes: int, body_bytes: int) -> int:
    """What one answer cost on the wire: its status line and headers (as parsed, so
    approximately) plus the body as read off the socket (the compressed size when the
    server sent gzip; chunk-size lines of a chunked body not counted)."""
    return head_bytes + body_bytes
