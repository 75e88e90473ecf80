"""How a session authenticates: Basic, Digest (`digest.py`) or not at all.

`BasicAuth` makes the Basic header from UTF-8 credentials (RFC 7617). Digest is `DigestAuth`
(`app.dav.digest`), which `DavSession` switches to when a server's WWW-Authenticate offers only
that (`auth_schemes`). A session without credentials sends no Authorization header at all
(nothing is ever read from ~/.netrc). The password lives only inside these auth objects; their
repr never shows it.
"""

from __future__ import annotations

import base64
import re


class BasicAuth:
    """HTTP Basic with UTF-8 credentials: `header` is the Authorization value."""

    def __init__(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self.header = f"Basic {token}"

    def __repr__(self) -> str:
        return "BasicAuth(***)"


def auth_schemes(header: str | None) -> set[str]:
    """Scheme names offered in WWW-Authenticate ("basic", "digest", ...)."""
    if not header:
        return set()
    found = re.findall(
        r"(?:^|,)\s*([A-Za-z][A-Za-z0-9_-]*)(?=\s+[A-Za-z0-9_-]+=|\s*,|\s*$)", header
    )
    return {s.lower() for s in found}
