"""How a session authenticates, and niquests itself, loaded on first use.

`BasicAuth` sends UTF-8 credentials (niquests' own would need Latin-1) and `NoAuth` sends none
at all, not even from ~/.netrc (a probe before the user agreed to send the password to an
address); Digest is niquests' `HTTPDigestAuth`, which `DavSession` switches to when a server's
WWW-Authenticate offers only that (`auth_schemes`). The password lives only inside these auth
objects; their repr never shows it. `niquests_module` imports niquests when the first session
opens, so the window and the CLI's local commands do not pay for it.
"""

from __future__ import annotations

import base64
import re
from types import ModuleType
from typing import Any


def niquests_module() -> ModuleType:
    """niquests, imported when the first session opens: importing it costs ~0.3 s, which
    the window and the CLI's local commands (contacts, reports, --version) should not pay."""
    import niquests
    import niquests.auth

    return niquests


class BasicAuth:
    """HTTP Basic with UTF-8 credentials (niquests' default would need Latin-1); any
    callable is an auth for niquests."""

    def __init__(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._header = f"Basic {token}"

    def __call__(self, r: Any) -> Any:
        r.headers["Authorization"] = self._header
        return r

    def __repr__(self) -> str:
        return "BasicAuth(***)"


class NoAuth:
    """No credentials at all, not even from ~/.netrc (an auth that niquests sees as set)."""

    def __call__(self, r: Any) -> Any:
        r.headers.pop("Authorization", None)
        return r

    def __repr__(self) -> str:
        return "NoAuth()"


def auth_schemes(header: str | None) -> set[str]:
    """Scheme names offered in WWW-Authenticate ("basic", "digest", ...)."""
    if not header:
        return set()
    found = re.findall(
        r"(?:^|,)\s*([A-Za-z][A-Za-z0-9_-]*)(?=\s+[A-Za-z0-9_-]+=|\s*,|\s*$)", header
    )
    return {s.lower() for s in found}
